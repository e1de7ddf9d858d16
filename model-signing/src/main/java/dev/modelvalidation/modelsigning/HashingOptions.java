package dev.modelvalidation.modelsigning;

import dev.modelvalidation.modelsigning.hashing.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * CLI-style options for hashing and signing: {@code ignorePaths} are resolved against the working directory (not the
 * model), through symlinks, and dropped when they fall outside the model, as in spec §3.2.
 *
 * @param serialization method and hash (the CLI always uses {@link Serialization#DEFAULT})
 * @param ignorePaths paths to leave out, CWD-relative or absolute
 * @param ignoreGitPaths also ignore {@code .git}, {@code .gitattributes}, {@code .github}, {@code .gitignore} at the
 *     model's top level (default on)
 * @param allowSymlinks hash symlinks to files through instead of failing (default off); recorded in the signature
 */
public record HashingOptions(
    Serialization serialization, List<Path> ignorePaths, boolean ignoreGitPaths, boolean allowSymlinks) {
  public HashingOptions {
    Objects.requireNonNull(serialization, "serialization");
    ignorePaths = List.copyOf(ignorePaths);
  }

  /** files + sha256, no extra ignores, git paths ignored, symlinks refused: the CLI defaults. */
  public static HashingOptions defaults() {
    return new HashingOptions(Serialization.DEFAULT, List.of(), true, false);
  }

  public HashingOptions withSerialization(Serialization s) {
    return new HashingOptions(s, ignorePaths, ignoreGitPaths, allowSymlinks);
  }

  public HashingOptions withIgnorePaths(List<Path> paths) {
    return new HashingOptions(serialization, paths, ignoreGitPaths, allowSymlinks);
  }

  public HashingOptions withIgnoreGitPaths(boolean on) {
    return new HashingOptions(serialization, ignorePaths, on, allowSymlinks);
  }

  public HashingOptions withAllowSymlinks(boolean on) {
    return new HashingOptions(serialization, ignorePaths, ignoreGitPaths, on);
  }
}
