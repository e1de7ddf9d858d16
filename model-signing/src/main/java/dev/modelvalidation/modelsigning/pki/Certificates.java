package dev.modelvalidation.modelsigning.pki;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Small facts about X.509 certificates. */
public final class Certificates {
  private Certificates() {}

  /** Subject equals issuer and the certificate's own key verifies its signature. */
  public static boolean isSelfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    return isIssuedBy(certificate, certificate);
  }

  /** {@code issuer}'s subject is {@code certificate}'s issuer and its key verifies {@code certificate}. */
  public static boolean isIssuedBy(X509Certificate certificate, X509Certificate issuer) {
    if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** SHA-256 fingerprint as uppercase colon-separated hex ({@code AA:BB:…}), as pyOpenSSL's {@code digest()}. */
  public static String sha256Fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }

  /** A short description for messages: {@code subject 'CN=a', issuer 'CN=b'}. */
  public static String describe(X509Certificate certificate) {
    return "subject '"
        + certificate.getSubjectX500Principal().getName()
        + "', issuer '"
        + certificate.getIssuerX500Principal().getName()
        + "'";
  }
}
