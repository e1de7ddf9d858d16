package dev.modelvalidation.modelsigning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.modelsigning.signature.PayloadSigner;
import dev.modelvalidation.modelsigning.signature.SignatureVerifier;
import dev.modelvalidation.modelsigning.signature.VerifiedPayload;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * Test-only stand-ins for the signature layer: an unsigned DSSE-like bundle ({@code {"dsseEnvelope": {"payload": b64,
 * "payloadType": …}}}), and a verifier that returns its payload without any cryptographic check. It also reads real
 * Python bundles (it ignores their signatures).
 */
public final class FakeBundles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FakeBundles() {}

  public static PayloadSigner signer() {
    return payload -> bundle(PayloadSigner.IN_TOTO_PAYLOAD_TYPE, payload);
  }

  public static byte[] bundle(String payloadType, byte[] payload) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode envelope = root.putObject("dsseEnvelope");
    envelope.put("payload", Base64.getEncoder().encodeToString(payload));
    envelope.put("payloadType", payloadType);
    envelope.putArray("signatures");
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SignatureVerifier verifier() {
    return bundle -> {
      try {
        JsonNode envelope = MAPPER.readTree(bundle).get("dsseEnvelope");
        return new VerifiedPayload(
            envelope.get("payloadType").asText(),
            Base64.getDecoder().decode(envelope.get("payload").asText()),
            List.of());
      } catch (IOException | RuntimeException e) {
        throw new VerificationException("not a bundle: " + e.getMessage(), e);
      }
    };
  }
}
