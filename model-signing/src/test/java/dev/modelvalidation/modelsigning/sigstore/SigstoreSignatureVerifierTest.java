package dev.modelvalidation.modelsigning.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.signature.VerifiedPayload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SigstoreSignatureVerifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SigstoreSignatureVerifier verifier =
      new SigstoreSignatureVerifier(SigstoreTrust.publicGood(), TestData.IDENTITY, TestData.ISSUER);

  @ParameterizedTest
  @ValueSource(strings = {"v0.3.1", "v1.0.0", "v1.0.1", "v1.1.0"})
  void goldenSigstoreSignaturesVerifyOffline(String version) throws Exception {
    VerifiedPayload result = verifier.verify(Files.readAllBytes(TestData.signature(version)));

    assertThat(result.payloadType()).isEqualTo("application/vnd.in-toto+json");
    String payload = new String(result.payload(), StandardCharsets.UTF_8);
    assertThat(payload)
        .contains("\"name\": \"" + version + "-sigstore\"")
        .contains("61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226");
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void wrongIdentityNamesTheCertificatesIdentity() throws Exception {
    var wrong = new SigstoreSignatureVerifier(SigstoreTrust.publicGood(), "someone@example.com", TestData.ISSUER);
    assertThatThrownBy(() -> wrong.verify(golden("v1.1.0")))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("someone@example.com")
        .hasMessageContaining("'stefanb@us.ibm.com'")
        .hasMessageContaining(TestData.ISSUER)
        .message().doesNotContain("\n");
  }

  @Test
  void wrongIssuerNamesTheCertificatesIssuer() throws Exception {
    var wrong = new SigstoreSignatureVerifier(SigstoreTrust.publicGood(), TestData.IDENTITY, "https://github.com/login/oauth");
    assertThatThrownBy(() -> wrong.verify(golden("v1.0.0")))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("https://github.com/login/oauth")
        .hasMessageContaining("'" + TestData.ISSUER + "'")
        .hasMessageContaining(TestData.IDENTITY);
  }

  @Test
  void tamperedPayloadFails() throws Exception {
    ObjectNode bundle = goldenTree("v1.1.0");
    ObjectNode envelope = (ObjectNode) bundle.get("dsseEnvelope");
    String payload = new String(Base64.getDecoder().decode(envelope.get("payload").asText()), StandardCharsets.UTF_8);
    String tampered = payload.replace("f6310066", "f6310067");
    assertThat(tampered).isNotEqualTo(payload);
    envelope.put("payload", Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle)))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("DSSE");
  }

  @Test
  void removedSetWithoutTimestampFails() throws Exception {
    ObjectNode bundle = goldenTree("v1.0.1");
    ((ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0")).remove("inclusionPromise");
    assertThat(bundle.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps").isMissingNode()).isTrue();

    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle)))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("inclusionPromise")
        .hasMessageContaining("RFC 3161");
  }

  @Test
  void removedSetWithVerifiedTimestampStillVerifies() throws Exception {
    ObjectNode bundle = goldenTree("v1.1.0");
    ((ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0")).remove("inclusionPromise");

    assertThat(verifier.verify(JSON.writeValueAsBytes(bundle)).payload()).isNotEmpty();
  }

  @Test
  void verifiedTimeRuleNeedsSetOrTimestamp() throws Exception {
    assertThatThrownBy(() -> SigstoreSignatureVerifier.requireVerifiedTime(false, 0))
        .isInstanceOf(VerificationException.class);
    SigstoreSignatureVerifier.requireVerifiedTime(true, 0);
    SigstoreSignatureVerifier.requireVerifiedTime(false, 1);
  }

  @Test
  void integratedTimeOutsideCertificateValidityFails() throws Exception {
    X509Certificate leaf = BundleFacts.parse(golden("v1.0.0")).leaf();
    Instant integrated = Instant.ofEpochSecond(1746236086L);
    SigstoreSignatureVerifier.checkLeafValidAt(leaf, integrated, "the Rekor integrated time");

    Instant later = leaf.getNotAfter().toInstant().plusSeconds(1);
    assertThatThrownBy(() -> SigstoreSignatureVerifier.checkLeafValidAt(leaf, later, "the Rekor integrated time"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not valid at the Rekor integrated time " + later)
        .hasMessageContaining(leaf.getNotAfter().toInstant().toString());
  }

  @Test
  void mutatedIntegratedTimeFails() throws Exception {
    ObjectNode bundle = goldenTree("v1.0.0");
    ObjectNode entry = (ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0");
    entry.put("integratedTime", String.valueOf(1746236086L + 86_400L));

    // the SET covers the integrated time, so sigstore-java rejects the entry before the validity check runs
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle)))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void goldenLeafHasCodeSigningUsage() throws Exception {
    SigstoreSignatureVerifier.checkLeafUsage(BundleFacts.parse(golden("v1.1.0")).leaf());
  }

  @Test
  void twoSignaturesAreRejected() throws Exception {
    ObjectNode bundle = goldenTree("v1.1.0");
    var signatures = (com.fasterxml.jackson.databind.node.ArrayNode) bundle.at("/dsseEnvelope/signatures");
    signatures.add(signatures.get(0).deepCopy());
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle)))
        .hasMessageContaining("exactly one DSSE signature, found 2");
  }

  @Test
  void twoTlogEntriesAreRejected() throws Exception {
    ObjectNode bundle = goldenTree("v1.1.0");
    var entries = (com.fasterxml.jackson.databind.node.ArrayNode) bundle.at("/verificationMaterial/tlogEntries");
    entries.add(entries.get(0).deepCopy());
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle)))
        .hasMessageContaining("exactly one transparency log entry, found 2");
  }

  @Test
  void unknownMediaTypeIsRejected() throws Exception {
    ObjectNode bundle = goldenTree("v1.1.0");
    bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v9+json");
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle)))
        .hasMessageContaining("unknown mediaType 'application/vnd.dev.sigstore.bundle.v9+json'");
  }

  @Test
  void keyBundleIsRejectedClearly() throws Exception {
    byte[] keyBundle = Files.readAllBytes(TestData.RELEASES.resolve("v1.1.0-elliptic-key/model.sig"));
    assertThatThrownBy(() -> verifier.verify(keyBundle))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("public key");
  }

  @Test
  void foreignTrustRootFails() throws Exception {
    var staging = new SigstoreSignatureVerifier(SigstoreTrust.staging(), TestData.IDENTITY, TestData.ISSUER);
    assertThatThrownBy(() -> staging.verify(golden("v1.1.0")))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("Sigstore staging")
        .message().doesNotContain("\n");
  }

  @Test
  void logEntryWithAnotherCertificateIsRejected() throws Exception {
    ObjectNode bundle = goldenTree("v1.0.0");
    ObjectNode entry = (ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0");
    ObjectNode body = (ObjectNode) JSON.readTree(Base64.getDecoder().decode(entry.get("canonicalizedBody").asText()));
    byte[] otherPem = SigstorePayloadSigner.pem("CERTIFICATE",
        BundleFacts.parse(golden("v1.1.0")).leaf().getEncoded()).getBytes(StandardCharsets.US_ASCII);
    ((ObjectNode) body.at("/spec/signatures/0")).put("verifier", Base64.getEncoder().encodeToString(otherPem));
    entry.put("canonicalizedBody", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(body)));

    // the body is covered by the SET and the inclusion proof, so check the rule on its own as well
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle))).isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> SigstoreSignatureVerifier.checkLogEntryCertificate(
            BundleFacts.parse(JSON.writeValueAsBytes(bundle))))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("different certificate");
    SigstoreSignatureVerifier.checkLogEntryCertificate(BundleFacts.parse(golden("v1.0.0")));
  }

  @Test
  void unsupportedEntryVersionAndDuplicateTimestampsAreRejected() throws Exception {
    ObjectNode bundle = goldenTree("v1.1.0");
    ((ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0/kindVersion")).put("version", "0.0.9");
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle)))
        .hasMessageContaining("dsse/0.0.9");

    ObjectNode twice = goldenTree("v1.1.0");
    var timestamps = (com.fasterxml.jackson.databind.node.ArrayNode)
        twice.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps");
    timestamps.add(timestamps.get(0).deepCopy());
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(twice)))
        .hasMessageContaining("repeats an RFC 3161 timestamp");
  }

  @Test
  void theOtherSpellingOfTheV03MediaTypeVerifiesAndTheMadeUpOneDoesNot() throws Exception {
    ObjectNode alternative = goldenTree("v1.1.0");
    alternative.put("mediaType", "application/vnd.dev.sigstore.bundle+json;version=0.3");
    assertThat(verifier.verify(JSON.writeValueAsBytes(alternative)).payloadType())
        .isEqualTo("application/vnd.in-toto+json");

    ObjectNode madeUp = goldenTree("v1.1.0");
    madeUp.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3.1+json");
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(madeUp)))
        .hasMessageContaining("unknown mediaType");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bogus/0.0.1", "intoto/0.0.1", "hashedrekord/0.0.1", "dsse/0.0.2", "intoto/0.0.2"})
  void logEntriesOfAnotherKindAreRejectedBeforeAnyCheckIsSkipped(String kindVersion) throws Exception {
    ObjectNode bundle = goldenTree("v1.1.0");
    ObjectNode label = (ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0/kindVersion");
    label.put("kind", kindVersion.split("/")[0]);
    label.put("version", kindVersion.split("/")[1]);
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle)))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("unsupported transparency log entry")
        .hasMessageContaining(kindVersion);
  }

  @Test
  void anInclusionProofIndexOutsideItsTreeIsRejected() throws Exception {
    for (String index : new String[] {"treeSize", "-1", "x"}) {
      ObjectNode bundle = goldenTree("v1.1.0");
      ObjectNode proof = (ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0/inclusionProof");
      proof.put("logIndex", index.equals("treeSize") ? proof.get("treeSize").asText() : index);
      assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(bundle)))
          .as(index)
          .isInstanceOf(ModelSigningException.class)
          .hasMessageContaining("inclusion proof's logIndex");
    }
  }

  @Test
  void anOmittedProofIndexIsZeroAsInProtobufJson() throws Exception {
    ObjectNode bundle = goldenTree("v1.1.0");
    ((ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0/inclusionProof")).remove("logIndex");
    // the first entry of a log: protobuf's JSON leaves out the zero index; read as 0, it is within the tree
    assertThat(BundleFacts.parse(JSON.writeValueAsBytes(bundle)).kind()).isEqualTo("dsse");
  }

  @Test
  void missingInclusionProofOrCheckpointFails() throws Exception {
    ObjectNode noProof = goldenTree("v1.0.1");
    ((ObjectNode) noProof.at("/verificationMaterial/tlogEntries/0")).remove("inclusionProof");
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(noProof)))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("inclusion proof");

    ObjectNode noCheckpoint = goldenTree("v1.0.1");
    ((ObjectNode) noCheckpoint.at("/verificationMaterial/tlogEntries/0/inclusionProof")).remove("checkpoint");
    assertThatThrownBy(() -> verifier.verify(JSON.writeValueAsBytes(noCheckpoint)))
        .isInstanceOf(VerificationException.class)
        .message().doesNotContain("\n");
  }

  @Test
  void malformedJsonFailsWithOneLine() {
    assertThatThrownBy(() -> verifier.verify("{\"mediaType\": ".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageStartingWith("Invalid Sigstore bundle: not valid JSON")
        .message().doesNotContain("\n");
  }

  private static byte[] golden(String version) throws Exception {
    return Files.readAllBytes(TestData.signature(version));
  }

  private static ObjectNode goldenTree(String version) throws Exception {
    return (ObjectNode) JSON.readTree(golden(version));
  }
}
