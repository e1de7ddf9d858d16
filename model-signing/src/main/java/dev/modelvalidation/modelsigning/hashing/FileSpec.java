package dev.modelvalidation.modelsigning.hashing;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A regular file to hash.
 *
 * @param path where to read it (symlinks are followed)
 * @param size its size when the model was walked; shard ranges are computed from it
 */
public record FileSpec(Path path, long size) {
  public FileSpec {
    Objects.requireNonNull(path, "path");
    if (size < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
  }
}
