package dev.modelvalidation.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the CLI in-process and captures what a user would see. */
record CliRun(int exitCode, String out, String err) {
  static final Path TESTDATA =
      Path.of(System.getProperty("modelsigning.testdata", "../../shared/testdata")).toAbsolutePath().normalize();
  static final Path GOLDEN = TESTDATA.resolve("model-signing-releases");
  static final Path CERTS = GOLDEN.resolve("keys/certificate");

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ModelSigningCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }

  static CliRun of(Object... args) {
    String[] strings = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      strings[i] = String.valueOf(args[i]);
    }
    return of(strings);
  }
}
