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
import dev.modelvalidation.modelsigning.keys.PemKeys;
import dev.modelvalidation.modelsigning.keys.PublicKeyHint;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

/**
 * Verifies {@code key}-method signatures (§8.2) with the user's EC public key: the bundle's key hint, when present,
 * must be the hint of this key; then the DSSE signature must verify (standard PAE, then the v0.2 compat PAE with
 * the curve's hash and SHA-256).
 */
public final class KeySignatureVerifier implements SignatureVerifier {
  /** The line Python prints to stdout for bundles without a key hint (note the trailing space). */
  public static final String OLD_FORMAT_WARNING =
      "WARNING: This model's signature uses an older verification material format. Please re-sign with an updated"
          + " signer to use a public key identifier hash. ";

  /** Python's hint mismatch message (note the trailing space); details follow it. */
  public static final String KEY_MISMATCH =
      "Key mismatch: The public key hash in the signature's verification material does not match the provided"
          + " public key. ";

  private final BundleParser parser = new BundleParser();
  private final PublicKey publicKey;
  private final String hint;

  /** A verifier for an EC P-256, P-384 or P-521 public key. */
  public KeySignatureVerifier(PublicKey publicKey) throws ModelSigningException {
    EcCurve.of(publicKey);
    this.publicKey = publicKey;
    this.hint = PublicKeyHint.of(publicKey);
  }

  /** A verifier for the public key in a PEM file (text before {@code -----BEGIN} is ignored). */
  public static KeySignatureVerifier fromPemFile(Path publicKeyPem) throws ModelSigningException {
    return new KeySignatureVerifier(PemKeys.readPublicKey(publicKeyPem));
  }

  /** The hint of this verifier's key. */
  public String keyHint() {
    return hint;
  }

  @Override
  public VerifiedPayload verify(byte[] bundleJson) throws ModelSigningException {
    SignatureBundle bundle = parser.parse(bundleJson);
    List<String> warnings = switch (bundle.verificationMaterial()) {
      case VerificationMaterial.KeyHint material -> checkHint(material);
      case VerificationMaterial.CertificateChain chain ->
          throw new VerificationException(
              "The signature was made with the certificate method (its bundle holds an X.509 certificate chain,"
                  + " not a public key): verify it with the certificate method and its CA certificate");
      case VerificationMaterial.SingleCertificate certificate ->
          throw new VerificationException(
              "The signature was made with the sigstore method (its bundle holds a Sigstore certificate, not a"
                  + " public key): verify it with the sigstore method");
    };
    DsseEnvelope envelope = bundle.dsseEnvelope();
    try {
      EcdsaDsse.verify(publicKey, envelope, CompatFallback.CURVE_HASH_THEN_SHA256);
    } catch (ModelSigningException e) {
      throw e.withEarlierWarnings(warnings); // Python prints the old-format warning before this check
    }
    return new VerifiedPayload(envelope.payloadType(), envelope.payload(), warnings);
  }

  private List<String> checkHint(VerificationMaterial.KeyHint material) throws VerificationException {
    if (!material.hasHint()) {
      return List.of(OLD_FORMAT_WARNING);
    }
    if (!material.hint().equals(hint)) {
      throw new VerificationException(
          KEY_MISMATCH
              + "(signature expects key hint "
              + material.hint()
              + ", the provided key's hint is "
              + hint
              + ")");
    }
    return List.of();
  }
}
