package dev.modelvalidation.modelsigning.signature;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.dsse.Pae;
import dev.modelvalidation.modelsigning.keys.PemKeys;
import dev.modelvalidation.modelsigning.keys.PublicKeyHint;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeySignatureTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOLDEN_HINT = "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e";

  @TempDir Path dir;

  private static KeySignatureVerifier goldenVerifier() throws ModelSigningException {
    return KeySignatureVerifier.fromPemFile(SignatureTestData.keyFile("signing-key-pub.pem"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"v0.3.1-elliptic-key", "v1.0.0-elliptic-key", "v1.0.1-elliptic-key"})
  void oldFormatGoldensVerifyWithTheOldFormatWarning(String folder) throws Exception {
    byte[] bundle = SignatureTestData.signature(folder);

    VerifiedPayload verified = goldenVerifier().verify(bundle);

    assertThat(verified.payload()).isEqualTo(payloadOf(bundle));
    assertThat(verified.payloadType()).isEqualTo("application/vnd.in-toto+json");
    assertThat(verified.warnings())
        .containsExactly(
            "WARNING: This model's signature uses an older verification material format. Please re-sign with an"
                + " updated signer to use a public key identifier hash. ");
  }

  @Test
  void theOldFormatWarningStaysWithAFailureOfTheSignatureAfterIt() throws Exception {
    ObjectNode bundle = (ObjectNode) new ObjectMapper().readTree(SignatureTestData.signature("v1.0.1-elliptic-key"));
    ObjectNode envelope = (ObjectNode) bundle.get("dsseEnvelope");
    envelope.put("payload", Base64.getEncoder().encodeToString("{\"tampered\": true}".getBytes()));

    assertThatThrownBy(() -> goldenVerifier().verify(new ObjectMapper().writeValueAsBytes(bundle)))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("Signature verification failed")
        .extracting(e -> ((ModelSigningException) e).warnings())
        .isEqualTo(List.of(KeySignatureVerifier.OLD_FORMAT_WARNING));
  }

  @Test
  void v110GoldenVerifiesWithoutWarning() throws Exception {
    byte[] bundle = SignatureTestData.signature("v1.1.0-elliptic-key");

    VerifiedPayload verified = goldenVerifier().verify(bundle);

    assertThat(verified.payload()).isEqualTo(payloadOf(bundle));
    assertThat(verified.warnings()).isEmpty();
  }

  @Test
  void wrongKeyFailsNamingBothHints() throws Exception {
    KeyPair other = TestPki.ecKeyPair("secp384r1");
    String otherHint = PublicKeyHint.of(other.getPublic());

    assertThatThrownBy(() -> new KeySignatureVerifier(other.getPublic()).verify(SignatureTestData.signature("v1.1.0-elliptic-key")))
        .isInstanceOf(VerificationException.class)
        .hasMessage(
            "Key mismatch: The public key hash in the signature's verification material does not match the provided"
                + " public key. (signature expects key hint "
                + GOLDEN_HINT
                + ", the provided key's hint is "
                + otherHint
                + ")");
  }

  @Test
  void wrongKeyOnAnOldFormatBundleFailsTheSignatureCheck() throws Exception {
    KeyPair other = TestPki.ecKeyPair("secp384r1");

    assertThatThrownBy(() -> new KeySignatureVerifier(other.getPublic()).verify(SignatureTestData.signature("v1.0.1-elliptic-key")))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("Signature verification failed");
  }

  @Test
  void tamperedPayloadFails() throws Exception {
    byte[] bundle = SignatureTestData.signature("v1.1.0-elliptic-key");
    byte[] payload = payloadOf(bundle);
    payload[payload.length / 2] ^= 1;
    byte[] tampered = withPayload(bundle, payload);

    assertThatThrownBy(() -> goldenVerifier().verify(tampered))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("Signature verification failed: the DSSE signature does not match the payload");
  }

  @Test
  void truncatedSignatureFailsNamingTheField() throws Exception {
    byte[] bundle = SignatureTestData.signature("v1.1.0-elliptic-key");
    ObjectNode root = (ObjectNode) JSON.readTree(bundle);
    ObjectNode signature = (ObjectNode) root.at("/dsseEnvelope/signatures/0");
    byte[] sig = Base64.getDecoder().decode(signature.get("sig").textValue());
    signature.put("sig", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(sig, sig.length - 6)));

    assertThatThrownBy(() -> goldenVerifier().verify(JSON.writeValueAsBytes(root)))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageStartingWith(
            "Invalid signature file: dsseEnvelope.signatures[0].sig is not a DER-encoded ECDSA signature");
  }

  @Test
  void certificateBundleGivenToTheKeyVerifierFailsClearly() {
    assertThatThrownBy(() -> goldenVerifier().verify(SignatureTestData.signature("v1.1.0-certificate")))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("The signature was made with the certificate method");
    assertThatThrownBy(() -> goldenVerifier().verify(SignatureTestData.signature("v1.1.0-sigstore")))
        .hasMessageStartingWith("The signature was made with the sigstore method");
  }

  @Test
  void writtenBundleHasTheExactV110LayoutOfTheGolden() throws Exception {
    byte[] golden = SignatureTestData.signature("v1.1.0-elliptic-key");
    KeyPayloadSigner signer = KeyPayloadSigner.fromPemFile(SignatureTestData.keyFile("signing-key.pem"), null);

    byte[] written = signer.sign(payloadOf(golden));

    String goldenSig = JSON.readTree(golden).at("/dsseEnvelope/signatures/0/sig").textValue();
    String writtenSig = JSON.readTree(written).at("/dsseEnvelope/signatures/0/sig").textValue();
    assertThat(new String(written, UTF_8).replace(writtenSig, "<sig>"))
        .isEqualTo(new String(golden, UTF_8).replace(goldenSig, "<sig>"));
    assertThat(goldenVerifier().verify(written).payload()).isEqualTo(payloadOf(golden));
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void signThenVerifyRoundTripsOnEveryCurve(String curve) throws Exception {
    KeyPair keys = TestPki.ecKeyPair(curve);
    Path privatePem = TestPki.write(dir.resolve("key.pem"), TestPki.sec1Pem(keys));
    Path publicPem = TestPki.write(dir.resolve("key.pub"), TestPki.pem(keys.getPublic()));
    byte[] payload = "{\"_type\": \"https://in-toto.io/Statement/v1\"}".getBytes(UTF_8);

    byte[] bundle = KeyPayloadSigner.fromPemFile(privatePem, null).sign(payload);
    VerifiedPayload verified = KeySignatureVerifier.fromPemFile(publicPem).verify(bundle);

    assertThat(verified.payload()).isEqualTo(payload);
    assertThat(verified.warnings()).isEmpty();
    assertThat(JSON.readTree(bundle).at("/verificationMaterial/publicKey/hint").textValue())
        .isEqualTo(PublicKeyHint.of(keys.getPublic()));
  }

  @Test
  void encryptedPkcs8KeySignsWithTheRightPasswordOnly() throws Exception {
    KeyPair keys = TestPki.ecKeyPair("secp384r1");
    char[] password = "correct horse".toCharArray();
    Path privatePem = TestPki.write(dir.resolve("enc.pem"), TestPki.encryptedPkcs8Pem(keys.getPrivate(), password));
    byte[] payload = "{}".getBytes(UTF_8);

    byte[] bundle = KeyPayloadSigner.fromPemFile(privatePem, password).sign(payload);

    assertThat(new KeySignatureVerifier(keys.getPublic()).verify(bundle).payload()).isEqualTo(payload);
    assertThatThrownBy(() -> KeyPayloadSigner.fromPemFile(privatePem, "wrong".toCharArray()))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageContaining("wrong password");
  }

  @Test
  void unencryptedPkcs8KeySigns() throws Exception {
    KeyPair keys = TestPki.ecKeyPair("secp256r1");
    Path privatePem = TestPki.write(dir.resolve("p8.pem"), TestPki.pem(new JcaPKCS8Generator(keys.getPrivate(), null)));

    byte[] bundle = KeyPayloadSigner.fromPemFile(privatePem, null).sign("x".getBytes(UTF_8));

    assertThat(new KeySignatureVerifier(keys.getPublic()).verify(bundle).payload()).isEqualTo("x".getBytes(UTF_8));
  }

  @Test
  void v02StyleCompatSignatureWithSha256IsAcceptedForAP384Key() throws Exception {
    PrivateKey key = PemKeys.readPrivateKey(SignatureTestData.keyFile("signing-key.pem"), null);
    byte[] payload = "{\n  \"it's\": \"v0.2\"\n}".getBytes(UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(Pae.encodeCompat("application/vnd.in-toto+json", payload));
    byte[] bundle = oldFormatKeyBundle(payload, signer.sign());

    VerifiedPayload verified = goldenVerifier().verify(bundle);

    assertThat(verified.payload()).isEqualTo(payload);
  }

  @Test
  void nonEcPublicKeyIsRejected() throws Exception {
    java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    Path pem = TestPki.write(dir.resolve("rsa.pub"), TestPki.pem(rsa.generateKeyPair().getPublic()));

    assertThatThrownBy(() -> KeySignatureVerifier.fromPemFile(pem)).hasMessage("Only elliptic curve keys are supported");
  }

  static byte[] payloadOf(byte[] bundle) throws Exception {
    return Base64.getDecoder().decode(JSON.readTree(bundle).at("/dsseEnvelope/payload").textValue());
  }

  static byte[] withPayload(byte[] bundle, byte[] payload) throws Exception {
    JsonNode root = JSON.readTree(bundle);
    ((ObjectNode) root.get("dsseEnvelope")).put("payload", Base64.getEncoder().encodeToString(payload));
    return JSON.writeValueAsBytes(root);
  }

  private static byte[] oldFormatKeyBundle(byte[] payload, byte[] sig) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    root.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
    root.putObject("verificationMaterial").putObject("publicKey").put("rawBytes", "AAAA").put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    ObjectNode envelope = root.putObject("dsseEnvelope");
    envelope.put("payload", Base64.getEncoder().encodeToString(payload));
    envelope.put("payloadType", "application/vnd.in-toto+json");
    envelope.putArray("signatures").addObject().put("sig", Base64.getEncoder().encodeToString(sig)).putNull("keyid");
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }
}
