package dev.modelvalidation.modelsigning;

import dev.modelvalidation.modelsigning.manifest.Manifest;
import java.util.List;
import java.util.Objects;

/**
 * A successful verification.
 *
 * @param manifest the signed manifest as read from the payload (subject name, root digest, serialization, resources
 *     in payload order); the local model matched it
 * @param warnings lines to show the user (e.g. the old verification-material format warning)
 */
public record VerificationResult(Manifest manifest, List<String> warnings) {
  public VerificationResult {
    Objects.requireNonNull(manifest, "manifest");
    warnings = List.copyOf(warnings);
  }
}
