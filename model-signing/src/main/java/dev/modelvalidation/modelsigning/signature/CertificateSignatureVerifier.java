package dev.modelvalidation.modelsigning.signature;

import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.bundle.BundleParser;
import dev.modelvalidation.modelsigning.bundle.SignatureBundle;
import dev.modelvalidation.modelsigning.bundle.VerificationMaterial;
import dev.modelvalidation.modelsigning.dsse.CompatFallback;
import dev.modelvalidation.modelsigning.dsse.DsseEnvelope;
import dev.modelvalidation.modelsigning.dsse.EcdsaDsse;
import dev.modelvalidation.modelsigning.keys.EcCurve;
import dev.modelvalidation.modelsigning.pki.Certificates;
import dev.modelvalidation.modelsigning.pki.ChainValidator;
import dev.modelvalidation.modelsigning.pki.SigningUsage;
import dev.modelvalidation.modelsigning.pki.TrustStore;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Verifies {@code certificate}-method signatures (§8.3): the bundle's {@code x509CertificateChain} leaf
 * ({@code certificates[0]}) must chain, through the bundle's other certificates, to a self-signed certificate of the
 * trust store, at the leaf's notBefore; the leaf needs KeyUsage digitalSignature or ExtendedKeyUsage codeSigning;
 * then the DSSE signature must verify with the leaf's key (standard PAE, then the v0.2 compat PAE with SHA-256).
 *
 * <p>The warnings Python logs for a leaf without KeyUsage or ExtendedKeyUsage are returned in
 * {@link VerifiedPayload#warnings()} (Python logs them to stderr).
 */
public final class CertificateSignatureVerifier implements SignatureVerifier {
  private final BundleParser parser = new BundleParser();
  private final ChainValidator chainValidator;
  private final Consumer<String> fingerprintLog;

  /**
   * @param trustStore the trusted certificates
   * @param fingerprintLog receives the {@code --log-fingerprints} lines, or null for none; the {@code [  init  ]}
   *     lines are emitted here, the {@code [ verify ]} lines at each verification
   */
  public CertificateSignatureVerifier(TrustStore trustStore, Consumer<String> fingerprintLog) {
    this.chainValidator = new ChainValidator(trustStore);
    this.fingerprintLog = fingerprintLog == null ? line -> {} : fingerprintLog;
    for (X509Certificate certificate : trustStore.certificates()) {
      logFingerprint("init", certificate);
    }
  }

  /**
   * A verifier trusting the certificates of PEM files (each may hold several); with no files, the JDK's default
   * trusted roots (Python uses certifi's web-PKI roots there).
   *
   * @param fingerprintLog receives the {@code --log-fingerprints} lines, or null for none
   */
  public static CertificateSignatureVerifier fromChainFiles(List<Path> chainPems, Consumer<String> fingerprintLog)
      throws ModelSigningException {
    return new CertificateSignatureVerifier(TrustStore.fromPemFiles(chainPems), fingerprintLog);
  }

  @Override
  public VerifiedPayload verify(byte[] bundleJson) throws ModelSigningException {
    SignatureBundle bundle = parser.parse(bundleJson);
    List<X509Certificate> certificates = switch (bundle.verificationMaterial()) {
      case VerificationMaterial.CertificateChain chain -> chain.certificates();
      case VerificationMaterial.KeyHint key ->
          throw new VerificationException(
              "The signature was made with the key method (its bundle holds a public key, not a certificate"
                  + " chain): verify it with the key method and the public key");
      case VerificationMaterial.SingleCertificate certificate ->
          throw new VerificationException(
              "The signature bundle holds a single Sigstore certificate, not an x509CertificateChain: verify it"
                  + " with the sigstore method");
    };
    // in Python's order: the bundle's other certificates, then the signing certificate
    for (X509Certificate certificate : certificates.subList(1, certificates.size())) {
      logFingerprint("verify", certificate);
    }
    logFingerprint("verify", certificates.getFirst());
    X509Certificate leaf = certificates.getFirst();
    chainValidator.validate(leaf, certificates.subList(1, certificates.size()));
    List<String> warnings = SigningUsage.check(leaf);
    try {
      EcCurve.of(leaf.getPublicKey());
    } catch (ModelSigningException e) {
      throw new VerificationException(
              e.getMessage() + " (signing certificate " + Certificates.describe(leaf) + ")", e)
          .withEarlierWarnings(warnings);
    }
    DsseEnvelope envelope = bundle.dsseEnvelope();
    try {
      EcdsaDsse.verify(leaf.getPublicKey(), envelope, CompatFallback.SHA256_ONLY);
    } catch (ModelSigningException e) {
      throw e.withEarlierWarnings(warnings); // Python logs them before this check
    }
    return new VerifiedPayload(envelope.payloadType(), envelope.payload(), warnings);
  }

  private void logFingerprint(String where, X509Certificate certificate) {
    fingerprintLog.accept("[" + center(where, 8) + "] sha256 Fingerprint: " + Certificates.sha256Fingerprint(certificate));
  }

  /** Python's {@code f"{s:^width}"}: extra padding goes to the right. */
  static String center(String text, int width) {
    int padding = Math.max(0, width - text.length());
    int left = padding / 2;
    return " ".repeat(left) + text + " ".repeat(padding - left);
  }
}
