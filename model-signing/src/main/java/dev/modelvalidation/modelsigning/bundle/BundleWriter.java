package dev.modelvalidation.modelsigning.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.dsse.DsseEnvelope;
import dev.modelvalidation.modelsigning.dsse.DsseSignature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Writes a key or certificate bundle byte-for-byte as model_signing 1.1+ does (§8.1–§8.3): compact UTF-8 JSON, no
 * trailing newline, keys in the order {@code mediaType, verificationMaterial{<material>, tlogEntries:[]},
 * dsseEnvelope{payload, payloadType, signatures[{sig, keyid}]}}, {@code keyid} written as {@code ""} when unset.
 */
public final class BundleWriter {
  private final ObjectMapper mapper = new ObjectMapper();

  /** The bundle's JSON bytes. Transparency log entries are never written (always {@code []}). */
  public byte[] write(SignatureBundle bundle) throws ModelSigningException {
    ObjectNode root = mapper.createObjectNode();
    root.put("mediaType", bundle.mediaType());
    ObjectNode material = root.putObject("verificationMaterial");
    switch (bundle.verificationMaterial()) {
      case VerificationMaterial.KeyHint key -> {
        ObjectNode publicKey = material.putObject("publicKey");
        if (key.hasHint()) {
          publicKey.put("hint", key.hint());
        }
      }
      case VerificationMaterial.CertificateChain chain -> {
        ArrayNode certificates = material.putObject("x509CertificateChain").putArray("certificates");
        for (X509Certificate certificate : chain.certificates()) {
          certificates.addObject().put("rawBytes", base64(der(certificate)));
        }
      }
      case VerificationMaterial.SingleCertificate single ->
          material.putObject("certificate").put("rawBytes", base64(der(single.certificate())));
    }
    material.putArray("tlogEntries");
    DsseEnvelope envelope = bundle.dsseEnvelope();
    ObjectNode dsse = root.putObject("dsseEnvelope");
    dsse.put("payload", base64(envelope.payload()));
    dsse.put("payloadType", envelope.payloadType());
    ArrayNode signatures = dsse.putArray("signatures");
    for (DsseSignature signature : envelope.signatures()) {
      signatures.addObject().put("sig", base64(signature.sig())).put("keyid", orEmpty(signature.keyid()));
    }
    try {
      return mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new ModelSigningException("Cannot write the signature bundle: " + e.getOriginalMessage(), e);
    }
  }

  private static String orEmpty(String keyid) {
    return keyid == null ? "" : keyid;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] der(X509Certificate certificate) throws ModelSigningException {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new ModelSigningException("Cannot encode certificate " + certificate.getSubjectX500Principal(), e);
    }
  }
}
