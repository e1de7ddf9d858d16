package dev.modelvalidation.modelsigning.manifest;

import dev.modelvalidation.modelsigning.hashing.ContentHasher;
import dev.modelvalidation.modelsigning.hashing.HashAlgorithm;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.model.ModelOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

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

  /** The JDK's SHA-256, the root digest's hash unless a caller brings its own. */
  private static final UnaryOperator<byte[]> JDK_SHA256 =
      data -> ContentHasher.digestOf(HashAlgorithm.SHA256, data);

  private Manifest(
      String modelName,
      List<ResourceDigest> resources,
      ManifestSerialization serialization,
      UnaryOperator<byte[]> sha256) {
    this.modelName = Objects.requireNonNull(modelName, "modelName");
    this.resources = List.copyOf(resources);
    this.serialization = Objects.requireNonNull(serialization, "serialization");
    this.rootDigest = computeRoot(this.resources, sha256);
  }

  /** A manifest with the resources put in canonical order for the serialization method. */
  public static Manifest sorted(
      String modelName, Collection<ResourceDigest> resources, ManifestSerialization serialization) {
    return new Manifest(
        modelName, sort(resources, serialization.serialization().method()), serialization, JDK_SHA256);
  }

  /** A manifest with the resources in the given (payload) order. */
  public static Manifest inGivenOrder(
      String modelName, List<ResourceDigest> resources, ManifestSerialization serialization) {
    return new Manifest(modelName, resources, serialization, JDK_SHA256);
  }

  /**
   * As {@link #inGivenOrder(String, List, ManifestSerialization)}, with the root digest computed by {@code sha256}, a
   * function that returns the SHA-256 of its argument (the hashing engine's, which is OpenSSL's once bound: the JDK's
   * runs without its intrinsic under the C1 compiler and sets up its provider list first, ~25 ms for 20,000
   * resources).
   */
  public static Manifest inGivenOrder(
      String modelName,
      List<ResourceDigest> resources,
      ManifestSerialization serialization,
      UnaryOperator<byte[]> sha256) {
    return new Manifest(modelName, resources, serialization, sha256);
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

  /**
   * Above this many digest bytes (a million 64-byte digests) the root is hashed digest by digest with the JDK rather
   * than copied into one array for {@code sha256}: memory stays bounded for absurd resource counts (tiny shards).
   */
  static final long ONE_CALL_LIMIT = 64L << 20;

  /**
   * SHA-256 over the raw digests in list order, hashed as one array (one call into the hash, not one a resource). The
   * loops call a method per resource: with the C1 compiler alone, a loop body stays interpreted for tens of thousands
   * of turns, a method is compiled after a few hundred calls.
   */
  private static byte[] computeRoot(List<ResourceDigest> resources, UnaryOperator<byte[]> sha256) {
    return computeRoot(resources, sha256, ONE_CALL_LIMIT);
  }

  /** {@link #computeRoot(List, UnaryOperator)} with the limit as a parameter, for the tests. */
  static byte[] computeRoot(List<ResourceDigest> resources, UnaryOperator<byte[]> sha256, long oneCallLimit) {
    long length = 0;
    for (ResourceDigest r : resources) {
      length += r.rawDigest().length;
    }
    if (length > oneCallLimit) {
      return computeRootIncrementally(resources);
    }
    byte[] all = new byte[(int) length];
    int offset = 0;
    for (ResourceDigest r : resources) {
      offset = append(all, offset, r.rawDigest());
    }
    byte[] root = sha256.apply(all);
    if (root.length != 32) {
      throw new IllegalArgumentException("the root digest's hash returned " + root.length + " bytes, not SHA-256's 32");
    }
    return root;
  }

  private static byte[] computeRootIncrementally(List<ResourceDigest> resources) {
    ContentHasher sha256 = HashAlgorithm.SHA256.newHasher();
    for (ResourceDigest r : resources) {
      byte[] digest = r.rawDigest();
      sha256.update(digest, 0, digest.length);
    }
    return sha256.digest();
  }

  private static int append(byte[] all, int offset, byte[] digest) {
    System.arraycopy(digest, 0, all, offset, digest.length);
    return offset + digest.length;
  }

  @Override
  public String toString() {
    return "Manifest[" + modelName + ", " + resources.size() + " resources, root " + rootDigestHex() + "]";
  }
}
