package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * PKI verification: the signing certificate must chain to this CA, at a path in the pod (as upstream) or given
 * itself in {@code certificateAuthorityData} (beyond upstream), which pod authors cannot choose.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.certificateAuthority) != has(self.certificateAuthorityData)",
    message = "exactly one of certificateAuthority and certificateAuthorityData")
public class PkiConfig {
  /** Longest {@code certificateAuthorityData}: room for a few dozen PEM certificates. */
  public static final int MAX_CERTIFICATE_AUTHORITY_DATA = 64 * 1024;

  @Pattern(Model.ABSOLUTE_PATH_PATTERN)
  @Size(max = Model.MAX_PATH_LENGTH)
  @ValidationRule(value = Model.NO_DOT_SEGMENTS_RULE, message = Model.NO_DOT_SEGMENTS_MESSAGE)
  @JsonPropertyDescription(
      "Absolute path in the pod of the PEM CA certificate(s) that anchor the signing certificate chain. Whoever"
          + " creates the pod chooses that file: prefer certificateAuthorityData.")
  private String certificateAuthority;

  @Size(min = 1, max = MAX_CERTIFICATE_AUTHORITY_DATA)
  @JsonPropertyDescription(
      "The PEM CA certificate(s) themselves (beyond upstream): injected into the verifier from this"
          + " ModelValidation, so pod authors cannot choose them. Exactly one of certificateAuthority and"
          + " certificateAuthorityData.")
  private String certificateAuthorityData;

  public PkiConfig() {}

  public PkiConfig(String certificateAuthority) {
    this.certificateAuthority = certificateAuthority;
  }

  /** A config holding the PEM CA certificates themselves. */
  public static PkiConfig ofCertificateAuthorityData(String pem) {
    PkiConfig config = new PkiConfig();
    config.setCertificateAuthorityData(pem);
    return config;
  }

  public String getCertificateAuthorityData() {
    return certificateAuthorityData;
  }

  public void setCertificateAuthorityData(String certificateAuthorityData) {
    this.certificateAuthorityData = certificateAuthorityData;
  }

  public String getCertificateAuthority() {
    return certificateAuthority;
  }

  public void setCertificateAuthority(String certificateAuthority) {
    this.certificateAuthority = certificateAuthority;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PkiConfig that
        && Objects.equals(certificateAuthority, that.certificateAuthority)
        && Objects.equals(certificateAuthorityData, that.certificateAuthorityData);
  }

  @Override
  public int hashCode() {
    return Objects.hash(certificateAuthority, certificateAuthorityData);
  }
}
