package dev.modelvalidation.modelsigning.hashing;

/** The content hash of a resource (spec §4.1). The root digest of a manifest is always SHA-256 whatever this is. */
public enum HashAlgorithm {
  /** SHA-256 through the JDK {@code MessageDigest} (hardware-accelerated intrinsic). */
  SHA256("sha256", 32),
  /** BLAKE2b with default parameters and a 64-byte digest (BouncyCastle). */
  BLAKE2B("blake2b", 64),
  /** BLAKE3 with the default 32-byte output (BouncyCastle). */
  BLAKE3("blake3", 32);

  private final String jsonName;
  private final int digestLength;

  HashAlgorithm(String jsonName, int digestLength) {
    this.jsonName = jsonName;
    this.digestLength = digestLength;
  }

  /** The name written to {@code hash_type} and to a resource's {@code algorithm} in {@code files} mode. */
  public String jsonName() {
    return jsonName;
  }

  /** Digest size in bytes. */
  public int digestLength() {
    return digestLength;
  }

  /**
   * Looks up an algorithm by its API or JSON name: {@code sha256}, {@code blake2b} (or the API alias {@code blake2}),
   * {@code blake3}. The match is exact (case-sensitive), as in a signature's {@code hash_type}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static HashAlgorithm fromName(String name) {
    if (name != null) {
      switch (name) {
        case "sha256":
          return SHA256;
        case "blake2b", "blake2":
          return BLAKE2B;
        case "blake3":
          return BLAKE3;
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported hash algorithm '" + name + "': expected sha256, blake2b or blake3");
  }

  /** A new, independent incremental hasher for this algorithm. Not thread-safe; reusable after {@code digest()}. */
  public ContentHasher newHasher() {
    return ContentHasher.create(this);
  }
}
