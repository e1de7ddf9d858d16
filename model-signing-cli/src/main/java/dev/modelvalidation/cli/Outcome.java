package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.PrintWriter;

/**
 * Turns the result of one command into Python model_signing's output lines and exit codes: the success line on
 * stdout and 0, or {@code <prefix>: <reason>} on stderr and 1 — one line, no stack trace unless DEBUG logging.
 */
final class Outcome {
  /** A command body that may fail with a user-facing reason. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private Outcome() {}

  static int run(
      CommandContext context, String successLine, String failurePrefix, Action action) {
    PrintWriter out = context.out();
    PrintWriter err = context.err();
    try {
      action.run();
      if (successLine != null) {
        out.println(successLine);
      }
      return 0;
    } catch (Exception e) {
      String reason = reason(e);
      err.println(failurePrefix + ": " + reason);
      if (context.logLevel() == ModelSigningCli.LogLevel.DEBUG) {
        e.printStackTrace(err);
      }
      context.terminationLog().write(failurePrefix + ": " + reason);
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The one-line reason for a failure: our own messages as they are, anything else with its type. */
  static String reason(Throwable e) {
    String message = e.getMessage();
    if (e instanceof ModelSigningException || e instanceof IllegalArgumentException) {
      return oneLine(message == null ? "" : message);
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + message;
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + message;
    }
    return oneLine(e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
