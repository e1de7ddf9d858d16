package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.HashingOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** Base of the commands that do work: their spec, what was parsed, the streams and global options. */
abstract class LeafCommand implements Callable<Integer> {
  private CommandSpec spec;

  /** This command's spec with the standard help options; subclasses add their options to it. */
  final CommandSpec newSpec(String name, String... description) {
    spec = Specs.command(name, this, description);
    return spec;
  }

  /** What picocli parsed for this command. */
  final ParseResult args() {
    return spec.commandLine().getParseResult();
  }

  CommandContext context(TerminationLog terminationLog) {
    CommandLine root = spec.root().commandLine();
    ModelSigningCli cli = root.getCommand();
    return new CommandContext(
        root.getOut(), root.getErr(), cli.logLevel(), terminationLog, new TrustFromEnvironment(cli.environment()));
  }

  CommandContext context() {
    return context(TerminationLog.NONE);
  }

  static HashingOptions hashingOptions(ModelOptions model, SerializationOptions serialization) {
    return new HashingOptions(
        serialization.toSerialization(), model.ignorePaths(), model.ignoreGitPaths(), model.allowSymlinks());
  }
}
