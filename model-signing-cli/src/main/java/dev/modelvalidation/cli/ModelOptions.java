package dev.modelvalidation.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model path and the walk options shared by sign, verify and digest. */
final class ModelOptions {
  @Parameters(index = "0", paramLabel = "MODEL_PATH", description = "The model: a directory or a single file.")
  Path modelPath;

  @Option(
      names = "--ignore-paths",
      paramLabel = "PATH",
      description = "File or directory to ignore (repeatable). Relative to the current directory, not the model.")
  List<Path> ignorePaths = new ArrayList<>();

  boolean ignoreGitPaths = true;

  @Option(names = "--ignore-git-paths", description = "Ignore .git, .gitattributes, .github, .gitignore (default).")
  void ignoreGitPaths(boolean ignored) {
    ignoreGitPaths = true;
  }

  @Option(names = "--no-ignore-git-paths", description = "Hash the top-level git files too.")
  void noIgnoreGitPaths(boolean ignored) {
    ignoreGitPaths = false;
  }

  @Option(names = "--allow-symlinks", description = "Follow symbolic links to files (default: refuse symlinks).")
  boolean allowSymlinks;
}
