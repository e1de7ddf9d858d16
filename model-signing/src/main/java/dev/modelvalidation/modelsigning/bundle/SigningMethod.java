package dev.modelvalidation.modelsigning.bundle;

/** The signing method a bundle was made with, as the CLI names it. */
public enum SigningMethod {
  /** {@code key}: an EC private key; the bundle holds a public key hint. */
  KEY("key"),
  /** {@code certificate}: an EC private key and an X.509 chain; the bundle holds the chain. */
  CERTIFICATE("certificate"),
  /** {@code sigstore}: keyless, a Fulcio certificate and a Rekor entry. */
  SIGSTORE("sigstore");

  private final String cliName;

  SigningMethod(String cliName) {
    this.cliName = cliName;
  }

  /** The method's name on the command line. */
  public String cliName() {
    return cliName;
  }
}
