package dev.modelvalidation.modelsigning.manifest;

import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.model.ModelOrder;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What the predicate's {@code serialization} object says (spec §4.2, §4.3).
 *
 * @param serialization method, hash and shard size
 * @param allowSymlinks the recorded {@code allow_symlinks}
 * @param ignorePaths the recorded {@code ignore_paths}, a set: kept sorted by code point, without duplicates; empty
 *     means the key is absent
 */
public record ManifestSerialization(Serialization serialization, boolean allowSymlinks, List<String> ignorePaths) {
  public ManifestSerialization {
    Objects.requireNonNull(serialization, "serialization");
    TreeSet<String> sorted = new TreeSet<>(ModelOrder.NAME_ORDER);
    sorted.addAll(ignorePaths);
    ignorePaths = List.copyOf(sorted);
  }
}
