package dev.modelvalidation.modelsigning.signature;

import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.bundle.BundleWriter;
import dev.modelvalidation.modelsigning.bundle.SignatureBundle;
import dev.modelvalidation.modelsigning.bundle.VerificationMaterial;
import dev.modelvalidation.modelsigning.dsse.DsseEnvelope;
import dev.modelvalidation.modelsigning.dsse.DsseSignature;
import dev.modelvalidation.modelsigning.dsse.EcdsaDsse;
import dev.modelvalidation.modelsigning.keys.EcCurve;
import dev.modelvalidation.modelsigning.keys.EcKeys;
import dev.modelvalidation.modelsigning.keys.PemKeys;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs with the {@code certificate} method (§8.3): ECDSA with the private key, and an
 * {@code x509CertificateChain} of the signing certificate followed by every chain certificate in file order.
 */
public final class CertificatePayloadSigner implements PayloadSigner {
  /** Python's message when the certificate is not the private key's. */
  public static final String KEY_MISMATCH =
      "The public key from the certificate does not match the public key paired with the private key";

  private final BundleWriter writer = new BundleWriter();
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;

  /**
   * @param privateKey an EC P-256, P-384 or P-521 key
   * @param signingCertificate the certificate of that key
   * @param otherCertificates the rest of the chain to embed, in order
   */
  public CertificatePayloadSigner(
      PrivateKey privateKey, X509Certificate signingCertificate, List<X509Certificate> otherCertificates)
      throws ModelSigningException {
    EcCurve.of(privateKey);
    if (!EcKeys.sameKey(EcKeys.derivePublicKey(privateKey), signingCertificate.getPublicKey())) {
      throw new ModelSigningException(KEY_MISMATCH);
    }
    this.privateKey = privateKey;
    List<X509Certificate> all = new ArrayList<>();
    all.add(signingCertificate);
    all.addAll(otherCertificates);
    this.chain = List.copyOf(all);
  }

  /**
   * @param password for an encrypted private key, else null
   * @param signingCertPem the signing certificate (the first certificate of the file)
   * @param chainPems chain files, each possibly with several certificates, embedded in order
   */
  public static CertificatePayloadSigner fromPemFiles(
      Path privateKeyPem, char[] password, Path signingCertPem, List<Path> chainPems) throws ModelSigningException {
    PrivateKey key = PemKeys.readPrivateKey(privateKeyPem, password);
    X509Certificate signingCertificate = PemKeys.readCertificates(signingCertPem).getFirst();
    List<X509Certificate> others = new ArrayList<>();
    for (Path chainPem : chainPems) {
      others.addAll(PemKeys.readCertificates(chainPem));
    }
    return new CertificatePayloadSigner(key, signingCertificate, others);
  }

  @Override
  public byte[] sign(byte[] statementPayload) throws ModelSigningException {
    byte[] sig = EcdsaDsse.sign(privateKey, IN_TOTO_PAYLOAD_TYPE, statementPayload);
    DsseEnvelope envelope =
        new DsseEnvelope(statementPayload, IN_TOTO_PAYLOAD_TYPE, List.of(new DsseSignature(sig, "")));
    return writer.write(SignatureBundle.of(new VerificationMaterial.CertificateChain(chain), envelope));
  }
}
