package dev.modelvalidation.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/** {@code model-signing}: sign and verify ML models; a drop-in for Python's {@code model_signing} CLI. */
public final class ModelSigningCli implements Callable<Integer> {
  /** The Python release whose CLI and format we follow. */
  static final String COMPATIBLE_WITH = "1.1.1";

  private CommandSpec spec;

  private LogLevel logLevel = LogLevel.INFO;

  /** The environment variables commands read (the process's, or a test's). */
  private UnaryOperator<String> environment = System::getenv;

  private ModelSigningCli() {}

  /** The root command's spec, with a new {@code ModelSigningCli} as its user object. */
  static CommandSpec spec() {
    ModelSigningCli cli = new ModelSigningCli();
    CommandSpec spec =
        Specs.command(
            "model-signing", cli, "Sign and verify machine learning models (OpenSSF model signing format).");
    spec.versionProvider(new Version());
    spec.addOption(
        OptionSpec.builder("--log-level")
            .paramLabel("LEVEL")
            .type(String.class)
            .description("DEBUG, INFO, WARNING, ERROR or CRITICAL (case-insensitive). Default: INFO.")
            .setter(cli.logLevelSetter())
            .build());
    cli.spec = spec;
    return spec;
  }

  /** Checks {@code --log-level} as it is parsed, so a bad level is reported before anything else. */
  private ISetter logLevelSetter() {
    return new ISetter() {
      @Override
      public <T> T set(T value) {
        if (value != null) { // null: the initial value, applied before parsing
          setLogLevel((String) value);
        }
        return null;
      }
    };
  }

  private void setLogLevel(String value) {
    String name = value.toUpperCase(Locale.ROOT);
    for (LogLevel level : LogLevel.values()) { // not valueOf: that finds the constants by reflection
      if (level.name().equals(name)) {
        logLevel = level;
        return;
      }
    }
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Invalid value for '--log-level': '" + value + "' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL.");
  }

  LogLevel logLevel() {
    return logLevel;
  }

  UnaryOperator<String> environment() {
    return environment;
  }

  @Override
  public Integer call() {
    // A bare `model-signing` prints the help on stdout and exits 2, like click >= 8.2.
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  public static void main(String[] args) {
    // picocli's default factory otherwise looks for Groovy's Closure class at every start: a failed class lookup
    // through the whole class path (~15 ms of each run)
    System.setProperty("picocli.disable.closures", "true");
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.out.flush();
    System.err.flush();
    // halt, not exit: Runtime.exit first sets up the JDK's System.Logger to log the call (~10 ms of each run), and
    // nothing here needs shutdown hooks (the streams are flushed; a stopped `verify --repeat-every` exits by signal)
    Runtime.getRuntime().halt(code);
  }

  /** Runs the CLI with the given streams and returns the exit code (0 ok, 1 failure, 2 usage). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System::getenv);
  }

  /**
   * Runs the CLI as {@link #run(String[], PrintWriter, PrintWriter)} does, with {@code environment} instead of the
   * process's environment variables where commands read trust material from one ({@code --public-key-env} etc.).
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, UnaryOperator<String> environment) {
    ArgumentNormalizer.Normalized normalized = ArgumentNormalizer.normalize(args);
    CommandLine cli = CommandTree.build(normalized.command(), normalized.method());
    ((ModelSigningCli) cli.getCommand()).environment = java.util.Objects.requireNonNull(environment, "environment");
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true); // no enum-typed option today; --serialization matches alike
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

    boolean showsWarnings() {
      return compareTo(WARNING) <= 0;
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
