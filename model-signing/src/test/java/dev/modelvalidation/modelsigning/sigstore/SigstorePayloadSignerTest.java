package dev.modelvalidation.modelsigning.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.signature.VerifiedPayload;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signs against a local fake Fulcio and Rekor (see {@link FakeSigstore}) and verifies the result. */
class SigstorePayloadSignerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "https://issuer.test.invalid";
  private static final String EMAIL = "alice@example.com";
  private static final byte[] PAYLOAD = ("{\n  \"_type\": \"https://in-toto.io/Statement/v1\",\n  \"subject\": [\n"
      + "    {\n      \"name\": \"model\",\n      \"digest\": {\n        \"sha256\": "
      + "\"61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226\"\n      }\n    }\n  ],\n"
      + "  \"predicateType\": \"https://model_signing/signature/v1.0\",\n  \"predicate\": {}\n}")
      .getBytes(StandardCharsets.UTF_8);

  private final FakeSigstore sigstore = newFake();

  private static FakeSigstore newFake() {
    try {
      return new FakeSigstore();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    sigstore.close();
  }

  @Test
  void signsAndTheBundleVerifiesAgainstTheSameTrust() throws Exception {
    SigstoreTrust trust = sigstore.trust();
    byte[] bundle = new SigstorePayloadSigner(trust, FakeSigstore.token(ISSUER, EMAIL)).sign(PAYLOAD);

    VerifiedPayload verified = new SigstoreSignatureVerifier(trust, EMAIL, ISSUER).verify(bundle);
    assertThat(verified.payload()).isEqualTo(PAYLOAD);
    assertThat(sigstore.requests).containsExactly("fulcio POST", "rekor POST");

    String text = new String(bundle, StandardCharsets.UTF_8);
    assertThat(text).startsWith("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
        + "\"verificationMaterial\":{\"certificate\":{\"rawBytes\":\"").doesNotEndWith("\n");
    JsonNode json = JSON.readTree(bundle);
    assertThat(json.at("/verificationMaterial/tlogEntries")).hasSize(1);
    assertThat(json.at("/verificationMaterial/tlogEntries/0/kindVersion/kind").asText()).isEqualTo("dsse");
    assertThat(json.at("/verificationMaterial/tlogEntries/0/integratedTime").isTextual()).isTrue();
    assertThat(json.at("/dsseEnvelope/signatures")).hasSize(1);
    assertThat(json.at("/dsseEnvelope/signatures/0").has("keyid")).isFalse();
    assertThat(Base64.getDecoder().decode(json.at("/dsseEnvelope/payload").asText())).isEqualTo(PAYLOAD);
  }

  @Test
  void withATimestampAuthorityTheBundleCarriesAVerifiedTimestamp() throws Exception {
    sigstore.offerTsa = true;
    SigstoreTrust trust = sigstore.trust();
    byte[] bundle = new SigstorePayloadSigner(trust, FakeSigstore.token(ISSUER, EMAIL)).sign(PAYLOAD);

    assertThat(sigstore.requests).containsExactly("fulcio POST", "rekor POST", "tsa POST");
    JsonNode json = JSON.readTree(bundle);
    assertThat(json.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps")).hasSize(1);
    // without the SET, the timestamp alone provides the verified time
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.at("/verificationMaterial/tlogEntries/0"))
        .remove("inclusionPromise");
    assertThat(new SigstoreSignatureVerifier(trust, EMAIL, ISSUER).verify(JSON.writeValueAsBytes(json)).payload())
        .isEqualTo(PAYLOAD);
  }

  @Test
  void producedBundleIsBoundToTheTokenIdentity() throws Exception {
    SigstoreTrust trust = sigstore.trust();
    byte[] bundle = new SigstorePayloadSigner(trust, FakeSigstore.token(ISSUER, EMAIL)).sign(PAYLOAD);

    assertThatThrownBy(() -> new SigstoreSignatureVerifier(trust, "mallory@example.com", ISSUER).verify(bundle))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("'" + EMAIL + "'");
    assertThatThrownBy(() -> new SigstoreSignatureVerifier(SigstoreTrust.publicGood(), EMAIL, ISSUER).verify(bundle))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void aBadSetFromRekorIsCaughtBeforeTheBundleIsReturned() throws Exception {
    sigstore.corruptSet = true;
    var signer = new SigstorePayloadSigner(sigstore.trust(), FakeSigstore.token(ISSUER, EMAIL));
    assertThatThrownBy(() -> signer.sign(PAYLOAD))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("does not verify against fake Sigstore");
  }

  @Test
  void anIntegratedTimeAfterTheCertificateExpiredIsRejected() throws Exception {
    // the log vouches (valid SET) for a time after the certificate expired: only our validity check catches it
    sigstore.integratedTimeShiftSeconds = 3600;
    var signer = new SigstorePayloadSigner(sigstore.trust(), FakeSigstore.token(ISSUER, EMAIL));
    assertThatThrownBy(() -> signer.sign(PAYLOAD))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("not valid at the Rekor integrated time");
  }

  @Test
  void aSigningTimeAfterTheFulcioCaExpiredIsRejected() throws Exception {
    // leaf valid for 400 days, CA for 365: sigstore-java checks the chain at the leaf's notBefore only
    sigstore.certificateLifetimeSeconds = 400L * 86_400;
    sigstore.integratedTimeShiftSeconds = 370L * 86_400;
    var signer = new SigstorePayloadSigner(sigstore.trust(), FakeSigstore.token(ISSUER, EMAIL));
    assertThatThrownBy(() -> signer.sign(PAYLOAD))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("Fulcio CA certificate")
        .hasMessageContaining("was not valid at the Rekor integrated time");
  }

  @Test
  void unreachableServiceGivesOneLine() throws Exception {
    SigstoreTrust trust = sigstore.trust();
    sigstore.close();
    assertThatThrownBy(() -> new SigstorePayloadSigner(trust, FakeSigstore.token(ISSUER, EMAIL)).sign(PAYLOAD))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("Fulcio")
        .message().doesNotContain("\n");
  }

  @Test
  void malformedTokenIsRejected() throws Exception {
    assertThatThrownBy(() -> new SigstorePayloadSigner(sigstore.trust(), "not-a-jwt").sign(PAYLOAD))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("Invalid identity token");
    assertThat(sigstore.requests).isEmpty();
  }
}
