package dev.modelvalidation.modelsigning.sigstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.signature.PayloadSigner;
import dev.sigstore.trustroot.Service;
import dev.sigstore.trustroot.SigstoreSigningConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

/**
 * Signs a model's in-toto statement keylessly, as sigstore-python's {@code sign_dsse} does for model_signing:
 * an ephemeral P-256 key, a Fulcio certificate for the identity token (CSR over the REST v2 API), an ECDSA-SHA256
 * DSSE signature over the PAE, a Rekor v1 {@code dsse} 0.0.1 entry, and a v0.3 bundle with {@code certificate}
 * and one tlog entry (compact JSON, no trailing newline).
 *
 * <p>sigstore-java 2.0.0 is not used for the signing flow: its DSSE signing ({@code KeylessSigner.attest}) only
 * supports Rekor v2 with a timestamp authority, and its Rekor v1 client only uploads hashedrekord entries. The
 * finished bundle is verified with {@link SigstoreSignatureVerifier} (sigstore-java) against the same trust before
 * it is returned, so a wrong certificate, SCT, SET, inclusion proof or checkpoint from the services is caught.
 *
 * <p>If the signing config lists a timestamp authority (API v1), an RFC 3161 timestamp over the signature is added
 * as {@code timestampVerificationData}. Not supported: Rekor v2 logs, ambient credentials, the interactive OAuth
 * flow (pass a token).
 */
public final class SigstorePayloadSigner implements PayloadSigner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final SigstoreTrust trust;
  private final String identityToken;
  private final HttpClient http;

  /**
   * @param trust trusted root (to check what the services return) and signing config (Fulcio and Rekor URLs); a
   *     trust without signing config uses the public-good URLs
   * @param identityToken an OIDC identity token (JWT) for Fulcio
   */
  public SigstorePayloadSigner(SigstoreTrust trust, String identityToken) {
    this(trust, identityToken, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build());
  }

  /** As {@link #SigstorePayloadSigner(SigstoreTrust, String)}, with a caller-supplied HTTP client (proxies, TLS). */
  public SigstorePayloadSigner(SigstoreTrust trust, String identityToken, HttpClient http) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.identityToken = Objects.requireNonNull(identityToken, "identityToken");
    this.http = Objects.requireNonNull(http, "http");
  }

  @Override
  public byte[] sign(byte[] statementPayload) throws ModelSigningException {
    IdentityToken token = IdentityToken.parse(identityToken);
    SigstoreSigningConfig config = trust.signingConfig()
        .orElseGet(() -> SigstoreTrust.publicGood().signingConfig().orElseThrow());
    URI fulcio = select(config.getCas(), "Fulcio (caUrls)");
    URI rekor = select(config.getTLogs(), "Rekor v1 (rekorTlogUrls)");

    KeyPair keyPair = ephemeralKey();
    X509Certificate leaf = requestCertificate(fulcio, token, keyPair);
    if (!leaf.getPublicKey().equals(keyPair.getPublic())) {
      throw new ModelSigningException("Fulcio at " + fulcio + " returned a certificate for a different key");
    }

    byte[] signature = signPae(keyPair, statementPayload);
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("payload", Base64.getEncoder().encodeToString(statementPayload));
    envelope.put("payloadType", IN_TOTO_PAYLOAD_TYPE);
    envelope.putArray("signatures").addObject().put("sig", Base64.getEncoder().encodeToString(signature));

    ObjectNode tlogEntry = uploadToRekor(rekor, envelope, leaf);
    Optional<URI> tsa = Service.select(config.getTsas(), List.of(1)).map(Service::getUrl);
    byte[] timestamp = tsa.isPresent() ? requestTimestamp(tsa.get(), signature) : null;

    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("mediaType", SigstoreSignatureVerifier.MEDIA_TYPE_V03);
    ObjectNode material = bundle.putObject("verificationMaterial");
    material.putObject("certificate").put("rawBytes", Base64.getEncoder().encodeToString(encoded(leaf)));
    material.putArray("tlogEntries").add(tlogEntry);
    if (timestamp != null) {
      material.putObject("timestampVerificationData").putArray("rfc3161Timestamps").addObject()
          .put("signedTimestamp", Base64.getEncoder().encodeToString(timestamp));
    }
    bundle.set("dsseEnvelope", envelope);
    byte[] bundleJson;
    try {
      bundleJson = JSON.writeValueAsBytes(bundle);
    } catch (JsonProcessingException e) {
      throw new ModelSigningException("Cannot encode the Sigstore bundle: " + e.getOriginalMessage(), e);
    }

    selfVerify(bundleJson, leaf);
    return bundleJson;
  }

  private static URI select(List<Service> services, String what) throws ModelSigningException {
    return Service.select(services, List.of(1))
        .map(Service::getUrl)
        .orElseThrow(() -> new ModelSigningException(
            "The signing config has no current " + what + " service with API version 1"));
  }

  /** Appends an API path to a service URL, keeping any path prefix the service URL has. */
  static URI endpoint(URI service, String apiPath) {
    String base = service.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + apiPath);
  }

  private static KeyPair ephemeralKey() throws ModelSigningException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new ModelSigningException("Cannot create an ephemeral P-256 key: " + e.getMessage(), e);
    }
  }

  private X509Certificate requestCertificate(URI fulcio, IdentityToken token, KeyPair keyPair)
      throws ModelSigningException {
    String csrPem;
    try {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      var csr = new JcaPKCS10CertificationRequestBuilder(
              new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.EmailAddress, token.identity()).build(),
              keyPair.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
      csrPem = pem("CERTIFICATE REQUEST", csr.getEncoded());
    } catch (IOException | OperatorCreationException e) {
      throw new ModelSigningException("Cannot build the certificate signing request: " + Messages.describe(e), e);
    }
    ObjectNode request = JSON.createObjectNode();
    request.putObject("credentials").put("oidcIdentityToken", token.raw());
    request.put("certificateSigningRequest",
        Base64.getEncoder().encodeToString(csrPem.getBytes(StandardCharsets.US_ASCII)));
    JsonNode response = post(endpoint(fulcio, "/api/v2/signingCert"), request, "Fulcio", token.raw());

    JsonNode chain = response.path("signedCertificateEmbeddedSct").path("chain").path("certificates");
    if (!chain.isArray() || chain.isEmpty()) {
      String detail = response.has("signedCertificateDetachedSct")
          ? "it returned a detached SCT, which Sigstore bundles cannot carry"
          : "its answer has no signedCertificateEmbeddedSct.chain.certificates";
      throw new ModelSigningException("Unexpected answer from Fulcio at " + fulcio + ": " + detail);
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      return (X509Certificate) factory.generateCertificate(
          new ByteArrayInputStream(chain.get(0).asText().getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new ModelSigningException("Fulcio at " + fulcio + " returned an unreadable certificate: "
          + Messages.describe(e), e);
    }
  }

  /** ECDSA-SHA256 (DER) over the DSSE v1 pre-authentication encoding. */
  static byte[] signPae(KeyPair keyPair, byte[] payload) throws ModelSigningException {
    try {
      Signature ecdsa = Signature.getInstance("SHA256withECDSA");
      ecdsa.initSign(keyPair.getPrivate());
      ecdsa.update(pae(payload));
      return ecdsa.sign();
    } catch (GeneralSecurityException e) {
      throw new ModelSigningException("Cannot sign the payload: " + e.getMessage(), e);
    }
  }

  static byte[] pae(byte[] payload) {
    byte[] type = IN_TOTO_PAYLOAD_TYPE.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = ("DSSEv1 " + type.length + " " + IN_TOTO_PAYLOAD_TYPE + " " + payload.length + " ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] pae = new byte[prefix.length + payload.length];
    System.arraycopy(prefix, 0, pae, 0, prefix.length);
    System.arraycopy(payload, 0, pae, prefix.length, payload.length);
    return pae;
  }

  private ObjectNode uploadToRekor(URI rekor, ObjectNode envelope, X509Certificate leaf) throws ModelSigningException {
    ObjectNode request = JSON.createObjectNode();
    request.put("apiVersion", "0.0.1");
    request.put("kind", "dsse");
    ObjectNode proposed = request.putObject("spec").putObject("proposedContent");
    try {
      proposed.put("envelope", JSON.writeValueAsString(envelope));
    } catch (JsonProcessingException e) {
      throw new ModelSigningException("Cannot encode the DSSE envelope: " + e.getOriginalMessage(), e);
    }
    proposed.putArray("verifiers").add(Base64.getEncoder().encodeToString(
        pem("CERTIFICATE", encoded(leaf)).getBytes(StandardCharsets.US_ASCII)));
    JsonNode response = post(endpoint(rekor, "/api/v1/log/entries"), request, "Rekor", null);
    Iterator<Map.Entry<String, JsonNode>> fields = response.properties().iterator();
    if (!fields.hasNext()) {
      throw new ModelSigningException("Unexpected answer from Rekor at " + rekor + ": no log entry");
    }
    return toBundleEntry(fields.next().getValue(), rekor);
  }

  /** An RFC 3161 timestamp over SHA-256 of the DSSE signature, as sigstore-python requests it. */
  private byte[] requestTimestamp(URI tsa, byte[] signature) throws ModelSigningException {
    TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
    generator.setCertReq(true);
    TimeStampRequest request = generator.generate(
        TSPAlgorithms.SHA256, sha256(signature), new BigInteger(64, new SecureRandom()));
    HttpResponse<byte[]> response;
    try {
      response = http.send(HttpRequest.newBuilder(tsa)
          .timeout(TIMEOUT)
          .header("Content-Type", "application/timestamp-query")
          .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ModelSigningException("Cannot reach the timestamp authority at " + tsa + ": " + Messages.describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelSigningException("Interrupted while calling the timestamp authority at " + tsa, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new ModelSigningException("The timestamp authority at " + tsa + " answered HTTP " + response.statusCode());
    }
    try {
      TimeStampResponse timestamp = new TimeStampResponse(response.body());
      timestamp.validate(request);
      if (timestamp.getTimeStampToken() == null) {
        throw new ModelSigningException("The timestamp authority at " + tsa + " refused: "
            + timestamp.getStatusString());
      }
      return timestamp.getEncoded();
    } catch (TSPException | IOException e) {
      throw new ModelSigningException("Invalid answer from the timestamp authority at " + tsa + ": "
          + Messages.describe(e), e);
    }
  }

  private static byte[] sha256(byte[] data) throws ModelSigningException {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new ModelSigningException("SHA-256 is unavailable: " + e.getMessage(), e);
    }
  }

  /** Converts a Rekor v1 API log entry into the bundle's TransparencyLogEntry JSON (int64 as strings, bytes b64). */
  static ObjectNode toBundleEntry(JsonNode entry, URI rekor) throws ModelSigningException {
    try {
      ObjectNode out = JSON.createObjectNode();
      out.put("logIndex", Long.toString(requiredLong(entry, "logIndex")));
      out.putObject("logId").put("keyId", hexToB64(required(entry, "logID")));
      out.putObject("kindVersion").put("kind", "dsse").put("version", "0.0.1");
      out.put("integratedTime", Long.toString(requiredLong(entry, "integratedTime")));
      JsonNode verification = entry.path("verification");
      out.putObject("inclusionPromise").put("signedEntryTimestamp", required(verification, "signedEntryTimestamp"));
      JsonNode proof = verification.path("inclusionProof");
      ObjectNode outProof = out.putObject("inclusionProof");
      outProof.put("logIndex", Long.toString(requiredLong(proof, "logIndex")));
      outProof.put("rootHash", hexToB64(required(proof, "rootHash")));
      outProof.put("treeSize", Long.toString(requiredLong(proof, "treeSize")));
      ArrayNode hashes = outProof.putArray("hashes");
      for (JsonNode hash : proof.path("hashes")) {
        hashes.add(hexToB64(hash.asText()));
      }
      outProof.putObject("checkpoint").put("envelope", required(proof, "checkpoint"));
      out.put("canonicalizedBody", required(entry, "body"));
      return out;
    } catch (IllegalArgumentException e) {
      throw new ModelSigningException("Unexpected log entry from Rekor at " + rekor + ": " + e.getMessage(), e);
    }
  }

  private static String required(JsonNode node, String field) {
    String value = node.path(field).asText("");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value;
  }

  private static long requiredLong(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.canConvertToLong() && !value.isTextual()) {
      throw new IllegalArgumentException("missing " + field);
    }
    try {
      return value.isTextual() ? Long.parseLong(value.asText()) : value.asLong();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is not a number", e);
    }
  }

  private static String hexToB64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  private JsonNode post(URI uri, JsonNode body, String service, String bearer) throws ModelSigningException {
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(uri)
          .timeout(TIMEOUT)
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ModelSigningException("Cannot build the " + service + " request to " + uri + ": " + Messages.describe(e), e);
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ModelSigningException("Cannot reach " + service + " at " + uri + ": " + Messages.describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelSigningException("Interrupted while calling " + service + " at " + uri, e);
    }
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (response.statusCode() / 100 != 2) {
      throw new ModelSigningException(service + " at " + uri + " answered HTTP " + response.statusCode()
          + (text.isBlank() ? "" : ": " + Messages.firstLine(text)));
    }
    try {
      JsonNode json = JSON.readTree(text);
      if (json == null || !json.isObject()) {
        throw new ModelSigningException(service + " at " + uri + " answered with something other than a JSON object");
      }
      return json;
    } catch (JsonProcessingException e) {
      throw new ModelSigningException(service + " at " + uri + " answered with invalid JSON: "
          + Messages.firstLine(e.getOriginalMessage()), e);
    }
  }

  private void selfVerify(byte[] bundleJson, X509Certificate leaf) throws ModelSigningException {
    FulcioIdentity identity;
    try {
      identity = FulcioIdentity.of(leaf);
    } catch (IOException | RuntimeException e) {
      throw new ModelSigningException("Cannot read the identity of the Fulcio certificate: " + Messages.describe(e), e);
    }
    if (identity.sans().isEmpty() || identity.issuer().isEmpty()) {
      throw new ModelSigningException("The Fulcio certificate carries no identity or no OIDC issuer");
    }
    try {
      new SigstoreSignatureVerifier(trust, identity.sans().get(0), identity.issuer().get()).verify(bundleJson);
    } catch (ModelSigningException e) {
      throw new ModelSigningException("The signature built from the Fulcio certificate and Rekor entry does not "
          + "verify against " + trust.description() + ": " + e.getMessage(), e);
    }
  }

  private static byte[] encoded(X509Certificate cert) throws ModelSigningException {
    try {
      return cert.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new ModelSigningException("Cannot encode the signing certificate: " + e.getMessage(), e);
    }
  }

  static String pem(String type, byte[] der) {
    List<String> lines = new ArrayList<>();
    lines.add("-----BEGIN " + type + "-----");
    String b64 = Base64.getEncoder().encodeToString(der);
    for (int i = 0; i < b64.length(); i += 64) {
      lines.add(b64.substring(i, Math.min(b64.length(), i + 64)));
    }
    lines.add("-----END " + type + "-----");
    return String.join("\n", lines) + "\n";
  }
}
