package dev.modelvalidation.modelsigning.signature;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.keys.PemKeys;
import dev.modelvalidation.modelsigning.pki.Certificates;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateSignatureTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PAYLOAD = "{\"_type\": \"https://in-toto.io/Statement/v1\"}".getBytes(UTF_8);

  @TempDir Path dir;

  private static CertificateSignatureVerifier goldenVerifier() throws ModelSigningException {
    return CertificateSignatureVerifier.fromChainFiles(List.of(SignatureTestData.keyFile("ca-cert.pem")), null);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v0.2.0-certificate",
        "v0.3.1-certificate",
        "v1.0.0-certificate",
        "v1.0.1-certificate",
        "v1.1.0-certificate"
      })
  void everyCertificateGoldenVerifiesWithTheRootCa(String folder) throws Exception {
    byte[] bundle = SignatureTestData.signature(folder);

    VerifiedPayload verified = goldenVerifier().verify(bundle);

    assertThat(verified.payload()).isEqualTo(KeySignatureTest.payloadOf(bundle));
    assertThat(verified.payloadType()).isEqualTo("application/vnd.in-toto+json");
    assertThat(verified.warnings()).isEmpty();
  }

  @Test
  void fingerprintsAreLoggedForTheTrustStoreAndTheBundle() throws Exception {
    List<String> lines = new ArrayList<>();
    X509Certificate root = PemKeys.readCertificates(SignatureTestData.keyFile("ca-cert.pem")).getFirst();
    X509Certificate intermediate = PemKeys.readCertificates(SignatureTestData.keyFile("int-ca-cert.pem")).getFirst();
    X509Certificate leaf = PemKeys.readCertificates(SignatureTestData.keyFile("signing-key-cert.pem")).getFirst();

    CertificateSignatureVerifier.fromChainFiles(List.of(SignatureTestData.keyFile("ca-cert.pem")), lines::add)
        .verify(SignatureTestData.signature("v1.1.0-certificate"));

    assertThat(lines)
        .containsExactly(
            "[  init  ] sha256 Fingerprint: " + Certificates.sha256Fingerprint(root),
            // Python's order: certificates[1:] of the bundle, then the signing certificate
            "[ verify ] sha256 Fingerprint: " + Certificates.sha256Fingerprint(intermediate),
            "[ verify ] sha256 Fingerprint: " + Certificates.sha256Fingerprint(leaf));
    assertThat(lines.getFirst()).matches("\\[  init  ] sha256 Fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}");
  }

  @Test
  void onlyTheIntermediateAsTrustFailsForLackOfASelfSignedAnchor() throws Exception {
    var verifier =
        CertificateSignatureVerifier.fromChainFiles(List.of(SignatureTestData.keyFile("int-ca-cert.pem")), null);

    assertThatThrownBy(() -> verifier.verify(SignatureTestData.signature("v1.1.0-certificate")))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("unable to get issuer certificate 'CN=root-ca'")
        .hasMessageContaining("the trust store has no self-signed root certificate");
  }

  @Test
  void rootAndIntermediateAsTrustVerify() throws Exception {
    var verifier =
        CertificateSignatureVerifier.fromChainFiles(
            List.of(SignatureTestData.keyFile("int-ca-cert.pem"), SignatureTestData.keyFile("ca-cert.pem")), null);

    assertThat(verifier.verify(SignatureTestData.signature("v1.0.1-certificate")).payload()).isNotEmpty();
  }

  @Test
  void anotherCaFailsNamingTheLeafAndTheMissingIssuer() throws Exception {
    TestPki.Entity otherCa = TestPki.selfSignedCa("other-root");
    Path caFile = TestPki.write(dir.resolve("other-ca.pem"), TestPki.pem(otherCa.certificate()));
    var verifier = CertificateSignatureVerifier.fromChainFiles(List.of(caFile), null);

    assertThatThrownBy(() -> verifier.verify(SignatureTestData.signature("v1.1.0-certificate")))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("unable to get issuer certificate 'CN=root-ca'")
        .hasMessageContaining("leaf subject 'CN=intermediate-ca', issuer 'CN=intermediate-ca'")
        .hasMessageContaining("1 self-signed root certificate(s)");
  }

  @Test
  void withoutChainFilesTheJdkRootsAreUsedAndDoNotTrustTheTestCa() throws Exception {
    var verifier = CertificateSignatureVerifier.fromChainFiles(List.of(), null);

    assertThatThrownBy(() -> verifier.verify(SignatureTestData.signature("v1.1.0-certificate")))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("unable to get issuer certificate 'CN=root-ca'");
  }

  @Test
  void tamperedPayloadFails() throws Exception {
    byte[] bundle = SignatureTestData.signature("v1.1.0-certificate");
    byte[] payload = KeySignatureTest.payloadOf(bundle);
    payload[10] ^= 1;

    assertThatThrownBy(() -> goldenVerifier().verify(KeySignatureTest.withPayload(bundle, payload)))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("Signature verification failed");
  }

  @Test
  void keyBundleGivenToTheCertificateVerifierFailsClearly() {
    assertThatThrownBy(() -> goldenVerifier().verify(SignatureTestData.signature("v1.1.0-elliptic-key")))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("The signature was made with the key method");
    assertThatThrownBy(() -> goldenVerifier().verify(SignatureTestData.signature("v1.1.0-sigstore")))
        .hasMessageContaining("single Sigstore certificate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void signThenVerifyRoundTripsOnEveryCurve(String curve) throws Exception {
    Pki pki = pki(curve, KeyUsage.digitalSignature, true);

    byte[] bundle =
        CertificatePayloadSigner.fromPemFiles(pki.keyFile, null, pki.leafFile, List.of(pki.intermediateFile, pki.rootFile))
            .sign(PAYLOAD);
    VerifiedPayload verified = CertificateSignatureVerifier.fromChainFiles(List.of(pki.rootFile), null).verify(bundle);

    assertThat(verified.payload()).isEqualTo(PAYLOAD);
    JsonNode certificates = JSON.readTree(bundle).at("/verificationMaterial/x509CertificateChain/certificates");
    assertThat(certificates).hasSize(3);
    assertThat(Base64.getDecoder().decode(certificates.get(0).get("rawBytes").textValue()))
        .isEqualTo(pki.leaf.certificate().getEncoded());
    assertThat(Base64.getDecoder().decode(certificates.get(1).get("rawBytes").textValue()))
        .isEqualTo(pki.intermediate.certificate().getEncoded());
    assertThat(new String(bundle, UTF_8)).contains(",\"tlogEntries\":[]},").endsWith(",\"keyid\":\"\"}]}}");
  }

  @Test
  void leafWithEitherDigitalSignatureOrCodeSigningIsAccepted() throws Exception {
    for (Pki pki :
        List.of(pki("secp256r1", KeyUsage.digitalSignature, false), pki("secp256r1", KeyUsage.keyEncipherment, true))) {
      byte[] bundle =
          CertificatePayloadSigner.fromPemFiles(pki.keyFile, null, pki.leafFile, List.of(pki.intermediateFile))
              .sign(PAYLOAD);

      assertThat(CertificateSignatureVerifier.fromChainFiles(List.of(pki.rootFile), null).verify(bundle).payload())
          .isEqualTo(PAYLOAD);
    }
  }

  @Test
  void leafWithoutDigitalSignatureOrCodeSigningFails() throws Exception {
    Pki pki = pki("secp384r1", KeyUsage.keyEncipherment, false);
    byte[] bundle =
        CertificatePayloadSigner.fromPemFiles(pki.keyFile, null, pki.leafFile, List.of(pki.intermediateFile))
            .sign(PAYLOAD);
    var verifier = CertificateSignatureVerifier.fromChainFiles(List.of(pki.rootFile), null);

    assertThatThrownBy(() -> verifier.verify(bundle))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("Signing certificate cannot be used for signing")
        .hasMessageContaining("KeyUsage without digitalSignature and ExtendedKeyUsage without codeSigning");
  }

  @Test
  void aRefusedLeafWithoutKeyUsageCarriesPythonsWarningToTheFailure() throws Exception {
    Pki pki = pki("secp384r1", 0, false); // no KeyUsage, ExtendedKeyUsage serverAuth only
    byte[] bundle =
        CertificatePayloadSigner.fromPemFiles(pki.keyFile, null, pki.leafFile, List.of(pki.intermediateFile))
            .sign(PAYLOAD);
    var verifier = CertificateSignatureVerifier.fromChainFiles(List.of(pki.rootFile), null);

    assertThatThrownBy(() -> verifier.verify(bundle))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("no KeyUsage and ExtendedKeyUsage without codeSigning")
        .extracting(e -> ((VerificationException) e).warnings())
        .isEqualTo(List.of("Certificate does not specify 'KeyUsage'."));
  }

  @Test
  void leafWithoutKeyUsageButCodeSigningIsAcceptedWithPythonsWarning() throws Exception {
    Pki pki = pki("secp384r1", 0, true);
    byte[] bundle =
        CertificatePayloadSigner.fromPemFiles(pki.keyFile, null, pki.leafFile, List.of(pki.intermediateFile))
            .sign(PAYLOAD);

    VerifiedPayload verified = CertificateSignatureVerifier.fromChainFiles(List.of(pki.rootFile), null).verify(bundle);

    assertThat(verified.warnings()).containsExactly("Certificate does not specify 'KeyUsage'.");
  }

  @Test
  void expiredLeafVerifiesBecauseTheCheckTimeIsItsNotBefore() throws Exception {
    Instant longAgo = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(400, ChronoUnit.DAYS);
    Pki pki = pki("secp256r1", KeyUsage.digitalSignature, true, longAgo, longAgo.plus(10, ChronoUnit.MINUTES));
    byte[] bundle =
        CertificatePayloadSigner.fromPemFiles(pki.keyFile, null, pki.leafFile, List.of(pki.intermediateFile))
            .sign(PAYLOAD);

    assertThat(pki.leaf.certificate().getNotAfter()).isInThePast();
    assertThat(CertificateSignatureVerifier.fromChainFiles(List.of(pki.rootFile), null).verify(bundle).payload())
        .isEqualTo(PAYLOAD);
  }

  @Test
  void leafIssuedBeforeItsCaWasValidFails() throws Exception {
    Instant beforeCa = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(4000, ChronoUnit.DAYS);
    Pki pki = pki("secp256r1", KeyUsage.digitalSignature, true, beforeCa, Instant.now().plus(1, ChronoUnit.DAYS));
    byte[] bundle =
        CertificatePayloadSigner.fromPemFiles(pki.keyFile, null, pki.leafFile, List.of(pki.intermediateFile))
            .sign(PAYLOAD);
    var verifier = CertificateSignatureVerifier.fromChainFiles(List.of(pki.rootFile), null);

    assertThatThrownBy(() -> verifier.verify(bundle))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("Certificate chain does not verify at the leaf's notBefore ")
        .hasMessageContaining("CN=test-intermediate");
  }

  @Test
  void rootNotYetValidAtTheLeafsNotBeforeFails() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    TestPki.Entity root = TestPki.selfSignedCa("young-root", now.minus(1, ChronoUnit.DAYS), now.plus(1, ChronoUnit.DAYS));
    KeyPair keys = TestPki.ecKeyPair("secp256r1");
    TestPki.Entity leaf =
        TestPki.leaf("early", keys, root, KeyUsage.digitalSignature, true, now.minus(5, ChronoUnit.DAYS), now.plus(1, ChronoUnit.DAYS));
    byte[] bundle = new CertificatePayloadSigner(keys.getPrivate(), leaf.certificate(), List.of()).sign(PAYLOAD);
    Path rootFile = TestPki.write(dir.resolve("young-root.pem"), TestPki.pem(root.certificate()));

    assertThatThrownBy(() -> CertificateSignatureVerifier.fromChainFiles(List.of(rootFile), null).verify(bundle))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("the root certificate subject 'CN=young-root'");
  }

  @Test
  void goldenKeyAndCertificateSignAndVerify() throws Exception {
    byte[] bundle =
        CertificatePayloadSigner.fromPemFiles(
                SignatureTestData.keyFile("signing-key.pem"),
                null,
                SignatureTestData.keyFile("signing-key-cert.pem"),
                List.of(SignatureTestData.keyFile("int-ca-cert.pem")))
            .sign(PAYLOAD);

    assertThat(goldenVerifier().verify(bundle).payload()).isEqualTo(PAYLOAD);
  }

  @Test
  void signingCertificateOfAnotherKeyIsRejectedWithPythonsMessage() {
    KeyPair other = TestPki.ecKeyPair("secp384r1");
    Path keyFile = TestPki.write(dir.resolve("other.pem"), TestPki.sec1Pem(other));

    assertThatThrownBy(
            () ->
                CertificatePayloadSigner.fromPemFiles(
                    keyFile, null, SignatureTestData.keyFile("signing-key-cert.pem"), List.of()))
        .isInstanceOf(ModelSigningException.class)
        .hasMessage("The public key from the certificate does not match the public key paired with the private key");
  }

  private record Pki(
      TestPki.Entity intermediate, TestPki.Entity leaf, Path rootFile, Path intermediateFile, Path leafFile, Path keyFile) {}

  private Pki pki(String curve, int keyUsage, boolean codeSigning) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return pki(curve, keyUsage, codeSigning, now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
  }

  private Pki pki(String curve, int keyUsage, boolean codeSigning, Instant notBefore, Instant notAfter)
      throws Exception {
    Path sub = java.nio.file.Files.createTempDirectory(dir, "pki");
    TestPki.Entity root = TestPki.selfSignedCa("test-root");
    TestPki.Entity intermediate = TestPki.intermediateCa("test-intermediate", root);
    KeyPair keys = TestPki.ecKeyPair(curve);
    TestPki.Entity leaf = TestPki.leaf("signer", keys, intermediate, keyUsage, codeSigning, notBefore, notAfter);
    return new Pki(
        intermediate,
        leaf,
        TestPki.write(sub.resolve("root.pem"), TestPki.pem(root.certificate())),
        TestPki.write(sub.resolve("int.pem"), TestPki.pem(intermediate.certificate())),
        TestPki.write(sub.resolve("leaf.pem"), TestPki.pem(leaf.certificate())),
        TestPki.write(sub.resolve("key.pem"), TestPki.sec1Pem(keys)));
  }
}
