package dev.modelvalidation.modelsigning.sigstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.json.JsonTrees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampResponse;

/** What this class reads from the bundle JSON itself, after checking the bundle's shape. */
record BundleFacts(
    X509Certificate leaf,
    String payloadType,
    byte[] payload,
    byte[] subjectSha256,
    boolean hasInclusionPromise,
    Instant integratedTime,
    byte[] logKeyId,
    String kind,
    String kindVersion,
    byte[] canonicalizedBody,
    List<byte[]> rfc3161Timestamps) {
  /** sigstore-python's limit on RFC 3161 timestamps per bundle. */
  static final int MAX_TIMESTAMPS = 32;


  static BundleFacts parse(byte[] bundleJson) throws ModelSigningException {
    if (new String(bundleJson, StandardCharsets.UTF_8).isBlank()) {
      throw new ModelSigningException("Invalid Sigstore bundle: the file is empty");
    }
    JsonNode root;
    try {
      root = JsonTrees.readTree(bundleJson);
    } catch (JsonProcessingException e) {
      throw new ModelSigningException("Invalid Sigstore bundle: not valid JSON: " + Messages.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ModelSigningException("Invalid Sigstore bundle: " + Messages.describe(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelSigningException("Invalid Sigstore bundle: expected a JSON object");
    }
    String mediaType = root.path("mediaType").asText("");
    if (!SigstoreSignatureVerifier.KNOWN_MEDIA_TYPES.contains(mediaType)) {
      throw new ModelSigningException("Invalid Sigstore bundle: unknown mediaType '" + mediaType + "', expected "
          + SigstoreSignatureVerifier.MEDIA_TYPE_V03);
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
    // checked here: sigstore-java reports a bad signature encoding with a library exception's text
    base64(signatures.get(0).path("sig"), "dsseEnvelope.signatures[0].sig");
    JsonNode material = root.path("verificationMaterial");
    if (!material.isObject()) {
      throw new ModelSigningException("Invalid Sigstore bundle: verificationMaterial is missing");
    }
    X509Certificate leaf = leaf(material, mediaType);
    JsonNode entries = material.path("tlogEntries");
    if (!entries.isArray() || entries.size() != 1) {
      throw new ModelSigningException("Invalid Sigstore bundle: expected exactly one transparency log entry, found "
          + (entries.isArray() ? entries.size() : 0));
    }
    JsonNode entry = entries.get(0);
    String payloadType = envelope.path("payloadType").asText("");
    if (!SigstoreSignatureVerifier.IN_TOTO.equals(payloadType)) {
      throw new ModelSigningException("Expected DSSE payload " + SigstoreSignatureVerifier.IN_TOTO + ", but got " + payloadType);
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
    String kind = entry.path("kindVersion").path("kind").asText("");
    String kindVersion = entry.path("kindVersion").path("version").asText("");
    if (!kindVersion.equals("0.0.1") && !kindVersion.equals("0.0.2")) {
      throw new ModelSigningException("Invalid Sigstore bundle: unsupported transparency log entry version '"
          + kind + "/" + kindVersion + "', expected 0.0.1 or 0.0.2");
    }
    // sigstore-python checks a DSSE signature's log entry as one of these two kinds only; another label would skip
    // the comparison of the entry with the bundle (checkLogEntryCertificate)
    if (!(kind.equals("dsse") && kindVersion.equals("0.0.1"))
        && !(kind.equals("hashedrekord") && kindVersion.equals("0.0.2"))) {
      throw new ModelSigningException("Invalid Sigstore bundle: unsupported transparency log entry type '"
          + kind + "/" + kindVersion + "' for a DSSE signature, expected dsse/0.0.1 or hashedrekord/0.0.2");
    }
    checkInclusionProofIndex(entry.path("inclusionProof"));
    byte[] body = base64(entry.path("canonicalizedBody"), "tlogEntries[0].canonicalizedBody");
    List<byte[]> timestamps = new ArrayList<>();
    for (JsonNode ts : material.path("timestampVerificationData").path("rfc3161Timestamps")) {
      byte[] token = base64(ts.path("signedTimestamp"), "rfc3161Timestamps[].signedTimestamp");
      if (timestamps.stream().anyMatch(t -> java.util.Arrays.equals(t, token))) {
        throw new ModelSigningException("Invalid Sigstore bundle: it repeats an RFC 3161 timestamp");
      }
      timestamps.add(token);
    }
    if (timestamps.size() > MAX_TIMESTAMPS) {
      throw new ModelSigningException("Invalid Sigstore bundle: " + timestamps.size()
          + " RFC 3161 timestamps, at most " + MAX_TIMESTAMPS + " are accepted");
    }
    return new BundleFacts(leaf, payloadType, payload, subjectSha256(payload), hasSet, integrated, logKeyId, kind,
        kindVersion, body, timestamps);
  }

  /**
   * The proof's leaf index must lie in its tree ({@code 0 <= logIndex < treeSize}), as sigstore-python requires;
   * sigstore-java's proof check lets an index equal to the tree size through. A missing proof is sigstore-java's to
   * report.
   */
  private static void checkInclusionProofIndex(JsonNode proof) throws ModelSigningException {
    if (proof.isMissingNode() || proof.isNull()) {
      return;
    }
    long index;
    long treeSize;
    try {
      // protobuf's JSON leaves out zero values: a proof for the first entry of a log has no logIndex
      index = Long.parseLong(proof.path("logIndex").asText("0"));
      treeSize = Long.parseLong(proof.path("treeSize").asText("0"));
    } catch (NumberFormatException e) {
      throw new ModelSigningException(
          "Invalid Sigstore bundle: the inclusion proof's logIndex and treeSize must be integers");
    }
    if (index < 0 || index >= treeSize) {
      throw new ModelSigningException("Invalid Sigstore bundle: the inclusion proof's logIndex " + index
          + " is not within its tree of size " + treeSize);
    }
  }

  private static X509Certificate leaf(JsonNode material, String mediaType) throws ModelSigningException {
    JsonNode raw;
    if (material.has("certificate")) {
      raw = material.path("certificate").path("rawBytes");
    } else if (material.has("x509CertificateChain")) {
      if (SigstoreSignatureVerifier.MEDIA_TYPES_V03.contains(mediaType)) {
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
      statement = JsonTrees.readTree(payload);
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
