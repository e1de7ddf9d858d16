package dev.modelvalidation.modelsigning.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A local Sigstore for tests: a Fulcio that issues certificates with an embedded SCT from a test CA and a test CT
 * log key, and a Rekor v1 that logs {@code dsse} entries with a SET, a one-leaf inclusion proof and a signed
 * checkpoint, all served over HTTP on 127.0.0.1. {@link #trust()} is the matching trusted root + signing config.
 */
final class FakeSigstore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCT_OID = "1.3.6.1.4.1.11129.2.4.2";

  private final KeyPair caKey = ecKey("secp384r1");
  private final KeyPair ctKey = ecKey("secp256r1");
  private final KeyPair rekorKey = ecKey("secp256r1");
  private final X509Certificate caCert;
  private final KeyPair tsaRootKey = ecKey("secp384r1");
  private final KeyPair tsaKey = ecKey("secp256r1");
  private final X509Certificate tsaRoot;
  private final X509Certificate tsaCert;
  /** Whether the signing config lists the fake timestamp authority. */
  volatile boolean offerTsa;
  private final HttpServer server;
  final List<String> requests = new ArrayList<>();
  final AtomicLong logIndex = new AtomicLong();
  /** Test hooks to break the services. */
  volatile boolean corruptSet;
  volatile long certificateLifetimeSeconds = 600;
  volatile long integratedTimeShiftSeconds;

  FakeSigstore() throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        new X500Name("O=test.sigstore,CN=test-fulcio-root"), BigInteger.ONE,
        Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)),
        new X500Name("O=test.sigstore,CN=test-fulcio-root"), caKey.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    caCert = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(caKey.getPrivate())));
    tsaRoot = certificate(new X500Name("O=test.sigstore,CN=test-tsa-root"), tsaRootKey, tsaRootKey.getPublic(),
        new X500Name("O=test.sigstore,CN=test-tsa-root"), true);
    tsaCert = certificate(new X500Name("O=test.sigstore,CN=test-tsa-root"), tsaRootKey, tsaKey.getPublic(),
        new X500Name("O=test.sigstore,CN=test-tsa"), false);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/fulcio/api/v2/signingCert", this::fulcio);
    server.createContext("/rekor/api/v1/log/entries", this::rekor);
    server.createContext("/tsa", this::tsa);
    server.start();
  }

  private static X509Certificate certificate(X500Name issuer, KeyPair issuerKey, java.security.PublicKey subjectKey,
      X500Name subject, boolean ca) throws Exception {
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)), subject, subjectKey);
    if (ca) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(issuerKey.getPrivate())));
  }

  String tsaUrl() {
    return base() + "/tsa";
  }

  String fulcioUrl() {
    return base() + "/fulcio";
  }

  String rekorUrl() {
    return base() + "/rekor";
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** ClientTrustConfig-equivalent trust for this fake instance. */
  SigstoreTrust trust() throws Exception {
    ObjectNode root = JSON.createObjectNode();
    root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    ObjectNode tlog = root.putArray("tlogs").addObject();
    tlog.put("baseUrl", rekorUrl()).put("hashAlgorithm", "SHA2_256");
    publicKey(tlog, rekorKey);
    ObjectNode ca = root.putArray("certificateAuthorities").addObject();
    ca.putObject("subject").put("organization", "test.sigstore").put("commonName", "test-fulcio-root");
    ca.put("uri", fulcioUrl());
    ca.putObject("certChain").putArray("certificates").addObject()
        .put("rawBytes", Base64.getEncoder().encodeToString(caCert.getEncoded()));
    ca.putObject("validFor").put("start", "2020-01-01T00:00:00Z");
    ObjectNode ct = root.putArray("ctlogs").addObject();
    ct.put("baseUrl", "https://ctfe.test.invalid").put("hashAlgorithm", "SHA2_256");
    publicKey(ct, ctKey);
    ObjectNode tsa = root.putArray("timestampAuthorities").addObject();
    tsa.putObject("subject").put("organization", "test.sigstore").put("commonName", "test-tsa");
    tsa.put("uri", tsaUrl());
    var tsaChain = tsa.putObject("certChain").putArray("certificates");
    tsaChain.addObject().put("rawBytes", Base64.getEncoder().encodeToString(tsaCert.getEncoded()));
    tsaChain.addObject().put("rawBytes", Base64.getEncoder().encodeToString(tsaRoot.getEncoded()));
    tsa.putObject("validFor").put("start", "2020-01-01T00:00:00Z");

    ObjectNode signing = JSON.createObjectNode();
    signing.put("mediaType", "application/vnd.dev.sigstore.signingconfig.v0.2+json");
    service(signing.putArray("caUrls").addObject(), fulcioUrl());
    service(signing.putArray("rekorTlogUrls").addObject(), rekorUrl());
    signing.putArray("oidcUrls");
    var tsaUrls = signing.putArray("tsaUrls");
    if (offerTsa) {
      service(tsaUrls.addObject(), tsaUrl());
    }
    signing.putObject("rekorTlogConfig").put("selector", "ANY");
    signing.putObject("tsaConfig").put("selector", "ANY");
    return SigstoreTrust.of("fake Sigstore", JSON.writeValueAsBytes(root), JSON.writeValueAsBytes(signing));
  }

  private static void service(ObjectNode node, String url) {
    node.put("url", url).put("majorApiVersion", 1).putObject("validFor").put("start", "2020-01-01T00:00:00Z");
  }

  private static void publicKey(ObjectNode log, KeyPair key) throws Exception {
    ObjectNode pk = log.putObject("publicKey");
    pk.put("rawBytes", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
    pk.put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    pk.putObject("validFor").put("start", "2020-01-01T00:00:00Z");
    log.putObject("logId").put("keyId", Base64.getEncoder().encodeToString(sha256(key.getPublic().getEncoded())));
  }

  /** A unsigned JWT: the fake Fulcio trusts its claims, as the real one would after checking the signature. */
  static String token(String issuer, String email) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"1234\",\"email\":\"" + email + "\",\"aud\":\"sigstore\"}";
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
  }

  private void fulcio(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      requests.add("fulcio " + exchange.getRequestMethod());
      String token = request.path("credentials").path("oidcIdentityToken").asText();
      if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, "{\"message\":\"missing bearer token\"}");
        return;
      }
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
      String csrPem = new String(Base64.getDecoder().decode(request.path("certificateSigningRequest").asText()),
          StandardCharsets.US_ASCII);
      PKCS10CertificationRequest csr;
      try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
        csr = (PKCS10CertificationRequest) parser.readObject();
      }
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
        respond(exchange, 400, "{\"message\":\"bad proof of possession\"}");
        return;
      }
      X509Certificate leaf = issue(csr, claims.path("email").asText(), claims.path("iss").asText());
      ObjectNode response = JSON.createObjectNode();
      var certificates = response.putObject("signedCertificateEmbeddedSct").putObject("chain").putArray("certificates");
      certificates.add(SigstorePayloadSigner.pem("CERTIFICATE", leaf.getEncoded()));
      certificates.add(SigstorePayloadSigner.pem("CERTIFICATE", caCert.getEncoded()));
      respond(exchange, 201, JSON.writeValueAsString(response));
    } catch (Exception e) {
      respond(exchange, 500, "{\"message\":\"" + e + "\"}");
    }
  }

  private X509Certificate issue(PKCS10CertificationRequest csr, String email, String issuer) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    var builder = new X509v3CertificateBuilder(
        X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(5)),
        Date.from(now.plusSeconds(certificateLifetimeSeconds)), new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
        csr.getSubjectPublicKeyInfo());
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    builder.addExtension(Extension.subjectAlternativeName, true,
        new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
    builder.addExtension(new ASN1ObjectIdentifier(FulcioIdentity.OID_ISSUER_V1), false,
        issuer.getBytes(StandardCharsets.UTF_8));
    builder.addExtension(new ASN1ObjectIdentifier(FulcioIdentity.OID_ISSUER_V2), false, new DERUTF8String(issuer));
    var signer = new JcaContentSignerBuilder("SHA384withECDSA").build(caKey.getPrivate());
    byte[] precertTbs = builder.build(signer).toASN1Structure().getTBSCertificate().getEncoded();
    byte[] sctList = sctList(precertTbs, now.toEpochMilli());
    builder.addExtension(new ASN1ObjectIdentifier(SCT_OID), false, new DEROctetString(sctList));
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  /** RFC 6962 SignedCertificateTimestampList with one SCT over the precertificate entry. */
  private byte[] sctList(byte[] precertTbs, long timestampMillis) throws Exception {
    byte[] logId = sha256(ctKey.getPublic().getEncoded());
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(0); // v1
    signed.write(0); // certificate_timestamp
    signed.write(ByteBuffer.allocate(8).putLong(timestampMillis).array());
    signed.write(new byte[] {0, 1}); // precert_entry
    signed.write(sha256(caCert.getPublicKey().getEncoded()));
    signed.write(new byte[] {(byte) (precertTbs.length >> 16), (byte) (precertTbs.length >> 8), (byte) precertTbs.length});
    signed.write(precertTbs);
    signed.write(new byte[] {0, 0}); // no extensions
    byte[] signature = sign(ctKey.getPrivate(), signed.toByteArray());

    ByteArrayOutputStream sct = new ByteArrayOutputStream();
    sct.write(0);
    sct.write(logId);
    sct.write(ByteBuffer.allocate(8).putLong(timestampMillis).array());
    sct.write(new byte[] {0, 0});
    sct.write(4); // sha256
    sct.write(3); // ecdsa
    sct.write(new byte[] {(byte) (signature.length >> 8), (byte) signature.length});
    sct.write(signature);
    byte[] one = sct.toByteArray();
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    int total = one.length + 2;
    list.write(new byte[] {(byte) (total >> 8), (byte) total, (byte) (one.length >> 8), (byte) one.length});
    list.write(one);
    return list.toByteArray();
  }

  private void tsa(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.add("tsa " + exchange.getRequestMethod());
      TimeStampRequest request = new TimeStampRequest(exchange.getRequestBody().readAllBytes());
      var digests = new JcaDigestCalculatorProviderBuilder().build();
      var generator = new TimeStampTokenGenerator(
          new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", tsaKey.getPrivate(), tsaCert),
          digests.get(new DefaultDigestAlgorithmIdentifierFinder().find("SHA-256")),
          new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.2"));
      generator.addCertificates(new JcaCertStore(List.of(tsaCert)));
      TimeStampResponse response = new TimeStampResponseGenerator(generator, TSPAlgorithms.ALLOWED)
          .generate(request, BigInteger.valueOf(logIndex.get() + 1000), new Date());
      byte[] bytes = response.getEncoded();
      exchange.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (Exception e) {
      respond(exchange, 500, "{\"message\":\"" + e + "\"}");
    }
  }

  private void rekor(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      requests.add("rekor " + exchange.getRequestMethod());
      if (!"dsse".equals(request.path("kind").asText()) || !"0.0.1".equals(request.path("apiVersion").asText())) {
        respond(exchange, 400, "{\"message\":\"unsupported kind\"}");
        return;
      }
      JsonNode proposed = request.path("spec").path("proposedContent");
      String envelopeJson = proposed.path("envelope").asText();
      JsonNode envelope = JSON.readTree(envelopeJson);
      byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());

      ObjectNode body = JSON.createObjectNode();
      body.put("apiVersion", "0.0.1").put("kind", "dsse");
      ObjectNode spec = body.putObject("spec");
      spec.putObject("envelopeHash").put("algorithm", "sha256")
          .put("value", HexFormat.of().formatHex(sha256(envelopeJson.getBytes(StandardCharsets.UTF_8))));
      spec.putObject("payloadHash").put("algorithm", "sha256").put("value", HexFormat.of().formatHex(sha256(payload)));
      spec.putArray("signatures").addObject()
          .put("signature", envelope.path("signatures").path(0).path("sig").asText())
          .put("verifier", proposed.path("verifiers").path(0).asText());
      byte[] bodyBytes = JSON.writeValueAsBytes(body);
      String bodyB64 = Base64.getEncoder().encodeToString(bodyBytes);

      long index = logIndex.getAndIncrement();
      long integrated = Instant.now().getEpochSecond() + integratedTimeShiftSeconds;
      String logIdHex = HexFormat.of().formatHex(sha256(rekorKey.getPublic().getEncoded()));
      String signable = "{\"body\":\"" + bodyB64 + "\",\"integratedTime\":" + integrated + ",\"logID\":\"" + logIdHex
          + "\",\"logIndex\":" + index + "}";
      byte[] set = sign(rekorKey.getPrivate(), signable.getBytes(StandardCharsets.UTF_8));
      if (corruptSet) {
        set[set.length - 1] ^= 1;
      }
      byte[] leafHash = sha256(concat(new byte[] {0}, bodyBytes));
      String header = "127.0.0.1 - 42\n1\n" + Base64.getEncoder().encodeToString(leafHash);
      byte[] checkpointSig = sign(rekorKey.getPrivate(), (header + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] keyHint = java.util.Arrays.copyOf(sha256(rekorKey.getPublic().getEncoded()), 4);
      String checkpoint = header + "\n\n\u2014 127.0.0.1 " + Base64.getEncoder().encodeToString(concat(keyHint, checkpointSig))
          + "\n";

      ObjectNode entry = JSON.createObjectNode();
      entry.put("body", bodyB64).put("integratedTime", integrated).put("logID", logIdHex).put("logIndex", index);
      ObjectNode verification = entry.putObject("verification");
      verification.put("signedEntryTimestamp", Base64.getEncoder().encodeToString(set));
      ObjectNode proof = verification.putObject("inclusionProof");
      proof.put("checkpoint", checkpoint).put("logIndex", index).put("rootHash", HexFormat.of().formatHex(leafHash))
          .put("treeSize", 1);
      proof.putArray("hashes");
      ObjectNode response = JSON.createObjectNode();
      response.set("24296fb24b8ad77a" + index, entry);
      respond(exchange, 201, JSON.writeValueAsString(response));
    } catch (Exception e) {
      respond(exchange, 500, "{\"message\":\"" + e + "\"}");
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature ecdsa = Signature.getInstance("SHA256withECDSA");
    ecdsa.initSign(key);
    ecdsa.update(data);
    return ecdsa.sign();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static KeyPair ecKey(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
