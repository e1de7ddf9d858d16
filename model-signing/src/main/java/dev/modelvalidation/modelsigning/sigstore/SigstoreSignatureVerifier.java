package dev.modelvalidation.modelsigning.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.json.JsonTrees;
import dev.modelvalidation.modelsigning.signature.SignatureVerifier;
import dev.modelvalidation.modelsigning.signature.VerifiedPayload;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.strings.StringMatcher;
import dev.sigstore.trustroot.CertificateAuthority;
import dev.sigstore.trustroot.TransparencyLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies the signature layer of a keyless ({@code sigstore} method) model signature, fully offline against a
 * {@link SigstoreTrust}.
 *
 * <p>sigstore-java's {@link KeylessVerifier} does the cryptography (Fulcio chain, SCT, DSSE signature, Rekor SET,
 * inclusion proof and checkpoint, RFC 3161 timestamps, log-entry consistency). This class adds what it leaves out:
 * bundle shape (known mediaType, DSSE envelope, exactly one signature, exactly one tlog entry, {@code certificate}
 * in v0.3 bundles), the identity policy with errors that name the certificate's actual values, a verified signing
 * time (SET or RFC 3161 timestamp required), the leaf's validity at the Rekor integrated time and at each RFC 3161
 * time, the Rekor key's validity period at the integrated time, and the leaf's KeyUsage/EKU.
 *
 * <p>The returned payload's subject digest is what sigstore-java checked the envelope against; the caller must
 * recompute the root digest from the payload's resources and compare the local model.
 */
public final class SigstoreSignatureVerifier implements SignatureVerifier {
  static final String IN_TOTO = "application/vnd.in-toto+json";
  static final String MEDIA_TYPE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
  /** The two spellings of a v0.3 bundle's media type that sigstore-python knows. */
  static final Set<String> MEDIA_TYPES_V03 =
      Set.of(MEDIA_TYPE_V03, "application/vnd.dev.sigstore.bundle+json;version=0.3");
  /** The media types sigstore-python's bundle model knows. */
  static final Set<String> KNOWN_MEDIA_TYPES = Set.of(
      "application/vnd.dev.sigstore.bundle+json;version=0.1",
      "application/vnd.dev.sigstore.bundle+json;version=0.2",
      MEDIA_TYPE_V03,
      "application/vnd.dev.sigstore.bundle+json;version=0.3");
  private static final String CODE_SIGNING_EKU = "1.3.6.1.5.5.7.3.3";

  private final SigstoreTrust trust;
  private final String identity;
  private final String oidcIssuer;

  /**
   * @param trust the trusted root to verify against (no network is used)
   * @param identity the expected signer identity, compared exactly with the certificate's SAN values
   * @param oidcIssuer the expected OIDC issuer, compared exactly with the certificate's issuer extension
   */
  public SigstoreSignatureVerifier(SigstoreTrust trust, String identity, String oidcIssuer) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.oidcIssuer = Objects.requireNonNull(oidcIssuer, "oidcIssuer");
  }

  @Override
  public VerifiedPayload verify(byte[] bundleJson) throws ModelSigningException {
    BundleFacts facts = BundleFacts.parse(bundleJson);

    FulcioIdentity actual;
    try {
      actual = FulcioIdentity.of(facts.leaf());
    } catch (IOException | RuntimeException e) {
      throw new VerificationException("Cannot read the identity from the signing certificate: " + Messages.describe(e), e);
    }
    checkPolicy(actual);
    // sigstore-java 2.0.0 also insists on a SET or a timestamp when parsing; check it first for a clear message
    requireVerifiedTime(facts.hasInclusionPromise(), facts.rfc3161Timestamps().size());

    Bundle bundle;
    try {
      bundle = Bundle.from(new StringReader(new String(bundleJson, StandardCharsets.UTF_8)));
    } catch (BundleParseException | RuntimeException e) {
      throw new ModelSigningException("Invalid Sigstore bundle: " + Messages.describe(e), e);
    }
    KeylessVerifier verifier;
    try {
      verifier = KeylessVerifier.builder().trustedRootProvider(trust::trustedRoot).build();
    } catch (GeneralSecurityException | dev.sigstore.trustroot.SigstoreConfigurationException | RuntimeException e) {
      throw new ModelSigningException("Cannot use " + trust.description() + ": " + Messages.describe(e), e);
    }
    VerificationOptions options = VerificationOptions.empty();
    if (hasOnlyEmailOrUriSans(facts.leaf())) {
      // also let sigstore-java enforce the policy; its matcher rejects otherName SANs outright, so for those
      // certificates our own check above is the only one
      options = VerificationOptions.builder()
          .addCertificateMatchers(VerificationOptions.CertificateMatcher.fulcio()
              .subjectAlternativeName(StringMatcher.string(identity))
              .issuer(StringMatcher.string(oidcIssuer))
              .build())
          .build();
    }
    try {
      verifier.verify(facts.subjectSha256(), bundle, options);
    } catch (KeylessVerificationException | RuntimeException e) {
      throw new VerificationException(
          "Sigstore verification against " + trust.description() + " failed: " + Messages.describe(e), e);
    }

    Map<Instant, String> verifiedTimes = new LinkedHashMap<>();
    if (facts.hasInclusionPromise()) {
      verifiedTimes.put(facts.integratedTime(), "the Rekor integrated time");
      checkLogKeyValidAt(facts.logKeyId(), facts.integratedTime());
    }
    for (Instant t : facts.rfc3161Times()) {
      verifiedTimes.putIfAbsent(t, "the RFC 3161 timestamp");
    }
    for (Map.Entry<Instant, String> time : verifiedTimes.entrySet()) {
      checkLeafValidAt(facts.leaf(), time.getKey(), time.getValue());
      checkIssuerChainValidAt(facts.leaf(), time.getKey(), time.getValue());
    }
    checkLeafUsage(facts.leaf());
    checkLogEntryCertificate(facts);
    return new VerifiedPayload(facts.payloadType(), facts.payload(), List.of());
  }

  private void checkPolicy(FulcioIdentity actual) throws VerificationException {
    if (!actual.issuerMatches(oidcIssuer)) {
      throw new VerificationException("Certificate OIDC issuer mismatch: expected '" + oidcIssuer
          + "', but the signing certificate was issued for " + actual.describeIssuer()
          + " (certificate identity " + actual.describeSans() + ")");
    }
    if (actual.sans().stream().noneMatch(identity::equals)) {
      throw new VerificationException("Certificate identity mismatch: expected '" + identity
          + "', but the signing certificate's identity (SAN) is " + actual.describeSans()
          + " (OIDC issuer " + actual.describeIssuer() + ")");
    }
  }

  private static boolean hasOnlyEmailOrUriSans(X509Certificate leaf) {
    try {
      var names = leaf.getSubjectAlternativeNames();
      return names != null && names.stream().allMatch(n -> {
        int type = (Integer) n.get(0);
        return type == 1 || type == 6;
      });
    } catch (java.security.cert.CertificateParsingException e) {
      return false;
    }
  }

  /** sigstore-java accepts an entry without SET and without timestamp; a verified time is required. */
  static void requireVerifiedTime(boolean hasInclusionPromise, int verifiedRfc3161Timestamps) throws VerificationException {
    if (!hasInclusionPromise && verifiedRfc3161Timestamps == 0) {
      throw new VerificationException("No verified signing time: the transparency log entry has no signed entry "
          + "timestamp (inclusionPromise) and the bundle has no RFC 3161 timestamp");
    }
  }

  /** sigstore-java validates the chain at the leaf's notBefore only; the signing time must fall in the leaf's validity. */
  static void checkLeafValidAt(X509Certificate leaf, Instant time, String what) throws VerificationException {
    try {
      leaf.checkValidity(Date.from(time));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new VerificationException("The signing certificate was not valid at " + what + " " + time
          + ": it is valid from " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant());
    }
  }

  /** sigstore-java validates the Fulcio chain at the leaf's notBefore; Python validates it at each verified time. */
  private void checkIssuerChainValidAt(X509Certificate leaf, Instant time, String what) throws VerificationException {
    for (CertificateAuthority ca : trust.trustedRoot().getCAs()) {
      List<? extends java.security.cert.Certificate> path = ca.getCertPath().getCertificates();
      if (path.isEmpty() || !issued(path.get(0), leaf)) {
        continue;
      }
      for (java.security.cert.Certificate cert : path) {
        X509Certificate x509 = (X509Certificate) cert;
        try {
          x509.checkValidity(Date.from(time));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
          throw new VerificationException("The Fulcio CA certificate '" + x509.getSubjectX500Principal().getName()
              + "' was not valid at " + what + " " + time);
        }
      }
      return;
    }
  }

  private static boolean issued(java.security.cert.Certificate issuer, X509Certificate leaf) {
    try {
      leaf.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * sigstore-java compares a dsse 0.0.1 entry's payload hash and signature with the envelope, but not the entry's
   * verifier certificate with the bundle's certificate (sigstore-python does).
   */
  static void checkLogEntryCertificate(BundleFacts facts) throws VerificationException {
    if (!"dsse".equals(facts.kind()) || !"0.0.1".equals(facts.kindVersion())) {
      return; // 0.0.2 entries: sigstore-java compares the certificate itself
    }
    try {
      JsonNode signatures = JsonTrees.readTree(facts.canonicalizedBody()).path("spec").path("signatures");
      if (!signatures.isArray() || signatures.size() != 1) {
        throw new VerificationException("The transparency log entry holds " + signatures.size()
            + " signatures, expected exactly one");
      }
      byte[] pem = Base64.getDecoder().decode(signatures.get(0).path("verifier").asText(""));
      X509Certificate logged = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem));
      if (!Arrays.equals(logged.getEncoded(), facts.leaf().getEncoded())) {
        throw new VerificationException("The transparency log entry was made with a different certificate ("
            + logged.getSubjectX500Principal() + ", serial " + logged.getSerialNumber().toString(16)
            + ") than the bundle's signing certificate");
      }
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new VerificationException("Cannot read the certificate in the transparency log entry: "
          + Messages.describe(e), e);
    }
  }

  private void checkLogKeyValidAt(byte[] logKeyId, Instant integratedTime) throws VerificationException {
    TransparencyLog log = TransparencyLog.find(trust.trustedRoot().getTLogs(), logKeyId)
        .orElseThrow(() -> new VerificationException("The transparency log "
            + Base64.getEncoder().encodeToString(logKeyId) + " is not in " + trust.description()));
    if (!log.getPublicKey().getValidFor().contains(integratedTime)) {
      throw new VerificationException("The transparency log key " + log.getBaseUrl() + " was not valid at the Rekor "
          + "integrated time " + integratedTime);
    }
  }

  static void checkLeafUsage(X509Certificate leaf) throws VerificationException {
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage == null || !keyUsage[0]) {
      throw new VerificationException("The signing certificate lacks KeyUsage digitalSignature");
    }
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku == null || !eku.contains(CODE_SIGNING_EKU)) {
        throw new VerificationException("The signing certificate lacks ExtendedKeyUsage codeSigning");
      }
    } catch (java.security.cert.CertificateParsingException e) {
      throw new VerificationException("Cannot read the signing certificate's ExtendedKeyUsage: " + e.getMessage(), e);
    }
  }

}
