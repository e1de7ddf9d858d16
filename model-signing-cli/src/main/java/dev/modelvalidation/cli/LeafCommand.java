package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.HashingOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** Base of the commands that do work: access to the streams and global options. */
abstract class LeafCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  CommandContext context(TerminationLog terminationLog) {
    CommandLine root = spec.root().commandLine();
    ModelSigningCli cli = root.getCommand();
    return new CommandContext(root.getOut(), root.getErr(), cli.logLevel(), terminationLog);
  }

  CommandContext context() {
    return context(TerminationLog.NONE);
  }

  static HashingOptions hashingOptions(ModelOptions model, SerializationOptions serialization) {
    return new HashingOptions(
        serialization.toSerialization(), model.ignorePaths, model.ignoreGitPaths, model.allowSymlinks);
  }
}
