package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * Public-key verification (also used for the legacy name privateKeyConfig): the key at a path in the pod, as upstream
 * has it, or the key itself in {@code keyData} (beyond upstream), which pod authors cannot choose.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.keyPath) != has(self.keyData)", message = "exactly one of keyPath and keyData")
public class PublicKeyConfig {
  /** Longest {@code keyData}: a PEM public key is well under 1 KiB. */
  public static final int MAX_KEY_DATA = 16 * 1024;

  @Pattern(Model.ABSOLUTE_PATH_PATTERN)
  @Size(max = Model.MAX_PATH_LENGTH)
  @ValidationRule(value = Model.NO_DOT_SEGMENTS_RULE, message = Model.NO_DOT_SEGMENTS_MESSAGE)
  @JsonPropertyDescription(
      "Absolute path of the PEM public key in the pod. Whoever creates the pod chooses that file: prefer keyData.")
  private String keyPath;

  @Size(min = 1, max = MAX_KEY_DATA)
  @JsonPropertyDescription(
      "The PEM public key itself (beyond upstream): injected into the verifier from this ModelValidation, so pod"
          + " authors cannot choose it. Exactly one of keyPath and keyData.")
  private String keyData;

  public PublicKeyConfig() {}

  public PublicKeyConfig(String keyPath) {
    this.keyPath = keyPath;
  }

  /** A config holding the PEM key itself. */
  public static PublicKeyConfig ofKeyData(String pem) {
    PublicKeyConfig config = new PublicKeyConfig();
    config.setKeyData(pem);
    return config;
  }

  public String getKeyData() {
    return keyData;
  }

  public void setKeyData(String keyData) {
    this.keyData = keyData;
  }

  public String getKeyPath() {
    return keyPath;
  }

  public void setKeyPath(String keyPath) {
    this.keyPath = keyPath;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKeyConfig that
        && Objects.equals(keyPath, that.keyPath)
        && Objects.equals(keyData, that.keyData);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyPath, keyData);
  }
}
