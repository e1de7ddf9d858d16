package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Sigstore client trust configuration for private Fulcio/Rekor instances. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientTrustConfig {

  @Required
  @Pattern(Model.ABSOLUTE_PATH_PATTERN)
  @Size(max = Model.MAX_PATH_LENGTH)
  @ValidationRule(value = Model.NO_DOT_SEGMENTS_RULE, message = Model.NO_DOT_SEGMENTS_MESSAGE)
  @JsonPropertyDescription("Absolute path of a Sigstore ClientTrustConfig JSON file.")
  private String trustConfigPath;

  public ClientTrustConfig() {}

  public ClientTrustConfig(String trustConfigPath) {
    this.trustConfigPath = trustConfigPath;
  }

  public String getTrustConfigPath() {
    return trustConfigPath;
  }

  public void setTrustConfigPath(String trustConfigPath) {
    this.trustConfigPath = trustConfigPath;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientTrustConfig that && Objects.equals(trustConfigPath, that.trustConfigPath);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(trustConfigPath);
  }
}
