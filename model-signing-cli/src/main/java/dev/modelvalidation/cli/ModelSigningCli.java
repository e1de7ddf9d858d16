package dev.modelvalidation.cli;

import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code model-signing}: sign and verify ML models; a drop-in for Python's {@code model_signing} CLI. */
@Command(
    name = "model-signing",
    mixinStandardHelpOptions = true,
    versionProvider = ModelSigningCli.Version.class,
    description = "Sign and verify machine learning models (OpenSSF model signing format).")
public final class ModelSigningCli implements java.util.concurrent.Callable<Integer> {
  /** The Python release whose CLI and format we follow. */
  static final String COMPATIBLE_WITH = "1.1.1";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private LogLevel logLevel = LogLevel.INFO;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "DEBUG, INFO, WARNING, ERROR or CRITICAL (case-insensitive). Default: INFO.")
  void setLogLevel(String value) {
    try {
      logLevel = LogLevel.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Invalid value for '--log-level': '" + value + "' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL.");
    }
  }

  LogLevel logLevel() {
    return logLevel;
  }

  @Override
  public Integer call() {
    // A bare `model-signing` prints the help on stdout and exits 2, like click >= 8.2.
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams and returns the exit code (0 ok, 1 failure, 2 usage). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    ArgumentNormalizer.Normalized normalized = ArgumentNormalizer.normalize(args);
    CommandLine cli = CommandTree.build(new ModelSigningCli(), normalized.command(), normalized.method());
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          // Commands report their own failures; this is the last guard against a stack trace.
          commandLine.getErr().println("model-signing: internal error: " + ex);
          return 1;
        });
    int code = cli.execute(normalized.args());
    out.flush();
    err.flush();
    return code;
  }

  /** Levels of Python's logging module; INFO and below show informational lines on stderr. */
  enum LogLevel {
    DEBUG,
    INFO,
    WARNING,
    ERROR,
    CRITICAL;

    boolean showsInfo() {
      return compareTo(INFO) <= 0;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String own = ModelSigningCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "model-signing, version " + (own == null ? "dev" : own) + " (compatible with model_signing " + COMPATIBLE_WITH + ")"
      };
    }
  }
}
