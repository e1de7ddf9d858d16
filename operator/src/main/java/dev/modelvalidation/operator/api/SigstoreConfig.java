package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Sigstore (keyless) verification: the signer's certificate identity and OIDC issuer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigstoreConfig {

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("Expected identity (SAN) of the signing certificate, e.g. an e-mail.")
  private String certificateIdentity;

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("Expected OIDC issuer URL of the signing certificate.")
  private String certificateOidcIssuer;

  public SigstoreConfig() {}

  public SigstoreConfig(String certificateIdentity, String certificateOidcIssuer) {
    this.certificateIdentity = certificateIdentity;
    this.certificateOidcIssuer = certificateOidcIssuer;
  }

  public String getCertificateIdentity() {
    return certificateIdentity;
  }

  public void setCertificateIdentity(String certificateIdentity) {
    this.certificateIdentity = certificateIdentity;
  }

  public String getCertificateOidcIssuer() {
    return certificateOidcIssuer;
  }

  public void setCertificateOidcIssuer(String certificateOidcIssuer) {
    this.certificateOidcIssuer = certificateOidcIssuer;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigstoreConfig that
        && Objects.equals(certificateIdentity, that.certificateIdentity)
        && Objects.equals(certificateOidcIssuer, that.certificateOidcIssuer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(certificateIdentity, certificateOidcIssuer);
  }
}
