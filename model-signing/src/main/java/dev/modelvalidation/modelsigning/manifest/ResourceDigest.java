package dev.modelvalidation.modelsigning.manifest;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One manifest entry.
 *
 * @param name the resource name: a normalized model-relative path ({@code files}) or {@code <path>:<start>:<end>}
 *     ({@code shards})
 * @param algorithm the algorithm string, e.g. {@code sha256} or {@code sha256-sharded-1000000000}
 * @param digest the raw digest bytes
 */
public record ResourceDigest(String name, String algorithm, byte[] digest) {
  public ResourceDigest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** The raw digest without copying; callers must not modify it. */
  byte[] rawDigest() {
    return digest;
  }

  /** Lowercase hex of the digest. */
  public String digestHex() {
    return HexFormat.of().formatHex(digest);
  }

  /** Whether algorithm and digest bytes are equal (the value Python compares; the name is the key). */
  public boolean sameValue(ResourceDigest other) {
    return algorithm.equals(other.algorithm) && Arrays.equals(digest, other.digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceDigest r && name.equals(r.name) && sameValue(r);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, algorithm, Arrays.hashCode(digest));
  }

  /** {@code name -> algorithm:hex}. */
  @Override
  public String toString() {
    return name + " -> " + algorithm + ":" + digestHex();
  }
}
