package dev.modelvalidation.modelsigning;

import java.util.ArrayList;
import java.util.List;

/**
 * A failure to show a user as one line: what was found, and, where it helps, what to do.
 *
 * <p>Every error the library reports for bad input (a malformed bundle, a wrong key, a tampered model, a path that
 * escapes the model) is one of these, so callers print {@link #getMessage()} and exit non-zero without a stack trace.
 */
public class ModelSigningException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Warnings found before the failure (see {@link #warnings()}). */
  private List<String> warnings = List.of();

  public ModelSigningException(String message) {
    super(message);
  }

  public ModelSigningException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * What the verification had found to warn about before it failed (an old-format bundle, a certificate without
   * KeyUsage): Python prints these as it goes, so they are shown even when a later step fails.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** Adds {@code earlier} in front of this failure's warnings; returns this exception, for {@code throw}. */
  public ModelSigningException withEarlierWarnings(List<String> earlier) {
    if (!earlier.isEmpty()) {
      List<String> all = new ArrayList<>(earlier);
      all.addAll(warnings);
      warnings = List.copyOf(all);
    }
    return this;
  }
}
