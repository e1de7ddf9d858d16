package dev.modelvalidation.modelsigning.sigstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.signature.SignatureVerifier;
import dev.modelvalidation.modelsigning.signature.VerifiedPayload;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.strings.StringMatcher;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampResponse;

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
  static final Set<String> KNOWN_MEDIA_TYPES = Set.of(
      "application/vnd.dev.sigstore.bundle+json;version=0.1",
      "application/vnd.dev.sigstore.bundle+json;version=0.2",
      MEDIA_TYPE_V03,
      "application/vnd.dev.sigstore.bundle.v0.3.1+json");
  private static final String CODE_SIGNING_EKU = "1.3.6.1.5.5.7.3.3";
  private static final ObjectMapper JSON = new ObjectMapper();

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

    List<Instant> tsaTimes = facts.rfc3161Times();
    if (facts.hasInclusionPromise()) {
      checkLeafValidAt(facts.leaf(), facts.integratedTime(), "the Rekor integrated time");
      checkLogKeyValidAt(facts.logKeyId(), facts.integratedTime());
    }
    for (Instant t : tsaTimes) {
      checkLeafValidAt(facts.leaf(), t, "the RFC 3161 timestamp");
    }
    checkLeafUsage(facts.leaf());
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

  /** What this class reads from the bundle JSON itself, after checking the bundle's shape. */
  record BundleFacts(
      X509Certificate leaf,
      String payloadType,
      byte[] payload,
      byte[] subjectSha256,
      boolean hasInclusionPromise,
      Instant integratedTime,
      byte[] logKeyId,
      List<byte[]> rfc3161Timestamps) {

    static BundleFacts parse(byte[] bundleJson) throws ModelSigningException {
      JsonNode root;
      try {
        root = JSON.readTree(bundleJson);
      } catch (JsonProcessingException e) {
        throw new ModelSigningException("Invalid Sigstore bundle: not valid JSON: " + Messages.firstLine(e.getOriginalMessage()));
      } catch (IOException e) {
        throw new ModelSigningException("Invalid Sigstore bundle: " + Messages.describe(e), e);
      }
      if (root == null || !root.isObject()) {
        throw new ModelSigningException("Invalid Sigstore bundle: expected a JSON object");
      }
      String mediaType = root.path("mediaType").asText("");
      if (!KNOWN_MEDIA_TYPES.contains(mediaType)) {
        throw new ModelSigningException("Invalid Sigstore bundle: unknown mediaType '" + mediaType + "', expected "
            + MEDIA_TYPE_V03);
      }
      JsonNode envelope = root.path("dsseEnvelope");
      if (!envelope.isObject()) {
        throw new ModelSigningException("Invalid Sigstore bundle: it has no dsseEnvelope"
            + (root.has("messageSignature") ? " (it is a messageSignature bundle, not a model signature)" : ""));
      }
      JsonNode signatures = envelope.path("signatures");
      if (!signatures.isArray() || signatures.size() != 1) {
        throw new ModelSigningException("Invalid Sigstore bundle: expected exactly one DSSE signature, found "
            + (signatures.isArray() ? signatures.size() : 0));
      }
      JsonNode material = root.path("verificationMaterial");
      X509Certificate leaf = leaf(material, mediaType);
      JsonNode entries = material.path("tlogEntries");
      if (!entries.isArray() || entries.size() != 1) {
        throw new ModelSigningException("Invalid Sigstore bundle: expected exactly one transparency log entry, found "
            + (entries.isArray() ? entries.size() : 0));
      }
      JsonNode entry = entries.get(0);
      String payloadType = envelope.path("payloadType").asText("");
      if (!IN_TOTO.equals(payloadType)) {
        throw new ModelSigningException("Expected DSSE payload " + IN_TOTO + ", but got " + payloadType);
      }
      byte[] payload = base64(envelope.path("payload"), "dsseEnvelope.payload");
      boolean hasSet = !entry.path("inclusionPromise").path("signedEntryTimestamp").asText("").isEmpty();
      Instant integrated;
      try {
        integrated = Instant.ofEpochSecond(Long.parseLong(entry.path("integratedTime").asText("0")));
      } catch (NumberFormatException e) {
        throw new ModelSigningException("Invalid Sigstore bundle: integratedTime is not a number");
      }
      byte[] logKeyId = base64(entry.path("logId").path("keyId"), "tlogEntries[0].logId.keyId");
      List<byte[]> timestamps = new ArrayList<>();
      for (JsonNode ts : material.path("timestampVerificationData").path("rfc3161Timestamps")) {
        timestamps.add(base64(ts.path("signedTimestamp"), "rfc3161Timestamps[].signedTimestamp"));
      }
      return new BundleFacts(leaf, payloadType, payload, subjectSha256(payload), hasSet, integrated, logKeyId, timestamps);
    }

    private static X509Certificate leaf(JsonNode material, String mediaType) throws ModelSigningException {
      JsonNode raw;
      if (material.has("certificate")) {
        raw = material.path("certificate").path("rawBytes");
      } else if (material.has("x509CertificateChain")) {
        if (MEDIA_TYPE_V03.equals(mediaType)) {
          throw new ModelSigningException("Invalid Sigstore bundle: a v0.3 bundle must carry a single 'certificate', "
              + "not an x509CertificateChain (is this a 'certificate' method signature?)");
        }
        raw = material.path("x509CertificateChain").path("certificates").path(0).path("rawBytes");
      } else if (material.has("publicKey")) {
        throw new ModelSigningException("Invalid Sigstore bundle: it is signed with a public key, not a Sigstore "
            + "certificate (is this a 'key' method signature?)");
      } else {
        throw new ModelSigningException("Invalid Sigstore bundle: it has no signing certificate");
      }
      byte[] der = base64(raw, "the signing certificate");
      try {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
      } catch (GeneralSecurityException e) {
        throw new ModelSigningException("Invalid Sigstore bundle: the signing certificate cannot be parsed: "
            + Messages.describe(e), e);
      }
    }

    private static byte[] subjectSha256(byte[] payload) throws ModelSigningException {
      JsonNode statement;
      try {
        statement = JSON.readTree(payload);
      } catch (IOException e) {
        throw new ModelSigningException("Invalid DSSE payload: not valid JSON: " + Messages.firstLine(e.getMessage()));
      }
      String hex = statement == null ? "" : statement.path("subject").path(0).path("digest").path("sha256").asText("");
      try {
        byte[] digest = HexFormat.of().parseHex(hex);
        if (digest.length == 32) {
          return digest;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw new ModelSigningException("Invalid DSSE payload: the in-toto statement has no subject sha256 digest");
    }

    private static byte[] base64(JsonNode node, String what) throws ModelSigningException {
      String text = node.asText("");
      if (text.isEmpty()) {
        throw new ModelSigningException("Invalid Sigstore bundle: " + what + " is missing");
      }
      try {
        return Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new ModelSigningException("Invalid Sigstore bundle: " + what + " is not valid base64");
      }
    }

    /** The generation times of the RFC 3161 timestamps (which sigstore-java has verified by the time this runs). */
    List<Instant> rfc3161Times() throws VerificationException {
      List<Instant> times = new ArrayList<>();
      for (byte[] ts : rfc3161Timestamps) {
        try {
          TimeStampResponse response = new TimeStampResponse(ts);
          if (response.getTimeStampToken() == null) {
            throw new VerificationException("An RFC 3161 timestamp in the bundle holds no token");
          }
          times.add(response.getTimeStampToken().getTimeStampInfo().getGenTime().toInstant());
        } catch (TSPException | IOException e) {
          throw new VerificationException("Cannot read an RFC 3161 timestamp in the bundle: " + Messages.describe(e), e);
        }
      }
      return times;
    }
  }
}
