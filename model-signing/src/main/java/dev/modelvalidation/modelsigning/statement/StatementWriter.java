package dev.modelvalidation.modelsigning.statement;

import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.manifest.ManifestSerialization;
import dev.modelvalidation.modelsigning.manifest.ResourceDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the in-toto statement payload byte for byte as Python model_signing does (spec §6.2): {@code json.dumps}
 * layout with indent 2, ASCII-only, no trailing newline, {@code shard_size} as a float. Key order: {@code _type,
 * subject, predicateType, predicate}; {@code serialization} before {@code resources}; {@code method, hash_type,
 * [shard_size,] allow_symlinks, [ignore_paths]}; resources {@code name, digest, algorithm}. Python's order below
 * {@code predicate} is random; this one reproduces the §12 worked example (v1.0.0 single-file golden) byte for byte.
 */
public final class StatementWriter {
  private StatementWriter() {}

  /** The payload bytes for a manifest (resources written in the manifest's order, normally canonical). */
  public static byte[] write(Manifest manifest) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("_type", Statements.STATEMENT_TYPE);
    Map<String, Object> subject = new LinkedHashMap<>();
    if (!manifest.modelName().isEmpty()) {
      subject.put("name", manifest.modelName()); // protobuf omits a default (empty) string
    }
    subject.put("digest", Map.of("sha256", manifest.rootDigestHex()));
    root.put("subject", List.of(subject));
    root.put("predicateType", Statements.PREDICATE_TYPE);
    Map<String, Object> predicate = new LinkedHashMap<>();
    predicate.put("serialization", serialization(manifest.serialization()));
    List<Object> resources = new ArrayList<>(manifest.resources().size());
    for (ResourceDigest r : manifest.resources()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("name", r.name());
      item.put("digest", r.digestHex());
      item.put("algorithm", r.algorithm());
      resources.add(item);
    }
    predicate.put("resources", resources);
    root.put("predicate", predicate);
    return PythonJsonWriter.write(root);
  }

  private static Map<String, Object> serialization(ManifestSerialization info) {
    Serialization s = info.serialization();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", s.method().jsonName());
    out.put("hash_type", s.hash().jsonName());
    if (s.method() == Serialization.Method.SHARDS) {
      out.put("shard_size", new PythonJsonWriter.PyFloat(s.shardSize()));
    }
    out.put("allow_symlinks", info.allowSymlinks());
    if (!info.ignorePaths().isEmpty()) {
      out.put("ignore_paths", info.ignorePaths());
    }
    return out;
  }
}
