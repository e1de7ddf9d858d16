package dev.modelvalidation.modelsigning.pki;

import dev.modelvalidation.modelsigning.VerificationException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;

/**
 * The rules a self-signed root must meet to issue the rest of a path, as OpenSSL's default verification (so Python's
 * certificate method) applies them to the last certificate of a chain: it must be valid at the check time, have no
 * critical extension OpenSSL does not understand, and be a CA; its path length limits the CAs below it, and its name
 * constraints bind the names of the certificates below it. The JDK's PKIX treats a trust anchor as a bare name and
 * key (and refuses name constraints given with one).
 *
 * <p>"A CA", as OpenSSL's {@code check_ca} says outside strict mode: KeyUsage, if present, has keyCertSign; then
 * basicConstraints, if present, says {@code CA:TRUE}; without basicConstraints, a version 1 certificate or one whose
 * KeyUsage has keyCertSign is taken as a CA, anything else is not.
 */
final class RootCaRules {
  private static final String NAME_CONSTRAINTS = "2.5.29.30";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final int KEY_CERT_SIGN = 5;

  private RootCaRules() {}

  /**
   * @param path leaf first, the root last, at least one certificate between or the leaf itself below the root
   * @param at the time the chain is checked at, for messages
   * @throws VerificationException naming the root and the rule it breaks
   */
  static void check(List<X509Certificate> path, Date at) throws VerificationException {
    X509Certificate root = path.getLast();
    String problem = validityProblem(root, at);
    if (problem == null) {
      problem = criticalExtensionProblem(root);
    }
    if (problem == null) {
      problem = caProblem(root);
    }
    if (problem == null) {
      problem = pathLengthProblem(path);
    }
    if (problem == null) {
      problem = nameConstraintProblem(path);
    }
    if (problem != null) {
      throw new VerificationException(
          "Certificate chain does not verify at the leaf's notBefore "
              + Instant.ofEpochMilli(at.getTime())
              + ": the root certificate "
              + Certificates.describe(root)
              + " "
              + problem
              + " (leaf "
              + Certificates.describe(path.getFirst())
              + ")");
    }
  }

  /** OpenSSL checks the root's validity too (PKIX does not check a trust anchor's). */
  private static String validityProblem(X509Certificate root, Date at) {
    try {
      root.checkValidity(at);
      return null;
    } catch (java.security.cert.CertificateException e) {
      return "is valid only from " + root.getNotBefore().toInstant() + " to " + root.getNotAfter().toInstant();
    }
  }

  /**
   * The extensions OpenSSL's verification understands ({@code X509_supported_extension}): a critical one it does not
   * refuses the certificate, the root included.
   */
  private static final Set<String> UNDERSTOOD =
      Set.of(
          "2.16.840.1.113730.1.1", // Netscape certificate type
          "2.5.29.15", // key usage
          "2.5.29.17", // subject alternative name
          "2.5.29.19", // basic constraints
          "2.5.29.32", // certificate policies
          "2.5.29.31", // CRL distribution points
          "2.5.29.37", // extended key usage
          "1.3.6.1.5.5.7.1.7", // IP address blocks (RFC 3779)
          "1.3.6.1.5.5.7.1.8", // AS identifiers (RFC 3779)
          "1.3.6.1.5.5.7.48.1.5", // OCSP no check
          "2.5.29.36", // policy constraints
          "1.3.6.1.5.5.7.1.14", // proxy certificate information
          "2.5.29.30", // name constraints
          "2.5.29.33", // policy mappings
          "2.5.29.54"); // inhibit any policy

  private static String criticalExtensionProblem(X509Certificate root) {
    Set<String> critical = root.getCriticalExtensionOIDs();
    if (critical == null) {
      return null;
    }
    List<String> unknown = critical.stream().filter(oid -> !UNDERSTOOD.contains(oid)).sorted().toList();
    return unknown.isEmpty() ? null : "has critical extension(s) not understood: " + String.join(", ", unknown);
  }

  private static String caProblem(X509Certificate root) {
    boolean[] keyUsage = root.getKeyUsage();
    boolean certSign = keyUsage != null && keyUsage.length > KEY_CERT_SIGN && keyUsage[KEY_CERT_SIGN];
    if (keyUsage != null && !certSign) {
      return "may not sign certificates (its KeyUsage lacks keyCertSign)";
    }
    if (root.getExtensionValue(BASIC_CONSTRAINTS) != null) {
      return root.getBasicConstraints() < 0 ? "is not a CA (basicConstraints CA:FALSE)" : null;
    }
    if (root.getVersion() == 1 || certSign) {
      return null; // OpenSSL: a version 1 root, or KeyUsage keyCertSign without basicConstraints
    }
    return "is not a CA (no basicConstraints, no KeyUsage keyCertSign)";
  }

  /**
   * The root's pathLenConstraint against the CAs below it that are not self-issued (RFC 5280 §4.2.1.9; OpenSSL
   * counts the same way).
   */
  private static String pathLengthProblem(List<X509Certificate> path) {
    X509Certificate root = path.getLast();
    if (root.getExtensionValue(BASIC_CONSTRAINTS) == null) {
      return null;
    }
    int limit = root.getBasicConstraints();
    int below = 0;
    for (X509Certificate ca : path.subList(1, path.size() - 1)) {
      if (!ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal())) {
        below++;
      }
    }
    return below > limit
        ? "allows " + limit + " intermediate CA(s) below it (pathLenConstraint), the path has " + below
        : null;
  }

  /**
   * The root's name constraints (RFC 5280 §4.2.1.10) against the subject names, e-mail addresses in them and
   * subjectAltNames of every certificate below it, self-issued intermediates excepted (RFC 5280 §6.1.3), checked by
   * BouncyCastle's validator.
   */
  private static String nameConstraintProblem(List<X509Certificate> path) {
    X509Certificate root = path.getLast();
    byte[] extension = root.getExtensionValue(NAME_CONSTRAINTS);
    if (extension == null) {
      return null;
    }
    PKIXNameConstraintValidator validator = new PKIXNameConstraintValidator();
    try {
      NameConstraints constraints =
          NameConstraints.getInstance(ASN1OctetString.getInstance(extension).getOctets());
      if (constraints.getPermittedSubtrees() != null) {
        validator.intersectPermittedSubtree(constraints.getPermittedSubtrees());
      }
      if (constraints.getExcludedSubtrees() != null) {
        for (GeneralSubtree excluded : constraints.getExcludedSubtrees()) {
          validator.addExcludedSubtree(excluded);
        }
      }
    } catch (RuntimeException e) {
      return "has name constraints that cannot be read (" + e.getMessage() + ")";
    }
    for (int i = 0; i < path.size() - 1; i++) {
      X509Certificate certificate = path.get(i);
      if (i > 0 && certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        continue;
      }
      try {
        for (GeneralName name : namesOf(certificate)) {
          if (name.getTagNo() == GeneralName.directoryName) {
            X500Name dn = X500Name.getInstance(name.getName());
            if (dn.getRDNs().length == 0) {
              continue;
            }
            validator.checkPermittedDN(dn);
            validator.checkExcludedDN(dn);
          } else {
            validator.checkPermitted(name);
            validator.checkExcluded(name);
          }
        }
      } catch (NameConstraintValidatorException | RuntimeException e) {
        return "has name constraints that "
            + Certificates.describe(certificate)
            + " breaks ("
            + e.getMessage()
            + ")";
      }
    }
    return null;
  }

  /** The subject, the e-mail addresses in it and the subjectAltNames: the names name constraints apply to. */
  private static List<GeneralName> namesOf(X509Certificate certificate) {
    List<GeneralName> names = new ArrayList<>();
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    names.add(new GeneralName(subject));
    for (RDN rdn : subject.getRDNs(PKCSObjectIdentifiers.pkcs_9_at_emailAddress)) {
      for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
        names.add(new GeneralName(GeneralName.rfc822Name, IETFUtils.valueToString(value.getValue())));
      }
    }
    byte[] san = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (san != null) {
      names.addAll(List.of(GeneralNames.getInstance(ASN1OctetString.getInstance(san).getOctets()).getNames()));
    }
    return names;
  }
}
