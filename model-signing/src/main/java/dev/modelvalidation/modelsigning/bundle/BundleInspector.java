package dev.modelvalidation.modelsigning.bundle;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells, without verifying anything, which method a signature file was made with and what it carries. For tooling
 * (e.g. picking a verifier, or showing the payload).
 */
public final class BundleInspector {
  private final BundleParser parser = new BundleParser();

  /**
   * What a signature file holds.
   *
   * @param method key, certificate or sigstore
   * @param mediaType the bundle media type as found
   * @param payloadType the DSSE payload type
   * @param payload the DSSE payload (unverified!)
   * @param bundle the whole parsed bundle
   */
  public record Summary(
      SigningMethod method, String mediaType, String payloadType, byte[] payload, SignatureBundle bundle) {
    public Summary {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /** Inspects bundle JSON bytes; any bundle media type is accepted. */
  public Summary inspect(byte[] bundleJson) throws ModelSigningException {
    SignatureBundle bundle = parser.parseAnyMediaType(bundleJson);
    return new Summary(
        bundle.signingMethod(),
        bundle.mediaType(),
        bundle.dsseEnvelope().payloadType(),
        bundle.dsseEnvelope().payload(),
        bundle);
  }

  /** Inspects a signature file. */
  public Summary inspect(Path signatureFile) throws ModelSigningException {
    try {
      return inspect(Files.readAllBytes(signatureFile));
    } catch (IOException e) {
      throw new ModelSigningException("Cannot read signature file " + signatureFile + ": " + e.getMessage(), e);
    }
  }
}
