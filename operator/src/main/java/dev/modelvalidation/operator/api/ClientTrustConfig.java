package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * Sigstore client trust configuration for private Fulcio/Rekor instances: a file in the pod (as upstream) or the JSON
 * itself in {@code trustConfigData} (beyond upstream), which pod authors cannot choose.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.trustConfigPath) != has(self.trustConfigData)",
    message = "exactly one of trustConfigPath and trustConfigData")
public class ClientTrustConfig {
  /**
   * Longest {@code trustConfigData}, in UTF-8 bytes: it reaches the verifier as one environment variable, and Linux
   * takes at most 128 KiB per variable (MAX_ARG_STRLEN, name and {@code =} included). The public-good trusted root is
   * about 6.5 KB.
   */
  public static final int MAX_TRUST_CONFIG_DATA = 120_000;

  @Pattern(Model.ABSOLUTE_PATH_PATTERN)
  @Size(max = Model.MAX_PATH_LENGTH)
  @ValidationRule(value = Model.NO_DOT_SEGMENTS_RULE, message = Model.NO_DOT_SEGMENTS_MESSAGE)
  @JsonPropertyDescription(
      "Absolute path in the pod of a Sigstore ClientTrustConfig (or trusted_root) JSON file. Whoever creates the pod"
          + " chooses that file: prefer trustConfigData.")
  private String trustConfigPath;

  @Size(min = 1, max = MAX_TRUST_CONFIG_DATA)
  @JsonPropertyDescription(
      "The ClientTrustConfig (or trusted_root) JSON itself (beyond upstream): injected into the verifier from this"
          + " ModelValidation, so pod authors cannot choose it. Exactly one of trustConfigPath and trustConfigData.")
  private String trustConfigData;

  public ClientTrustConfig() {}

  public ClientTrustConfig(String trustConfigPath) {
    this.trustConfigPath = trustConfigPath;
  }

  /** A config holding the JSON itself. */
  public static ClientTrustConfig ofTrustConfigData(String json) {
    ClientTrustConfig config = new ClientTrustConfig();
    config.setTrustConfigData(json);
    return config;
  }

  public String getTrustConfigData() {
    return trustConfigData;
  }

  public void setTrustConfigData(String trustConfigData) {
    this.trustConfigData = trustConfigData;
  }

  public String getTrustConfigPath() {
    return trustConfigPath;
  }

  public void setTrustConfigPath(String trustConfigPath) {
    this.trustConfigPath = trustConfigPath;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientTrustConfig that
        && Objects.equals(trustConfigPath, that.trustConfigPath)
        && Objects.equals(trustConfigData, that.trustConfigData);
  }

  @Override
  public int hashCode() {
    return Objects.hash(trustConfigPath, trustConfigData);
  }
}
