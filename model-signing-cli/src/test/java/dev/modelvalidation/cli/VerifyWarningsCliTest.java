package dev.modelvalidation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warnings Python prints while verifying: the old-format line with print() (stdout, also when the verification
 * then fails), the certificate ones as WARNING log lines (stderr, hidden by a higher --log-level).
 */
class VerifyWarningsCliTest {
  private static final String OLD_FORMAT =
      "WARNING: This model's signature uses an older verification material format. Please re-sign with an updated"
          + " signer to use a public key identifier hash. ";

  @Test
  void theOldFormatWarningIsPrintedAlsoWhenTheVerificationThenFails() {
    Path folder = CliRun.GOLDEN.resolve("v1.0.1-elliptic-key");
    // without --ignore-paths for its ignore-me file, this golden does not verify (spec §11.3)
    CliRun run =
        CliRun.of(
            "verify", "key", "--signature", folder.resolve("model.sig"), "--public-key",
            CliRun.CERTS.resolve("signing-key-pub.pem"), folder);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEqualTo(OLD_FORMAT + "\n");
    assertThat(run.err()).startsWith("Verification failed with error: Signature mismatch").contains("ignore-me");
  }

  @Test
  void certificateWarningsFollowTheLogLevel(@TempDir Path dir) throws Exception {
    KeyPair rootKeys = keys();
    KeyPair leafKeys = keys();
    X500Name rootName = new X500Name("CN=warning test root");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JcaX509v3CertificateBuilder root =
        new JcaX509v3CertificateBuilder(
            rootName, BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
            rootName, rootKeys.getPublic());
    root.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    root.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
    JcaX509v3CertificateBuilder leaf =
        new JcaX509v3CertificateBuilder(
            rootName, BigInteger.TWO, Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
            new X500Name("CN=signer without KeyUsage"), leafKeys.getPublic());
    leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    leaf.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    Path rootPem = write(dir.resolve("root.pem"), root.build(signer(rootKeys.getPrivate())));
    Path leafPem = write(dir.resolve("leaf.pem"), leaf.build(signer(rootKeys.getPrivate())));
    Path keyPem =
        write(dir.resolve("leaf-key.pem"), new PemObject("PRIVATE KEY", leafKeys.getPrivate().getEncoded()));
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.writeString(model.resolve("weights.bin"), "weights");
    Path signature = dir.resolve("model.sig");
    CliRun sign =
        CliRun.of(
            "sign", "certificate", "--signature", signature, "--private-key", keyPem, "--signing-certificate", leafPem,
            "--certificate-chain", rootPem, model);
    assertThat(sign.exitCode()).as(sign.err()).isZero();

    CliRun byDefault =
        CliRun.of("verify", "certificate", "--signature", signature, "--certificate-chain", rootPem, model);
    CliRun quiet =
        CliRun.of(
            "--log-level", "ERROR", "verify", "certificate", "--signature", signature, "--certificate-chain", rootPem,
            model);

    assertThat(byDefault.exitCode()).isZero();
    assertThat(byDefault.err()).isEqualTo("Certificate does not specify 'KeyUsage'.\n");
    assertThat(quiet.exitCode()).isZero();
    assertThat(quiet.err()).isEmpty();
    assertThat(quiet.out()).isEqualTo("Verification succeeded\n");
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key) throws Exception {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  private static Path write(Path file, Object pemObject) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      if (pemObject instanceof PemObject pem) {
        writer.writeObject(pem);
      } else {
        writer.writeObject((X509CertificateHolder) pemObject);
      }
    }
    return Files.writeString(file, text.toString());
  }
}
