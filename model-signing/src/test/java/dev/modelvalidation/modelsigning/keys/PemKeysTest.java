package dev.modelvalidation.modelsigning.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.signature.SignatureTestData;
import dev.modelvalidation.modelsigning.signature.TestPki;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {
  private static final String GOLDEN_HINT = "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e";

  @TempDir Path dir;

  @Test
  void publicKeyAfterCerttoolDumpLoadsAndHasTheGoldenHint() throws Exception {
    PublicKey key = PemKeys.readPublicKey(SignatureTestData.keyFile("signing-key-pub.pem"));

    assertThat(EcCurve.of(key)).isEqualTo(EcCurve.P384);
    assertThat(PublicKeyHint.of(key)).isEqualTo(GOLDEN_HINT);
  }

  @Test
  void canonicalPemHas64CharacterLinesAndTrailingNewline() throws Exception {
    PublicKey key = PemKeys.readPublicKey(SignatureTestData.keyFile("signing-key-pub.pem"));

    String pem = PublicKeyHint.canonicalPem(key);

    assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
    assertThat(pem.lines().skip(1).limit(2)).allSatisfy(line -> assertThat(line).hasSize(64));
  }

  @Test
  void sec1PrivateKeyAfterCerttoolDumpLoadsAndMatchesThePublicKey() throws Exception {
    PrivateKey key = PemKeys.readPrivateKey(SignatureTestData.keyFile("signing-key.pem"), null);

    assertThat(PublicKeyHint.of(EcKeys.derivePublicKey(key))).isEqualTo(GOLDEN_HINT);
  }

  @Test
  void unencryptedPkcs8PrivateKeyLoads() throws Exception {
    KeyPair pair = TestPki.ecKeyPair("secp521r1");
    Path file = TestPki.write(dir.resolve("k.pem"), "some text\n" + TestPki.pem(new JcaPKCS8Generator(pair.getPrivate(), null)));

    PrivateKey key = PemKeys.readPrivateKey(file, null);

    assertThat(EcKeys.sameKey(EcKeys.derivePublicKey(key), pair.getPublic())).isTrue();
  }

  @Test
  void encryptedPkcs8PrivateKeyLoadsWithTheRightPassword() throws Exception {
    KeyPair pair = TestPki.ecKeyPair("secp256r1");
    Path file = TestPki.write(dir.resolve("k.pem"), TestPki.encryptedPkcs8Pem(pair.getPrivate(), "s3cret".toCharArray()));

    PrivateKey key = PemKeys.readPrivateKey(file, "s3cret".toCharArray());

    assertThat(EcKeys.sameKey(EcKeys.derivePublicKey(key), pair.getPublic())).isTrue();
  }

  @Test
  void encryptedPkcs8PrivateKeyWithWrongOrMissingPasswordFailsClearly() {
    KeyPair pair = TestPki.ecKeyPair("secp256r1");
    Path file = TestPki.write(dir.resolve("k.pem"), TestPki.encryptedPkcs8Pem(pair.getPrivate(), "s3cret".toCharArray()));

    assertThatThrownBy(() -> PemKeys.readPrivateKey(file, "wrong".toCharArray()))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageStartingWith("Cannot decrypt the private key in " + file + ": wrong password");
    assertThatThrownBy(() -> PemKeys.readPrivateKey(file, null))
        .isInstanceOf(ModelSigningException.class)
        .hasMessage("The private key in " + file + " is encrypted: a password is required");
  }

  @Test
  void rsaKeysAreRejectedWithPythonsMessage() {
    assertThatThrownBy(() -> PemKeys.readPrivateKey(SignatureTestData.keyFile("ca-priv.pem"), null))
        .isInstanceOf(ModelSigningException.class)
        .hasMessage("Only elliptic curve keys are supported");
  }

  @Test
  void otherCurvesAreRejectedWithPythonsMessage() throws Exception {
    var secp256k1 = ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256k1);
    SubjectPublicKeyInfo spki =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1),
            secp256k1.getG().getEncoded(false));
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(spki.getEncoded())
            + "\n-----END PUBLIC KEY-----\n";

    assertThatThrownBy(() -> PemKeys.parsePublicKey(pem, "k1.pem"))
        .isInstanceOf(ModelSigningException.class)
        .hasMessage("Unsupported key for curve 'secp256k1'");
  }

  @Test
  void fileWithoutKeyOrMissingFileFailsNamingIt() {
    assertThatThrownBy(() -> PemKeys.readPublicKey(SignatureTestData.keyFile("signing-key.pem")))
        .hasMessage("No PEM public key (-----BEGIN PUBLIC KEY-----) found in " + SignatureTestData.keyFile("signing-key.pem"));
    assertThatThrownBy(() -> PemKeys.readPublicKey(SignatureTestData.keyFile("ca-cert.pem")))
        .hasMessageContaining("holds a certificate, not a public key");
    assertThatThrownBy(() -> PemKeys.readPublicKey(dir.resolve("nope.pem")))
        .hasMessage("Cannot read public key " + dir.resolve("nope.pem") + ": no such file");
  }

  @Test
  void chainFileWithSeveralCertificatesYieldsAllInOrder() throws Exception {
    String both =
        java.nio.file.Files.readString(SignatureTestData.keyFile("int-ca-cert.pem"))
            + "text between\n"
            + java.nio.file.Files.readString(SignatureTestData.keyFile("ca-cert.pem"));

    var certificates = PemKeys.parseCertificates(both, "both.pem");

    assertThat(certificates)
        .extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=intermediate-ca", "CN=root-ca");
  }
}
