package dev.modelvalidation.modelsigning;

/**
 * A failure to show a user as one line: what was found, and, where it helps, what to do.
 *
 * <p>Every error the library reports for bad input (a malformed bundle, a wrong key, a tampered model, a path that
 * escapes the model) is one of these, so callers print {@link #getMessage()} and exit non-zero without a stack trace.
 */
public class ModelSigningException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelSigningException(String message) {
    super(message);
  }

  public ModelSigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
