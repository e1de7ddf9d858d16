package dev.modelvalidation.operator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.modelvalidation.operator.api.ModelValidationSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short stable hash of a ModelValidation spec, written to the pod annotation {@code config-hash};
 * the controller compares it with the current spec to find pods injected from an older config.
 * It is the first 16 hex digits of SHA-256 over the spec's JSON with sorted keys.
 */
public final class ConfigHash {

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private ConfigHash() {}

  /** The hash of this spec. */
  public static String of(ModelValidationSpec spec) {
    try {
      byte[] json = CANONICAL.writeValueAsString(spec).getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a ModelValidation spec", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
