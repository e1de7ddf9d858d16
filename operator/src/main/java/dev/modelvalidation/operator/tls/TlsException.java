package dev.modelvalidation.operator.tls;

/** A certificate or key cannot be read, created or used; the message is one line. */
public class TlsException extends RuntimeException {

  public TlsException(String message) {
    super(message);
  }

  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
