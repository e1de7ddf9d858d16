package dev.modelvalidation.modelsigning.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.sigstore.trustroot.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigstoreTrustTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PUBLIC_GOOD_ROOT = TestData.ROOT.resolve("sigstore/public-good-trusted_root.json");

  @TempDir Path dir;

  @Test
  void bundledSnapshotsCarryRootsAndSigningConfigs() {
    SigstoreTrust publicGood = SigstoreTrust.publicGood();
    assertThat(publicGood.trustedRoot().getCAs()).isNotEmpty();
    assertThat(publicGood.signingConfig().orElseThrow().getCas().get(0).getUrl())
        .hasToString("https://fulcio.sigstore.dev");
    SigstoreTrust staging = SigstoreTrust.staging();
    assertThat(staging.trustedRoot().getTLogs().get(0).getBaseUrl()).hasToString("https://rekor.sigstage.dev");
    assertThat(staging.signingConfig().orElseThrow().getCas().get(0).getUrl())
        .hasToString("https://fulcio.sigstage.dev");
    // the signer only speaks Rekor v1: staging lists v2 logs first, the v1 log must still be found
    assertThat(Service.select(staging.signingConfig().orElseThrow().getTLogs(), List.of(1)).orElseThrow().getUrl())
        .hasToString("https://rekor.sigstage.dev");
  }

  @Test
  void bareTrustedRootVerifiesGolden() throws Exception {
    SigstoreTrust trust = SigstoreTrust.fromClientTrustConfig(PUBLIC_GOOD_ROOT);
    assertThat(trust.signingConfig()).isEmpty();
    var verifier = new SigstoreSignatureVerifier(trust, TestData.IDENTITY, TestData.ISSUER);
    assertThat(verifier.verify(Files.readAllBytes(TestData.signature("v1.0.1"))).payload()).isNotEmpty();
  }

  @Test
  void clientTrustConfigVerifiesGoldenAndCarriesSigningConfig() throws Exception {
    ObjectNode config = JSON.createObjectNode();
    config.put("mediaType", SigstoreTrust.CLIENT_TRUST_CONFIG_MEDIA_TYPE);
    config.set("trustedRoot", JSON.readTree(PUBLIC_GOOD_ROOT.toFile()));
    ObjectNode signing = config.putObject("signingConfig");
    signing.put("mediaType", "application/vnd.dev.sigstore.signingconfig.v0.2+json");
    signing.putArray("caUrls").addObject().put("url", "https://fulcio.example.com").put("majorApiVersion", 1)
        .putObject("validFor").put("start", "2020-01-01T00:00:00Z");
    signing.putArray("rekorTlogUrls").addObject().put("url", "https://rekor.example.com").put("majorApiVersion", 1)
        .putObject("validFor").put("start", "2020-01-01T00:00:00Z");
    signing.putArray("oidcUrls");
    signing.putArray("tsaUrls");
    signing.putObject("rekorTlogConfig").put("selector", "ANY");
    signing.putObject("tsaConfig").put("selector", "ANY");
    Path file = dir.resolve("trust.json");
    JSON.writeValue(file.toFile(), config);

    SigstoreTrust trust = SigstoreTrust.fromClientTrustConfig(file);

    assertThat(trust.signingConfig().orElseThrow().getCas().get(0).getUrl()).hasToString("https://fulcio.example.com");
    var verifier = new SigstoreSignatureVerifier(trust, TestData.IDENTITY, TestData.ISSUER);
    assertThat(verifier.verify(Files.readAllBytes(TestData.signature("v1.1.0"))).payload()).isNotEmpty();
  }

  @Test
  void emptyTrustedRootIsRejected() throws Exception {
    Path file = dir.resolve("empty.json");
    Files.writeString(file, "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}");
    assertThatThrownBy(() -> SigstoreTrust.fromClientTrustConfig(file))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("no Fulcio certificate authorities");
  }

  @Test
  void foreignJsonIsRejected() throws Exception {
    Path file = dir.resolve("foreign.json");
    Files.writeString(file, "{\"hello\": \"world\"}");
    assertThatThrownBy(() -> SigstoreTrust.fromClientTrustConfig(file))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("neither a ClientTrustConfig");
  }

  @Test
  void malformedOrMissingFilesGiveOneLine() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{ not json");
    assertThatThrownBy(() -> SigstoreTrust.fromClientTrustConfig(file))
        .hasMessageContaining("not valid JSON").message().doesNotContain("\n");
    assertThatThrownBy(() -> SigstoreTrust.fromClientTrustConfig(dir.resolve("nope.json")))
        .hasMessageContaining("does not exist");
  }
}
