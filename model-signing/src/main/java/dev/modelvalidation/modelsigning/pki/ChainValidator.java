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
 * {@code CA:TRUE}, keyCertSign, path length, name constraints and unknown critical extensions are checked by the
 * JDK's PKIX {@link CertPathValidator}.
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
    Set<X509Certificate> helpers = new LinkedHashSet<>(untrustedIntermediates);
    helpers.addAll(trustStore.certificates());
    List<X509Certificate> path = buildPath(leaf, anchors, helpers);
    X509Certificate anchor = path.getLast();
    // PKIX wants the path without the anchor, unless the leaf itself is the anchor
    List<X509Certificate> toValidate = path.size() == 1 ? path : path.subList(0, path.size() - 1);
    Date at = leaf.getNotBefore();
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
    // PKIX does not check the anchor's own validity; OpenSSL does
    try {
      anchor.checkValidity(at);
    } catch (java.security.cert.CertificateException e) {
      throw new VerificationException(
          "Certificate chain does not verify at the leaf's notBefore "
              + Instant.ofEpochMilli(at.getTime())
              + ": the root certificate "
              + Certificates.describe(anchor)
              + " is valid only from "
              + anchor.getNotBefore().toInstant()
              + " to "
              + anchor.getNotAfter().toInstant()
              + " (leaf "
              + Certificates.describe(leaf)
              + ")",
          e);
    }
    return List.copyOf(path);
  }

  private static List<X509Certificate> buildPath(
      X509Certificate leaf, List<X509Certificate> anchors, Set<X509Certificate> helpers)
      throws VerificationException {
    List<X509Certificate> path = new ArrayList<>();
    X509Certificate current = leaf;
    path.add(current);
    while (!anchors.contains(current)) {
      X509Certificate issuer = findIssuer(current, anchors, helpers, path);
      if (issuer == null) {
        throw new VerificationException(
            "Certificate chain does not verify: unable to get issuer certificate '"
                + current.getIssuerX500Principal().getName()
                + "' of "
                + (current == leaf ? "the leaf" : "certificate")
                + " "
                + Certificates.describe(current)
                + (anchors.isEmpty()
                    ? "; the trust store has no self-signed root certificate"
                    : "; the path must end in one of the "
                        + anchors.size()
                        + " self-signed root certificate(s) of the trust store")
                + " (leaf "
                + Certificates.describe(leaf)
                + ")");
      }
      path.add(issuer);
      current = issuer;
      if (path.size() > MAX_PATH_LENGTH) {
        throw new VerificationException(
            "Certificate chain does not verify: no path of at most " + MAX_PATH_LENGTH + " certificates to a root");
      }
    }
    return path;
  }

  private static X509Certificate findIssuer(
      X509Certificate certificate,
      List<X509Certificate> anchors,
      Set<X509Certificate> helpers,
      List<X509Certificate> path) {
    for (X509Certificate anchor : anchors) {
      if (Certificates.isIssuedBy(certificate, anchor)) {
        return anchor;
      }
    }
    for (X509Certificate candidate : helpers) {
      if (!path.contains(candidate) && Certificates.isIssuedBy(certificate, candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s+", " ").trim();
  }
}
