package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.ModelHasher;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** What a command needs from its surroundings: streams, log level, where failures are recorded. */
record CommandContext(
    PrintWriter out,
    PrintWriter err,
    ModelSigningCli.LogLevel logLevel,
    TerminationLog terminationLog,
    TrustFromEnvironment environment) {

  /** Informational log lines (stderr), shown at INFO and DEBUG like Python's logging. */
  Consumer<String> infoLog() {
    return logLevel.showsInfo() ? err::println : line -> {};
  }

  /** A hasher on all cores, with a progress line on stderr when stderr is a terminal. */
  ModelHasher newHasher() {
    int threads = Runtime.getRuntime().availableProcessors();
    return ProgressReporter.forStderr(err, logLevel)
        .map(progress -> new ModelHasher(threads, progress))
        .orElseGet(() -> new ModelHasher(threads));
  }
}
