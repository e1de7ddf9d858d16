package dev.modelvalidation.modelsigning;

import java.nio.file.Path;
import java.util.List;

/**
 * CLI-style options for verification. {@code ignorePaths} are resolved against the working directory as in spec
 * §3.2. The hashing method, hash and shard size come from the signature, not from here.
 *
 * @param ignorePaths extra paths to leave out, CWD-relative or absolute
 * @param ignoreGitPaths ignore the four top-level git paths (default on)
 * @param allowSymlinks allow symlinks in the local model (default off; taken from here, not from the signature, as
 *     Python's CLI does)
 * @param ignoreUnsignedFiles look only at the files the signature names (spec §3.7)
 */
public record VerifyOptions(
    List<Path> ignorePaths, boolean ignoreGitPaths, boolean allowSymlinks, boolean ignoreUnsignedFiles) {
  public VerifyOptions {
    ignorePaths = List.copyOf(ignorePaths);
  }

  /** No extra ignores, git paths ignored, symlinks refused, every local file checked. */
  public static VerifyOptions defaults() {
    return new VerifyOptions(List.of(), true, false, false);
  }

  public VerifyOptions withIgnorePaths(List<Path> paths) {
    return new VerifyOptions(paths, ignoreGitPaths, allowSymlinks, ignoreUnsignedFiles);
  }

  public VerifyOptions withIgnoreGitPaths(boolean on) {
    return new VerifyOptions(ignorePaths, on, allowSymlinks, ignoreUnsignedFiles);
  }

  public VerifyOptions withAllowSymlinks(boolean on) {
    return new VerifyOptions(ignorePaths, ignoreGitPaths, on, ignoreUnsignedFiles);
  }

  public VerifyOptions withIgnoreUnsignedFiles(boolean on) {
    return new VerifyOptions(ignorePaths, ignoreGitPaths, allowSymlinks, on);
  }
}
