package dev.modelvalidation.modelsigning.bundle;

import dev.modelvalidation.modelsigning.dsse.DsseEnvelope;

/**
 * A model signature file: a Sigstore bundle with a DSSE envelope.
 *
 * @param mediaType the bundle media type as found
 * @param verificationMaterial the key hint, certificate chain or single certificate
 * @param tlogEntryCount how many transparency log entries the bundle holds (key/certificate bundles: 0)
 * @param dsseEnvelope the signed envelope
 */
public record SignatureBundle(
    String mediaType, VerificationMaterial verificationMaterial, int tlogEntryCount, DsseEnvelope dsseEnvelope) {

  /** The only media type model_signing writes, and the only one the key and certificate methods accept. */
  public static final String MEDIA_TYPE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

  /** A key or certificate bundle as written by model_signing 1.1+: v0.3 media type and no tlog entries. */
  public static SignatureBundle of(VerificationMaterial material, DsseEnvelope envelope) {
    return new SignatureBundle(MEDIA_TYPE_V03, material, 0, envelope);
  }

  /** Which signing method produced this bundle, judged from its verification material. */
  public SigningMethod signingMethod() {
    return switch (verificationMaterial) {
      case VerificationMaterial.KeyHint k -> SigningMethod.KEY;
      case VerificationMaterial.CertificateChain c ->
          tlogEntryCount > 0 ? SigningMethod.SIGSTORE : SigningMethod.CERTIFICATE;
      case VerificationMaterial.SingleCertificate c -> SigningMethod.SIGSTORE;
    };
  }
}
