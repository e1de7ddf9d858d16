package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.hashing.HashAlgorithm;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import picocli.CommandLine.Option;

/**
 * How to hash the model when signing or computing a digest. Beyond Python's CLI, which always uses files + sha256
 * (still the default here); verify needs no such option because it reads the choice from the signature.
 */
final class SerializationOptions {
  enum Method {
    files,
    shards
  }

  @Option(
      names = "--serialization",
      paramLabel = "METHOD",
      description = "files (one digest per file, default) or shards (one digest per byte range).")
  Method method = Method.files;

  @Option(
      names = "--hash-algorithm",
      paramLabel = "HASH",
      description = "sha256 (default), blake2b or blake3.")
  String hashAlgorithm = "sha256";

  @Option(
      names = "--shard-size",
      paramLabel = "BYTES",
      description = "Shard size for --serialization shards (default 1000000000).")
  long shardSize = Serialization.DEFAULT_SHARD_SIZE;

  Serialization toSerialization() {
    HashAlgorithm hash = HashAlgorithm.fromName(hashAlgorithm);
    if (shardSize <= 0) {
      throw new IllegalArgumentException("--shard-size must be a positive number of bytes, got " + shardSize);
    }
    return method == Method.shards ? Serialization.shards(hash, shardSize) : Serialization.files(hash);
  }
}
