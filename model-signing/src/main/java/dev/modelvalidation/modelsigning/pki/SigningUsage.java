package dev.modelvalidation.modelsigning.pki;

import dev.modelvalidation.modelsigning.VerificationException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The leaf usage check of the certificate method (§8.3): KeyUsage with digitalSignature, or else ExtendedKeyUsage
 * with codeSigning.
 */
public final class SigningUsage {
  /** The codeSigning extended key usage. */
  public static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

  private SigningUsage() {}

  /**
   * @return the warnings Python logs on the way (a missing KeyUsage or ExtendedKeyUsage)
   * @throws VerificationException {@code Signing certificate cannot be used for signing}, with what was found and
   *     carrying the warnings logged before ({@link VerificationException#warnings()})
   */
  public static List<String> check(X509Certificate leaf) throws VerificationException {
    List<String> warnings = new ArrayList<>();
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage == null) {
      warnings.add("Certificate does not specify 'KeyUsage'.");
    } else if (keyUsage.length > 0 && keyUsage[0]) {
      return warnings;
    }
    List<String> extendedKeyUsage;
    try {
      extendedKeyUsage = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new VerificationException(
          "Signing certificate cannot be used for signing: its ExtendedKeyUsage cannot be parsed", e);
    }
    if (extendedKeyUsage == null) {
      warnings.add("Certificate does not specify 'ExtendedKeyUsage'.");
    } else if (extendedKeyUsage.contains(CODE_SIGNING)) {
      return warnings;
    }
    // Python logs the warnings before it raises
    throw new VerificationException(
            "Signing certificate cannot be used for signing (leaf "
            + Certificates.describe(leaf)
            + " has "
            + (keyUsage == null ? "no KeyUsage" : "KeyUsage without digitalSignature")
            + " and "
            + (extendedKeyUsage == null ? "no ExtendedKeyUsage" : "ExtendedKeyUsage without codeSigning")
            + ")")
        .withEarlierWarnings(warnings);
  }
}
