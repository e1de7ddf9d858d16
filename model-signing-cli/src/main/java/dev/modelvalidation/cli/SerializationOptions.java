package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.hashing.HashAlgorithm;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * How to hash the model when signing or computing a digest. Beyond Python's CLI, which always uses files + sha256
 * (still the default here); verify needs no such option because it reads the choice from the signature.
 *
 * @param method {@code files} or {@code shards}
 * @param hashAlgorithm the hash name, checked by {@link HashAlgorithm#fromName}
 * @param shardSize the shard size in bytes for {@code shards}
 */
record SerializationOptions(String method, String hashAlgorithm, long shardSize) {
  private static final List<String> METHODS = List.of("files", "shards");

  /**
   * {@code --serialization}, case-insensitive, with the message picocli gives for an enum (a String option: an enum
   * type would make picocli list its constants by reflection).
   */
  private static final ITypeConverter<String> METHOD =
      value -> {
        for (String method : METHODS) {
          if (method.equalsIgnoreCase(value)) {
            return method;
          }
        }
        throw new TypeConversionException(
            String.format("expected one of %s (case-insensitive) but was '%s'", METHODS, value));
      };

  static void addTo(CommandSpec spec) {
    spec.addOption(
        Specs.option(
                "--serialization",
                "METHOD",
                String.class,
                "files (one digest per file, default) or shards (one digest per byte range).")
            .converters(METHOD)
            .initialValue("files")
            .build());
    spec.addOption(
        Specs.option("--hash-algorithm", "HASH", String.class, "sha256 (default), blake2b or blake3.")
            .initialValue("sha256")
            .build());
    spec.addOption(
        Specs.option(
                "--shard-size", "BYTES", long.class, "Shard size for --serialization shards (default 1000000000).")
            .initialValue(Serialization.DEFAULT_SHARD_SIZE)
            .build());
  }

  static SerializationOptions from(ParseResult args) {
    return new SerializationOptions(
        Specs.value(args, "--serialization"), Specs.value(args, "--hash-algorithm"), Specs.value(args, "--shard-size"));
  }

  Serialization toSerialization() {
    HashAlgorithm hash = HashAlgorithm.fromName(hashAlgorithm);
    if (shardSize <= 0) {
      throw new IllegalArgumentException("--shard-size must be a positive number of bytes, got " + shardSize);
    }
    return method.equals("shards") ? Serialization.shards(hash, shardSize) : Serialization.files(hash);
  }
}
