package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Public-key verification (also used for the legacy name privateKeyConfig). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PublicKeyConfig {

  @Required
  @Pattern(Model.ABSOLUTE_PATH_PATTERN)
  @Size(max = Model.MAX_PATH_LENGTH)
  @ValidationRule(value = Model.NO_DOT_SEGMENTS_RULE, message = Model.NO_DOT_SEGMENTS_MESSAGE)
  @JsonPropertyDescription("Absolute path of the PEM public key.")
  private String keyPath;

  public PublicKeyConfig() {}

  public PublicKeyConfig(String keyPath) {
    this.keyPath = keyPath;
  }

  public String getKeyPath() {
    return keyPath;
  }

  public void setKeyPath(String keyPath) {
    this.keyPath = keyPath;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKeyConfig that && Objects.equals(keyPath, that.keyPath);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(keyPath);
  }
}
