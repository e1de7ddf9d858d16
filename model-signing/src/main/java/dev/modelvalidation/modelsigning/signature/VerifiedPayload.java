package dev.modelvalidation.modelsigning.signature;

import java.util.List;

/**
 * The DSSE payload of a bundle whose signature checked out, exactly as signed (never re-serialized).
 *
 * @param payloadType the DSSE payload type, normally {@code application/vnd.in-toto+json}
 * @param payload the raw payload bytes (the in-toto statement JSON)
 * @param warnings lines to show the user, e.g. the old-format verification material warning
 */
public record VerifiedPayload(String payloadType, byte[] payload, List<String> warnings) {
  public VerifiedPayload {
    payload = payload.clone();
    warnings = List.copyOf(warnings);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
