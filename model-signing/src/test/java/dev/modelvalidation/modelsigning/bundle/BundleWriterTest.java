package dev.modelvalidation.modelsigning.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.modelsigning.signature.SignatureTestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleWriterTest {
  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-elliptic-key", "v1.1.0-certificate"})
  void rewritingAV110GoldenGivesTheSameBytes(String folder) throws Exception {
    byte[] golden = SignatureTestData.signature(folder);

    byte[] written = new BundleWriter().write(new BundleParser().parse(golden));

    assertThat(written).isEqualTo(golden);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.0.0-elliptic-key", "v1.0.1-certificate"})
  void olderGoldensAreRewrittenInTheV110Layout(String folder) throws Exception {
    byte[] written = new BundleWriter().write(new BundleParser().parse(SignatureTestData.signature(folder)));

    String text = new String(written, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{")
        .contains(",\"tlogEntries\":[]},\"dsseEnvelope\":{\"payload\":\"")
        .endsWith("\",\"keyid\":\"\"}]}}")
        .doesNotContain(" ", "\n", "rawBytes\":\"LS0t");
  }
}
