package dev.modelvalidation.modelsigning.dsse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.modelsigning.bundle.BundleParser;
import dev.modelvalidation.modelsigning.bundle.VerificationMaterial;
import dev.modelvalidation.modelsigning.signature.SignatureTestData;
import java.security.PublicKey;
import java.security.Signature;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which PAE and hash each golden certificate signature uses (§7): only v0.2.0 needs the compat PAE. */
class EcdsaDsseTest {
  @ParameterizedTest
  @CsvSource({
    "v0.2.0-certificate, false, true",
    "v0.3.1-certificate, true, false",
    "v1.1.0-certificate, true, false",
  })
  void goldensUseTheExpectedEncoding(String folder, boolean standardSha384, boolean compatSha256) throws Exception {
    var bundle = new BundleParser().parse(SignatureTestData.signature(folder));
    var chain = (VerificationMaterial.CertificateChain) bundle.verificationMaterial();
    PublicKey key = chain.leaf().getPublicKey();
    DsseEnvelope envelope = bundle.dsseEnvelope();
    byte[] sig = envelope.signatures().getFirst().sig();

    assertThat(verifies(key, "SHA384withECDSA", envelope.pae(), sig)).isEqualTo(standardSha384);
    assertThat(verifies(key, "SHA256withECDSA", Pae.encodeCompat(envelope.payloadType(), envelope.payload()), sig))
        .isEqualTo(compatSha256);
  }

  private static boolean verifies(PublicKey key, String algorithm, byte[] data, byte[] sig) throws Exception {
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(key);
    verifier.update(data);
    return verifier.verify(sig);
  }
}
