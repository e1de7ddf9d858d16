package dev.modelvalidation.modelsigning.bundle;

import java.security.cert.X509Certificate;
import java.util.List;

/** The {@code verificationMaterial} content of a bundle: exactly one of three forms. */
public sealed interface VerificationMaterial {

  /**
   * {@code publicKey}: the key method. Older bundles' {@code rawBytes} and {@code keyDetails} are dropped on read,
   * as Python does (§8.6).
   *
   * @param hint the public key identifier, or null when absent, null or empty (old format)
   */
  record KeyHint(String hint) implements VerificationMaterial {
    public KeyHint {
      if (hint != null && hint.isEmpty()) {
        hint = null;
      }
    }

    public boolean hasHint() {
      return hint != null;
    }
  }

  /**
   * {@code x509CertificateChain}: the certificate method. The first certificate is the signing leaf.
   *
   * @param certificates leaf first, then the untrusted intermediates as stored
   */
  record CertificateChain(List<X509Certificate> certificates) implements VerificationMaterial {
    public CertificateChain {
      certificates = List.copyOf(certificates);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("a certificate chain needs at least the leaf");
      }
    }

    public X509Certificate leaf() {
      return certificates.getFirst();
    }
  }

  /** {@code certificate}: a single (Fulcio) certificate, as Sigstore keyless bundles carry it. */
  record SingleCertificate(X509Certificate certificate) implements VerificationMaterial {}
}
