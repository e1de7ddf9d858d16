package dev.modelvalidation.modelsigning;

import java.util.List;

/** The signature, its certificate or identity, or the model's contents did not verify. */
public class VerificationException extends ModelSigningException {
  private static final long serialVersionUID = 1L;

  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public VerificationException withEarlierWarnings(List<String> earlier) {
    super.withEarlierWarnings(earlier);
    return this;
  }
}
