package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** PKI verification: the signing certificate must chain to this CA. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PkiConfig {

  @Required
  @Pattern(Model.ABSOLUTE_PATH_PATTERN)
  @Size(max = Model.MAX_PATH_LENGTH)
  @ValidationRule(value = Model.NO_DOT_SEGMENTS_RULE, message = Model.NO_DOT_SEGMENTS_MESSAGE)
  @JsonPropertyDescription("Absolute path of the PEM CA certificate(s) that anchor the signing certificate chain.")
  private String certificateAuthority;

  public PkiConfig() {}

  public PkiConfig(String certificateAuthority) {
    this.certificateAuthority = certificateAuthority;
  }

  public String getCertificateAuthority() {
    return certificateAuthority;
  }

  public void setCertificateAuthority(String certificateAuthority) {
    this.certificateAuthority = certificateAuthority;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PkiConfig that && Objects.equals(certificateAuthority, that.certificateAuthority);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(certificateAuthority);
  }
}
