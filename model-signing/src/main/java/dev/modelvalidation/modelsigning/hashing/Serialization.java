package dev.modelvalidation.modelsigning.hashing;

import java.util.Objects;

/**
 * How a model's files become manifest entries (spec §4): one digest per file ({@code files}) or one per byte range
 * ({@code shards}), and with which hash.
 *
 * <p>Normalization done by the constructor: {@code shards} with BLAKE3 silently becomes {@code files} with BLAKE3
 * (spec §4.4, as Python does); for {@code files} the shard size is irrelevant and set to {@link #DEFAULT_SHARD_SIZE}.
 *
 * @param method files or shards
 * @param hash the content hash
 * @param shardSize bytes per shard (positive); only meaningful for {@code shards}
 */
public record Serialization(Method method, HashAlgorithm hash, long shardSize) {
  /** The serialization method, as written to {@code serialization.method}. */
  public enum Method {
    FILES("files"),
    SHARDS("shards");

    private final String jsonName;

    Method(String jsonName) {
      this.jsonName = jsonName;
    }

    /** {@code files} or {@code shards}. */
    public String jsonName() {
      return jsonName;
    }
  }

  /** Python's default shard size: a decimal gigabyte. */
  public static final long DEFAULT_SHARD_SIZE = 1_000_000_000L;

  /** {@code files} with SHA-256: what the CLI always uses. */
  public static final Serialization DEFAULT = files(HashAlgorithm.SHA256);

  /** Largest shard size a JSON double holds exactly. */
  public static final long MAX_SHARD_SIZE = 1L << 53;

  public Serialization {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(hash, "hash");
    if (method == Method.SHARDS && hash == HashAlgorithm.BLAKE3) {
      method = Method.FILES;
    }
    if (method == Method.FILES) {
      shardSize = DEFAULT_SHARD_SIZE;
    } else if (shardSize <= 0) {
      throw new IllegalArgumentException("Shard size must be positive, got " + shardSize);
    } else if (shardSize > MAX_SHARD_SIZE) {
      // recorded as a JSON float (as Python's protobuf does): larger values would not survive the round trip
      throw new IllegalArgumentException("Shard size must be at most 2^53 bytes, got " + shardSize);
    }
  }

  public static Serialization files(HashAlgorithm hash) {
    return new Serialization(Method.FILES, hash, DEFAULT_SHARD_SIZE);
  }

  public static Serialization shards(HashAlgorithm hash, long shardSize) {
    return new Serialization(Method.SHARDS, hash, shardSize);
  }

  /**
   * The {@code algorithm} string of each resource: the hash name for {@code files}, {@code <hash>-sharded-<N>} for
   * {@code shards} (spec §4.3).
   */
  public String resourceAlgorithm() {
    return method == Method.FILES ? hash.jsonName() : hash.jsonName() + "-sharded-" + shardSize;
  }
}
