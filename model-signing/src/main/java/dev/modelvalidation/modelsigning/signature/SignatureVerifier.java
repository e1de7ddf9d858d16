package dev.modelvalidation.modelsigning.signature;

import dev.modelvalidation.modelsigning.ModelSigningException;

/**
 * Checks the signature layer of a model signature file (a Sigstore bundle) for one method: key, certificate or
 * sigstore. It does not look at the model: the caller hashes the model and compares manifests afterwards.
 */
public interface SignatureVerifier {
  /**
   * @param bundleJson the signature file's bytes (UTF-8 JSON)
   * @return the payload that the signature covers
   * @throws ModelSigningException with a one-line reason when the bundle is malformed or does not verify
   */
  VerifiedPayload verify(byte[] bundleJson) throws ModelSigningException;
}
