package dev.modelvalidation.modelsigning.sigstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstore.json.ProtoJson;
import dev.sigstore.proto.trustroot.v1.TrustedRoot;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BundledTrustedRoots} holds exactly the bundled JSON trusted roots, in binary: the same bytes as sigstore-java's
 * own JSON parsing gives, and the same trusted root. With {@code -Dbundled-trust.update=true} (what {@code
 * hack/update-bundled-trust.sh} passes) it rewrites the generated part of BundledTrustedRoots.java instead.
 */
class BundledTrustedRootsTest {
  private static final Path SOURCE =
      Path.of("src/main/java/dev/modelvalidation/modelsigning/sigstore/BundledTrustedRoots.java");

  @Test
  void binaryRootsAreTheBundledJsonRoots() throws Exception {
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put("PUBLIC_GOOD", base64(binaryOf("public-good-trusted_root.json")));
    wanted.put("STAGING", base64(binaryOf("staging-trusted_root.json")));
    if (Boolean.getBoolean("bundled-trust.update")) {
      rewrite(wanted);
      return;
    }
    Map<String, String> have = Map.of("PUBLIC_GOOD", BundledTrustedRoots.PUBLIC_GOOD, "STAGING", BundledTrustedRoots.STAGING);
    for (var e : wanted.entrySet()) {
      assertThat(have.get(e.getKey()).replaceAll("\\s", ""))
          .as("BundledTrustedRoots.%s is stale: run hack/update-bundled-trust.sh", e.getKey())
          .isEqualTo(e.getValue().replaceAll("\\s", ""));
    }
    // and sigstore-java reads the same trusted root from both
    assertThat(SigstoreTrust.publicGood().trustedRoot())
        .isEqualTo(SigstoreTrustedRoot.from(new ByteArrayInputStream(json("public-good-trusted_root.json"))));
    assertThat(SigstoreTrust.staging().trustedRoot())
        .isEqualTo(SigstoreTrustedRoot.from(new ByteArrayInputStream(json("staging-trusted_root.json"))));
  }

  private static byte[] json(String name) throws Exception {
    try (InputStream in = SigstoreTrust.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  /** As sigstore-java's {@code SigstoreTrustedRoot.from(InputStream)} reads it. */
  private static byte[] binaryOf(String name) throws Exception {
    TrustedRoot.Builder builder = TrustedRoot.newBuilder();
    ProtoJson.parser().merge(
        new InputStreamReader(new ByteArrayInputStream(json(name)), StandardCharsets.UTF_8), builder);
    return builder.build().toByteArray();
  }

  private static String base64(byte[] bytes) {
    return Base64.getMimeEncoder(100, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
  }

  private static void rewrite(Map<String, String> constants) throws Exception {
    String text = Files.readString(SOURCE);
    int begin = text.indexOf("  // BEGIN GENERATED\n");
    int end = text.indexOf("  // END GENERATED\n");
    StringBuilder out = new StringBuilder(text.substring(0, begin)).append("  // BEGIN GENERATED\n");
    String separator = "";
    for (var e : constants.entrySet()) {
      out.append(separator).append("  static final String ").append(e.getKey()).append(" =\n      \"\"\"\n");
      for (String line : e.getValue().split("\n")) {
        out.append("      ").append(line).append('\n');
      }
      out.append("      \"\"\";\n");
      separator = "\n";
    }
    out.append(text.substring(end));
    Files.writeString(SOURCE, out.toString());
  }
}
