package dev.modelvalidation.modelsigning.signature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shared golden test data lives: {@code ../../shared/testdata} relative to the module directory, or the
 * system property {@code modelsigning.testdata}.
 */
public final class SignatureTestData {
  /** The test data root. */
  public static final Path ROOT = Path.of(System.getProperty("modelsigning.testdata", "../../shared/testdata"));

  private SignatureTestData() {}

  /** Folder of the Python release goldens. */
  public static Path releases() {
    return ROOT.resolve("model-signing-releases");
  }

  /** A file of {@code model-signing-releases/keys/certificate/}. */
  public static Path keyFile(String name) {
    return releases().resolve("keys/certificate").resolve(name);
  }

  /** The {@code model.sig} of a golden folder, e.g. {@code v1.1.0-elliptic-key}. */
  public static Path signatureFile(String folder) {
    return releases().resolve(folder).resolve("model.sig");
  }

  /** The bytes of a golden {@code model.sig}. */
  public static byte[] signature(String folder) {
    try {
      return Files.readAllBytes(signatureFile(folder));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
