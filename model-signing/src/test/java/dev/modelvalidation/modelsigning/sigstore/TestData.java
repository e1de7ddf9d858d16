package dev.modelvalidation.modelsigning.sigstore;

import java.nio.file.Path;

/** Where the shared test data lives: {@code ../../shared/testdata} from the module, or {@code -Dmodelsigning.testdata}. */
final class TestData {
  static final Path ROOT = Path.of(System.getProperty("modelsigning.testdata", "../../shared/testdata"));
  static final Path RELEASES = ROOT.resolve("model-signing-releases");
  static final String IDENTITY = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";

  private TestData() {}

  static Path signature(String version) {
    return RELEASES.resolve(version + "-sigstore").resolve("model.sig");
  }
}
