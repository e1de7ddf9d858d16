package dev.modelvalidation.modelsigning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;

/** Where the shared test data lives; override with {@code -Dmodelsigning.testdata=/path/to/testdata}. */
public final class TestData {
  private TestData() {}

  /** The shared test data directory (module dir {@code ../../shared/testdata} by default). */
  public static final Path ROOT =
      Path.of(System.getProperty("modelsigning.testdata", "../../shared/testdata")).toAbsolutePath().normalize();

  /** Folders signed by Python model_signing releases. */
  public static final Path RELEASES = ROOT.resolve("model-signing-releases");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The DSSE payload bytes of a bundle file, decoded without checking any signature. */
  public static byte[] payloadOf(Path bundle) throws IOException {
    JsonNode envelope = MAPPER.readTree(bundle.toFile()).get("dsseEnvelope");
    return Base64.getDecoder().decode(envelope.get("payload").asText());
  }
}
