package dev.modelvalidation.modelsigning.pki;

import dev.modelvalidation.modelsigning.VerificationException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a signing certificate as Python model_signing does with pyOpenSSL (§8.3): the path from the leaf,
 * through untrusted intermediates and the trust store's certificates, must end in a self-signed trust-store
 * certificate; validity is checked at the leaf's {@code notBefore}; no revocation checks. Issuer signatures,
 * {@code CA:TRUE}, keyCertSign, path length, name constraints and unknown critical extensions of the certificates
 * below the root are checked by the JDK's PKIX {@link CertPathValidator}; the root's own validity and CA rules, which
 * OpenSSL (so Python) checks too, by {@link RootCaRules}. Issuers are looked for among the trust store's certificates
 * before the bundle's, and a path that ends nowhere is backed out of (a cross-signed intermediate in the bundle does
 * not hide the trusted one).
 */
public final class ChainValidator {
  private static final int MAX_PATH_LENGTH = 16;

  private final TrustStore trustStore;

  public ChainValidator(TrustStore trustStore) {
    this.trustStore = trustStore;
  }

  /**
   * @param leaf the signing certificate
   * @param untrustedIntermediates other certificates from the bundle, in any order
   * @return the validated path, leaf first, anchor last
   * @throws VerificationException saying which certificate failed and why
   */
  public List<X509Certificate> validate(X509Certificate leaf, List<X509Certificate> untrustedIntermediates)
      throws VerificationException {
    List<X509Certificate> anchors = trustStore.anchors();
    // candidates for issuers: the trust store's before the bundle's, as OpenSSL's default (trusted first) does
    Set<X509Certificate> helpers = new LinkedHashSet<>(trustStore.certificates());
    helpers.addAll(untrustedIntermediates);
    Date at = leaf.getNotBefore();
    List<X509Certificate> path = buildPath(leaf, anchors, helpers, at);
    X509Certificate anchor = path.getLast();
    // The root lends PKIX its name and key; its validity and its own rules as a CA (RootCaRules) are checked after,
    // as OpenSSL checks them. (With the root in the validated path the JDK would also check its self-signature's
    // algorithm and its policy constraints, which OpenSSL does not by default, and refuse a version 3 root without
    // basicConstraints; the JDK's PKIX does not take name constraints with a trust anchor.)
    List<X509Certificate> toValidate = path.size() == 1 ? path : path.subList(0, path.size() - 1);
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(toValidate);
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(at);
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      String which =
          e.getIndex() >= 0 && e.getIndex() < toValidate.size()
              ? " at certificate " + Certificates.describe(toValidate.get(e.getIndex()))
              : "";
      throw new VerificationException(
          "Certificate chain does not verify at the leaf's notBefore "
              + Instant.ofEpochMilli(at.getTime())
              + ": "
              + oneLine(e.getMessage())
              + which
              + " (leaf "
              + Certificates.describe(leaf)
              + ")",
          e);
    } catch (GeneralSecurityException e) {
      throw new VerificationException("Certificate chain cannot be validated: " + oneLine(e.getMessage()), e);
    }
    if (path.size() > 1) {
      RootCaRules.check(path, at);
    }
    return List.copyOf(path);
  }

  /**
   * A path from the leaf to a self-signed anchor, found depth first with issuers tried in order: anchors, then the
   * other candidates in their order, each group with the certificates valid at {@code at} first (OpenSSL too prefers
   * a valid copy of a re-issued CA); a dead end is backed out of and the next candidate tried (a cross-signed
   * intermediate in the bundle does not hide the one the trust store holds).
   */
  private static List<X509Certificate> buildPath(
      X509Certificate leaf, List<X509Certificate> anchors, Set<X509Certificate> helpers, Date at)
      throws VerificationException {
    PathSearch search = new PathSearch(anchors, helpers, at);
    List<X509Certificate> path = new ArrayList<>(List.of(leaf));
    if (search.extend(path)) {
      return path;
    }
    if (search.checks > MAX_SIGNATURE_CHECKS) {
      throw new VerificationException(
          "Certificate chain does not verify: too many candidate issuers to try (more than "
              + MAX_SIGNATURE_CHECKS
              + " signature checks)");
    }
    if (search.tooLong) {
      throw new VerificationException(
          "Certificate chain does not verify: no path of at most " + MAX_PATH_LENGTH + " certificates to a root");
    }
    X509Certificate stuck = search.deepest;
    throw new VerificationException(
        "Certificate chain does not verify: unable to get issuer certificate '"
            + stuck.getIssuerX500Principal().getName()
            + "' of "
            + (stuck == leaf ? "the leaf" : "certificate")
            + " "
            + Certificates.describe(stuck)
            + (anchors.isEmpty()
                ? "; the trust store has no self-signed root certificate"
                : "; the path must end in one of the "
                    + anchors.size()
                    + " self-signed root certificate(s) of the trust store")
            + " (leaf "
            + Certificates.describe(leaf)
            + ")");
  }

  /**
   * Bounds the path search: a bundle holds as many certificates as its author likes, and trying each candidate is a
   * signature check.
   */
  private static final int MAX_SIGNATURE_CHECKS = 1000;

  /** The state of one depth-first path search. */
  private static final class PathSearch {
    private final List<X509Certificate> anchors;
    private final List<X509Certificate> candidates;
    /** Certificates from which no anchor was reached: not tried again. */
    private final Set<X509Certificate> deadEnds = new java.util.HashSet<>();
    private boolean tooLong;
    /** How often the search hit {@link #MAX_PATH_LENGTH}: a dead end only because of it is not remembered. */
    private int depthLimits;
    private int checks;
    /** The certificate the longest path tried ended at, for the message when none reaches an anchor. */
    private X509Certificate deepest;
    private int deepestLength;

    PathSearch(List<X509Certificate> anchors, Set<X509Certificate> helpers, Date at) {
      this.anchors = anchors;
      Set<X509Certificate> all = new LinkedHashSet<>(validFirst(anchors, at));
      all.addAll(validFirst(List.copyOf(helpers), at));
      this.candidates = List.copyOf(all);
    }

    private static List<X509Certificate> validFirst(List<X509Certificate> certificates, Date at) {
      List<X509Certificate> valid = new ArrayList<>();
      List<X509Certificate> invalid = new ArrayList<>();
      for (X509Certificate certificate : certificates) {
        (isValidAt(certificate, at) ? valid : invalid).add(certificate);
      }
      valid.addAll(invalid);
      return valid;
    }

    private static boolean isValidAt(X509Certificate certificate, Date at) {
      try {
        certificate.checkValidity(at);
        return true;
      } catch (java.security.cert.CertificateException e) {
        return false;
      }
    }

    /** Whether {@code path} (leaf first) can be extended to end in an anchor; if so it is, in place. */
    boolean extend(List<X509Certificate> path) {
      X509Certificate current = path.getLast();
      if (path.size() > deepestLength) {
        deepest = current;
        deepestLength = path.size();
      }
      if (anchors.contains(current)) {
        return true;
      }
      if (path.size() >= MAX_PATH_LENGTH) {
        tooLong = true;
        depthLimits++;
        return false;
      }
      int depthLimitsBefore = depthLimits;
      for (X509Certificate candidate : candidates) {
        if (path.contains(candidate)
            || deadEnds.contains(candidate)
            || !current.getIssuerX500Principal().equals(candidate.getSubjectX500Principal())) {
          continue;
        }
        if (++checks > MAX_SIGNATURE_CHECKS) {
          return false;
        }
        if (Certificates.isIssuedBy(current, candidate)) {
          path.add(candidate);
          if (extend(path)) {
            return true;
          }
          path.removeLast();
          if (checks > MAX_SIGNATURE_CHECKS) {
            return false;
          }
        }
      }
      if (depthLimits == depthLimitsBefore) {
        deadEnds.add(current); // no anchor reachable from it at any depth; after a depth limit, a shorter way may be
      }
      return false;
    }
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s+", " ").trim();
  }
}
