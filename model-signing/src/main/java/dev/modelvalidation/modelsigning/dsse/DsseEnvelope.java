package dev.modelvalidation.modelsigning.dsse;

import java.util.List;

/**
 * A DSSE envelope as it appears in a bundle.
 *
 * @param payload the raw payload bytes, never re-serialized
 * @param payloadType the payload type, normally {@code application/vnd.in-toto+json}
 * @param signatures at least one signature; the key and certificate methods use the first only
 */
public record DsseEnvelope(byte[] payload, String payloadType, List<DsseSignature> signatures) {
  public DsseEnvelope {
    payload = payload.clone();
    signatures = List.copyOf(signatures);
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("a DSSE envelope needs at least one signature");
    }
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The standard PAE of this envelope. */
  public byte[] pae() {
    return Pae.encode(payloadType, payload);
  }
}
