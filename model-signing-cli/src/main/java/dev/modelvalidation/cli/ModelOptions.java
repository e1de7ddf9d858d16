package dev.modelvalidation.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The model path and the walk options shared by sign, verify and digest.
 *
 * @param modelPath the model: a directory or a single file
 * @param ignorePaths files or directories to leave out, relative to the current directory
 * @param ignoreGitPaths whether the top-level git files are left out (default)
 * @param allowSymlinks whether symbolic links to files are followed
 */
record ModelOptions(Path modelPath, List<Path> ignorePaths, boolean ignoreGitPaths, boolean allowSymlinks) {
  /**
   * Adds the options (not the model path: picocli names missing required arguments in the order they were added,
   * and the commands add {@code MODEL_PATH} after their other shared options, see {@link #addModelPathTo}).
   */
  static void addOptionsTo(CommandSpec spec) {
    spec.addOption(
        Specs.paths(
            "--ignore-paths",
            "PATH",
            "File or directory to ignore (repeatable). Relative to the current directory, not the model."));
    spec.addOption(Specs.flag("--allow-symlinks", "Follow symbolic links to files (default: refuse symlinks)."));
    spec.addOption(Specs.flag("--ignore-git-paths", "Ignore .git, .gitattributes, .github, .gitignore (default)."));
    spec.addOption(Specs.flag("--no-ignore-git-paths", "Hash the top-level git files too."));
  }

  static void addModelPathTo(CommandSpec spec) {
    spec.addPositional(Specs.positionalPath(0, "MODEL_PATH", "The model: a directory or a single file."));
  }

  static ModelOptions from(ParseResult args) {
    return new ModelOptions(
        Specs.positional(args, 0),
        Specs.value(args, "--ignore-paths"),
        Specs.pairedFlag(args, "--ignore-git-paths", "--no-ignore-git-paths", true),
        Specs.value(args, "--allow-symlinks"));
  }
}
