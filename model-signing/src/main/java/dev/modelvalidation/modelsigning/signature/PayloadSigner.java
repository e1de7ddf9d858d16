package dev.modelvalidation.modelsigning.signature;

import dev.modelvalidation.modelsigning.ModelSigningException;

/**
 * Signs an in-toto statement payload with one method (key, certificate or sigstore) and returns the complete
 * signature file: a Sigstore bundle JSON, compact UTF-8 with no trailing newline, as Python model_signing 1.1+
 * writes it.
 */
public interface PayloadSigner {
  /** DSSE payload type of every model signature. */
  String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  /**
   * @param statementPayload the exact in-toto statement bytes to put in the DSSE envelope
   * @return the bundle JSON bytes
   */
  byte[] sign(byte[] statementPayload) throws ModelSigningException;
}
