package dev.modelvalidation.modelsigning.manifest;

import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.model.ModelOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's manifest: its name, its ordered resource digests, the serialization that produced them, and the root
 * digest {@code SHA256(d1 ‖ d2 ‖ …)} over the raw digests in list order (spec §5).
 *
 * <p>A manifest made by hashing is in canonical order ({@link #sorted}). A manifest read from a payload keeps the
 * payload order ({@link #inGivenOrder}), because the root digest is checked in that order. Duplicate names may occur
 * in a payload; {@link #byName()} keeps the last one, as Python does.
 */
public final class Manifest {
  private final String modelName;
  private final List<ResourceDigest> resources;
  private final ManifestSerialization serialization;
  private final byte[] rootDigest;

  private Manifest(String modelName, List<ResourceDigest> resources, ManifestSerialization serialization) {
    this.modelName = Objects.requireNonNull(modelName, "modelName");
    this.resources = List.copyOf(resources);
    this.serialization = Objects.requireNonNull(serialization, "serialization");
    this.rootDigest = computeRoot(this.resources);
  }

  /** A manifest with the resources put in canonical order for the serialization method. */
  public static Manifest sorted(
      String modelName, Collection<ResourceDigest> resources, ManifestSerialization serialization) {
    return new Manifest(modelName, sort(resources, serialization.serialization().method()), serialization);
  }

  /** A manifest with the resources in the given (payload) order. */
  public static Manifest inGivenOrder(
      String modelName, List<ResourceDigest> resources, ManifestSerialization serialization) {
    return new Manifest(modelName, resources, serialization);
  }

  /**
   * Sorts resources in canonical order: by path component-wise and code point for {@code files}; by (path, start,
   * end) with numeric offsets for {@code shards}.
   *
   * @throws IllegalArgumentException for a shard name that is not {@code path:start:end}
   */
  public static List<ResourceDigest> sort(Collection<ResourceDigest> resources, Serialization.Method method) {
    List<ResourceDigest> out = new ArrayList<>(resources);
    if (method == Serialization.Method.FILES) {
      out.sort((a, b) -> ModelOrder.PATH_ORDER.compare(a.name(), b.name()));
      return out;
    }
    record Keyed(ShardName key, ResourceDigest resource) {}
    List<Keyed> keyed = new ArrayList<>(out.size());
    for (ResourceDigest r : out) {
      keyed.add(new Keyed(ShardName.parse(r.name()), r));
    }
    keyed.sort((a, b) -> ShardName.ORDER.compare(a.key(), b.key()));
    out.clear();
    for (Keyed k : keyed) {
      out.add(k.resource());
    }
    return out;
  }

  /** The subject name. */
  public String modelName() {
    return modelName;
  }

  /** The resources, in this manifest's order. */
  public List<ResourceDigest> resources() {
    return resources;
  }

  public ManifestSerialization serialization() {
    return serialization;
  }

  /** SHA-256 over the raw resource digests, in list order. */
  public byte[] rootDigest() {
    return rootDigest.clone();
  }

  /** Lowercase hex of {@link #rootDigest()}. */
  public String rootDigestHex() {
    return HexFormat.of().formatHex(rootDigest);
  }

  /** Resources by name; for a duplicated name the last one wins. */
  public Map<String, ResourceDigest> byName() {
    Map<String, ResourceDigest> map = new LinkedHashMap<>();
    for (ResourceDigest r : resources) {
      map.put(r.name(), r);
    }
    return Collections.unmodifiableMap(map);
  }

  /** Same keys with the same (algorithm, digest) values; name, order and serialization are not compared. */
  public boolean sameResources(Manifest other) {
    return ManifestDiff.differences(other, this).isEmpty();
  }

  private static byte[] computeRoot(List<ResourceDigest> resources) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (ResourceDigest r : resources) {
      sha256.update(r.rawDigest());
    }
    return sha256.digest();
  }

  @Override
  public String toString() {
    return "Manifest[" + modelName + ", " + resources.size() + " resources, root " + rootDigestHex() + "]";
  }
}
