package dev.modelvalidation.modelsigning.statement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.hashing.HashAlgorithm;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.json.JsonTrees;
import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.manifest.ManifestSerialization;
import dev.modelvalidation.modelsigning.manifest.ResourceDigest;
import dev.modelvalidation.modelsigning.manifest.ShardName;
import dev.modelvalidation.modelsigning.model.PosixNames;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the expected manifest from a verified in-toto statement payload, with Python's checks and messages (spec
 * §6.3, §11.2). The payload is parsed, never re-serialized.
 *
 * <ul>
 *   <li>v1.0 predicate: exactly one subject; {@code serialization.method} {@code files} or {@code shards};
 *       {@code hash_type} and {@code allow_symlinks} required, {@code shard_size} required for shards (an integer or a
 *       float with an integral value); {@code ignore_paths} optional. Resource names are normalized ({@code files}) or
 *       parsed as {@code path:start:end} and rebuilt canonically ({@code shards}). Hex digests may be in either case.
 *       The root digest is recomputed over the resources in payload order and must equal the subject's digest string
 *       exactly.
 *   <li>v0.2 compat predicate ({@code https://model_signing/Digests/v0.1}): one subject per file, {@code files} with
 *       SHA-256, model name {@code compat-undefined-not-present}, no root check.
 * </ul>
 *
 * <p>Duplicate resource names are accepted (as in Python): the returned manifest keeps them all in payload order for the
 * root check, and {@link Manifest#byName()} lets the last one win. Unknown fields are ignored.
 */
public final class StatementParser {

  private StatementParser() {}

  /**
   * @param payload the exact DSSE payload bytes
   * @return the signed manifest, resources in payload order
   * @throws VerificationException with a one-line reason when the payload is malformed or inconsistent
   */
  public static Manifest parse(byte[] payload) throws VerificationException {
    JsonNode root;
    try {
      root = JsonTrees.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new VerificationException(
          "Invalid in-toto statement: not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new VerificationException("Invalid in-toto statement: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new VerificationException("Invalid in-toto statement: expected a JSON object");
    }
    String type = text(root.get("_type"));
    if (!Statements.STATEMENT_TYPE.equals(type)) {
      throw new VerificationException(
          "Expected in-toto " + Statements.STATEMENT_TYPE + " payload, but got " + show(type));
    }
    String predicateType = text(root.get("predicateType"));
    if (Statements.COMPAT_PREDICATE_TYPE.equals(predicateType)) {
      return parseCompat(root);
    }
    if (!Statements.PREDICATE_TYPE.equals(predicateType)) {
      throw new VerificationException(
          "Predicate type mismatch, expected " + Statements.PREDICATE_TYPE + ", got " + show(predicateType));
    }
    JsonNode subjects = root.get("subject");
    if (subjects == null || !subjects.isArray() || subjects.size() != 1) {
      throw new VerificationException("Expected only one subject, got " + (subjects == null ? "None" : subjects));
    }
    JsonNode subject = subjects.get(0);
    String modelName = subject.hasNonNull("name") ? text(subject.get("name")) : "";
    String expectedRoot = text(subject.path("digest").get("sha256"));
    if (expectedRoot == null) {
      throw new VerificationException("Invalid in-toto statement: the subject has no sha256 digest");
    }
    JsonNode predicate = root.get("predicate");
    if (predicate == null || !predicate.isObject()) {
      throw new VerificationException("Invalid in-toto statement: missing predicate");
    }
    ManifestSerialization serialization = parseSerialization(predicate.get("serialization"));
    Serialization.Method method = serialization.serialization().method();
    JsonNode resourcesNode = predicate.get("resources");
    if (resourcesNode == null || !resourcesNode.isArray()) {
      throw new VerificationException("Invalid in-toto statement: predicate.resources must be a list");
    }
    List<ResourceDigest> resources = new ArrayList<>(resourcesNode.size());
    for (int i = 0, size = resourcesNode.size(); i < size; i++) {
      resources.add(resource(resourcesNode.get(i), method));
    }
    Manifest manifest = Manifest.inGivenOrder(modelName, resources, serialization);
    String obtained = manifest.rootDigestHex();
    if (!obtained.equals(expectedRoot)) {
      throw new VerificationException(
          "Manifest is inconsistent. Root digest is "
              + expectedRoot
              + ", but the included resources hash to "
              + obtained);
    }
    return manifest;
  }

  /**
   * One entry of {@code predicate.resources}. A method of its own: with the C1 compiler alone (what the CLI runs when
   * OpenSSL hashes) the loop over 20,000 resources would stay interpreted, its callee is compiled after a few hundred
   * calls.
   */
  private static ResourceDigest resource(JsonNode r, Serialization.Method method) throws VerificationException {
    String name = requiredText(r, "name", "resource");
    String algorithm = resourceText(r, "algorithm", name);
    byte[] digest = hex(resourceText(r, "digest", name), name);
    String key;
    if (method == Serialization.Method.FILES) {
      key = PosixNames.normalize(name);
    } else {
      try {
        key = ShardName.parse(name).toString();
      } catch (IllegalArgumentException e) {
        throw new VerificationException(e.getMessage());
      }
    }
    return new ResourceDigest(key, algorithm, digest);
  }

  private static ManifestSerialization parseSerialization(JsonNode node) throws VerificationException {
    if (node == null || !node.isObject()) {
      throw new VerificationException("Invalid in-toto statement: missing predicate.serialization");
    }
    String method = text(node.get("method"));
    if (!"files".equals(method) && !"shards".equals(method)) {
      throw new VerificationException("Unknown serialization type " + show(method));
    }
    String hashType = requiredText(node, "hash_type", "serialization");
    HashAlgorithm hash;
    try {
      hash = HashAlgorithm.fromName(hashType);
    } catch (IllegalArgumentException e) {
      throw new VerificationException("Unsupported hash_type '" + hashType + "' in the signature's serialization");
    }
    JsonNode allow = node.get("allow_symlinks");
    if (allow == null || allow.isNull()) {
      throw new VerificationException("Invalid in-toto statement: serialization.allow_symlinks is missing");
    }
    boolean allowSymlinks = allow.isBoolean() ? allow.booleanValue() : allow.asBoolean();
    Serialization serialization;
    if (method.equals("files")) {
      serialization = Serialization.files(hash);
    } else {
      if (hash == HashAlgorithm.BLAKE3) {
        throw new VerificationException("Unsupported serialization: shards with blake3");
      }
      serialization = Serialization.shards(hash, shardSize(node.get("shard_size")));
    }
    List<String> ignorePaths = new ArrayList<>();
    JsonNode ignore = node.get("ignore_paths");
    if (ignore != null && !ignore.isNull()) {
      if (!ignore.isArray()) {
        throw new VerificationException("Invalid in-toto statement: serialization.ignore_paths must be a list");
      }
      for (JsonNode p : ignore) {
        if (!p.isTextual()) {
          throw new VerificationException(
              "Invalid in-toto statement: serialization.ignore_paths must hold strings, got " + p);
        }
        ignorePaths.add(PosixNames.normalize(p.textValue()));
      }
    }
    return new ManifestSerialization(serialization, allowSymlinks, ignorePaths);
  }

  private static long shardSize(JsonNode node) throws VerificationException {
    if (node == null || !node.isNumber()) {
      throw new VerificationException(
          "Invalid in-toto statement: serialization.shard_size must be a number, got "
              + (node == null ? "None" : node));
    }
    BigDecimal value = node.decimalValue();
    try {
      long size = value.stripTrailingZeros().longValueExact();
      if (size > 0) {
        return size;
      }
    } catch (ArithmeticException e) {
      // not integral or out of range: reported below
    }
    throw new VerificationException(
        "Invalid in-toto statement: serialization.shard_size must be a positive integer, got " + node);
  }

  private static Manifest parseCompat(JsonNode root) throws VerificationException {
    JsonNode subjects = root.get("subject");
    if (subjects == null || !subjects.isArray()) {
      throw new VerificationException("Invalid in-toto statement: subject must be a list");
    }
    List<ResourceDigest> resources = new ArrayList<>();
    for (JsonNode s : subjects) {
      String name = requiredText(s, "name", "subject");
      String digest = text(s.path("digest").get("sha256"));
      if (digest == null) {
        throw new VerificationException("Invalid in-toto statement: subject '" + name + "' has no sha256 digest");
      }
      resources.add(new ResourceDigest(PosixNames.normalize(name), "sha256", hex(digest, name)));
    }
    ManifestSerialization serialization =
        new ManifestSerialization(Serialization.files(HashAlgorithm.SHA256), false, List.of());
    return Manifest.inGivenOrder(Statements.COMPAT_MODEL_NAME, resources, serialization);
  }

  private static byte[] hex(String hex, String name) throws VerificationException {
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new VerificationException("Invalid digest for resource '" + name + "': not a hexadecimal string");
    }
  }

  private static String requiredText(JsonNode node, String field, String where) throws VerificationException {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || !v.isTextual()) {
      throw new VerificationException(
          "Invalid in-toto statement: " + where + " needs a string '" + field + "', got " + (v == null ? "None" : v));
    }
    return v.textValue();
  }

  /** {@link #requiredText} of a named resource, its error message made only when it is needed. */
  private static String resourceText(JsonNode r, String field, String name) throws VerificationException {
    JsonNode v = r.get(field);
    return v != null && v.isTextual() ? v.textValue() : requiredText(r, field, "resource '" + name + "'");
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  private static String show(String s) {
    return s == null ? "None" : s;
  }
}
