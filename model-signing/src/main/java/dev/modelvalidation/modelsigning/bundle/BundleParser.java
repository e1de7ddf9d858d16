package dev.modelvalidation.modelsigning.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.dsse.DsseEnvelope;
import dev.modelvalidation.modelsigning.dsse.DsseSignature;
import dev.modelvalidation.modelsigning.json.JsonTrees;
import dev.modelvalidation.modelsigning.keys.PemKeys;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a signature file (Sigstore bundle JSON) into a {@link SignatureBundle}, strictly: any formatting and key
 * order, but every required field present with the right type, bytes fields valid base64, certificates valid DER.
 * Python's reader normalization (§8.6) is applied: a missing {@code tlogEntries} is empty, {@code publicKey}'s
 * {@code rawBytes}/{@code keyDetails} are ignored, {@code keyid} may be absent, null or any string.
 *
 * <p>Errors are one line: {@code Invalid signature file: <field path> <what is wrong>}.
 */
public final class BundleParser {
  private static final String PREFIX = "Invalid signature file: ";

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /**
   * Parses a key or certificate bundle: the media type must be exactly
   * {@value SignatureBundle#MEDIA_TYPE_V03}.
   */
  public SignatureBundle parse(byte[] json) throws ModelSigningException {
    SignatureBundle bundle = parseAnyMediaType(json);
    if (!SignatureBundle.MEDIA_TYPE_V03.equals(bundle.mediaType())) {
      throw new ModelSigningException(
          "Invalid sigstore bundle, got media type "
              + bundle.mediaType()
              + " but expected "
              + SignatureBundle.MEDIA_TYPE_V03);
    }
    return bundle;
  }

  /** Parses a bundle whatever its media type (for inspection tools). */
  public SignatureBundle parseAnyMediaType(byte[] json) throws ModelSigningException {
    JsonNode root = readTree(json);
    if (!root.isObject()) {
      throw new ModelSigningException(PREFIX + "expected a JSON object, found " + kind(root));
    }
    String mediaType = requiredText(root, "mediaType", "mediaType");
    JsonNode material = required(root, "verificationMaterial", "verificationMaterial");
    requireObject(material, "verificationMaterial");
    VerificationMaterial verificationMaterial = verificationMaterial(material);
    int tlogEntries = tlogEntryCount(material);
    JsonNode envelope = root.get("dsseEnvelope");
    if (envelope == null || envelope.isNull()) {
      throw new ModelSigningException(
          PREFIX
              + (root.has("messageSignature")
                  ? "the bundle holds a messageSignature, not a dsseEnvelope (not a model signature)"
                  : "dsseEnvelope is missing"));
    }
    return new SignatureBundle(mediaType, verificationMaterial, tlogEntries, dsseEnvelope(envelope));
  }

  private JsonNode readTree(byte[] json) throws ModelSigningException {
    JsonNode root;
    try (JsonParser parser = JSON.createParser(json)) {
      root = JsonTrees.read(parser);
      if (root != null && parser.nextToken() != null) {
        throw new ModelSigningException(PREFIX + "not valid JSON (unexpected content after the bundle object)");
      }
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ModelSigningException(PREFIX + "not valid JSON (" + oneLine(e.getOriginalMessage()) + where + ")", e);
    } catch (IOException e) {
      throw new ModelSigningException(PREFIX + "cannot be read (" + oneLine(e.getMessage()) + ")", e);
    }
    if (root == null || root.isMissingNode()) {
      throw new ModelSigningException(PREFIX + "the file is empty");
    }
    return root;
  }

  private static VerificationMaterial verificationMaterial(JsonNode material) throws ModelSigningException {
    List<String> present = new ArrayList<>();
    for (String field : List.of("publicKey", "x509CertificateChain", "certificate")) {
      if (material.hasNonNull(field)) {
        present.add(field);
      }
    }
    if (present.size() != 1) {
      throw new ModelSigningException(
          PREFIX
              + "verificationMaterial must hold exactly one of publicKey, x509CertificateChain or certificate, found "
              + (present.isEmpty() ? "none" : String.join(" and ", present)));
    }
    String field = present.getFirst();
    String path = "verificationMaterial." + field;
    JsonNode node = material.get(field);
    requireObject(node, path);
    return switch (field) {
      case "publicKey" -> new VerificationMaterial.KeyHint(optionalText(node, "hint", path + ".hint"));
      case "x509CertificateChain" -> {
        JsonNode certificates = required(node, "certificates", path + ".certificates");
        if (!certificates.isArray() || certificates.isEmpty()) {
          throw new ModelSigningException(
              PREFIX + path + ".certificates must be a non-empty array, found " + kind(certificates));
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
          chain.add(certificate(certificates.get(i), path + ".certificates[" + i + "]"));
        }
        yield new VerificationMaterial.CertificateChain(chain);
      }
      default -> new VerificationMaterial.SingleCertificate(certificate(node, path));
    };
  }

  private static X509Certificate certificate(JsonNode node, String path) throws ModelSigningException {
    requireObject(node, path);
    byte[] der = base64(node, "rawBytes", path + ".rawBytes");
    try {
      return PemKeys.certificate(der);
    } catch (ModelSigningException e) {
      throw new ModelSigningException(PREFIX + path + ".rawBytes is " + e.getMessage(), e);
    }
  }

  private static int tlogEntryCount(JsonNode material) throws ModelSigningException {
    JsonNode entries = material.get("tlogEntries");
    if (entries == null || entries.isNull()) {
      return 0;
    }
    if (!entries.isArray()) {
      throw new ModelSigningException(
          PREFIX + "verificationMaterial.tlogEntries must be an array, found " + kind(entries));
    }
    return entries.size();
  }

  private static DsseEnvelope dsseEnvelope(JsonNode envelope) throws ModelSigningException {
    requireObject(envelope, "dsseEnvelope");
    byte[] payload = base64(envelope, "payload", "dsseEnvelope.payload");
    String payloadType = requiredText(envelope, "payloadType", "dsseEnvelope.payloadType");
    JsonNode signatures = required(envelope, "signatures", "dsseEnvelope.signatures");
    if (!signatures.isArray() || signatures.isEmpty()) {
      throw new ModelSigningException(
          PREFIX + "dsseEnvelope.signatures must be a non-empty array, found " + kind(signatures));
    }
    List<DsseSignature> parsed = new ArrayList<>();
    for (int i = 0; i < signatures.size(); i++) {
      String path = "dsseEnvelope.signatures[" + i + "]";
      JsonNode signature = signatures.get(i);
      requireObject(signature, path);
      byte[] sig = base64(signature, "sig", path + ".sig");
      if (sig.length == 0) {
        throw new ModelSigningException(PREFIX + path + ".sig is empty");
      }
      parsed.add(new DsseSignature(sig, optionalText(signature, "keyid", path + ".keyid")));
    }
    return new DsseEnvelope(payload, payloadType, parsed);
  }

  private static JsonNode required(JsonNode parent, String field, String path) throws ModelSigningException {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw new ModelSigningException(PREFIX + path + " is missing");
    }
    return node;
  }

  private static void requireObject(JsonNode node, String path) throws ModelSigningException {
    if (!node.isObject()) {
      throw new ModelSigningException(PREFIX + path + " must be a JSON object, found " + kind(node));
    }
  }

  private static String requiredText(JsonNode parent, String field, String path) throws ModelSigningException {
    JsonNode node = required(parent, field, path);
    if (!node.isTextual()) {
      throw new ModelSigningException(PREFIX + path + " must be a string, found " + kind(node));
    }
    return node.textValue();
  }

  private static String optionalText(JsonNode parent, String field, String path) throws ModelSigningException {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new ModelSigningException(PREFIX + path + " must be a string, found " + kind(node));
    }
    return node.textValue();
  }

  private static byte[] base64(JsonNode parent, String field, String path) throws ModelSigningException {
    String text = requiredText(parent, field, path);
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException standard) {
      try {
        // protobuf JSON also accepts the URL-safe alphabet
        return Base64.getUrlDecoder().decode(text);
      } catch (IllegalArgumentException urlSafe) {
        throw new ModelSigningException(PREFIX + path + " is not valid base64", standard);
      }
    }
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> node.isEmpty() ? "an empty array" : "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s+", " ").trim();
  }
}
