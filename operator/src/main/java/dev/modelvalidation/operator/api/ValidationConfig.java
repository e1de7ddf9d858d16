package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * The trust method: exactly one of {@code sigstoreConfig}, {@code pkiConfig}, {@code publicKeyConfig}
 * or its older name {@code privateKeyConfig} (upstream's first release; it always held a public key
 * path and is treated exactly like {@code publicKeyConfig}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = ValidationConfig.EXACTLY_ONE_METHOD_RULE,
    message = ValidationConfig.EXACTLY_ONE_METHOD_MESSAGE)
@ValidationRule(
    value = "!has(self.clientTrustConfig) || has(self.sigstoreConfig)",
    message = "clientTrustConfig applies only to sigstoreConfig")
public class ValidationConfig {

  /** CEL rule in the CRD: exactly one trust method. */
  public static final String EXACTLY_ONE_METHOD_RULE =
      "[has(self.sigstoreConfig), has(self.pkiConfig), has(self.publicKeyConfig),"
          + " has(self.privateKeyConfig)].filter(x, x).size() == 1";

  /** Message of {@link #EXACTLY_ONE_METHOD_RULE}. */
  public static final String EXACTLY_ONE_METHOD_MESSAGE =
      "exactly one of sigstoreConfig, pkiConfig, publicKeyConfig (or privateKeyConfig) must be set";

  @JsonPropertyDescription("Verify a Sigstore bundle for a certificate identity and OIDC issuer.")
  private SigstoreConfig sigstoreConfig;

  @JsonPropertyDescription("Verify a certificate-signed bundle against a CA certificate chain.")
  private PkiConfig pkiConfig;

  @JsonPropertyDescription("Verify a key-signed bundle against a public key.")
  private PublicKeyConfig publicKeyConfig;

  @JsonPropertyDescription(
      "Deprecated name of publicKeyConfig (upstream v1alpha1's first release); keyPath is a PUBLIC key.")
  private PublicKeyConfig privateKeyConfig;

  @JsonPropertyDescription(
      "Sigstore client trust configuration for private Fulcio/Rekor instances (sigstoreConfig only).")
  private ClientTrustConfig clientTrustConfig;

  public ValidationConfig() {}

  public SigstoreConfig getSigstoreConfig() {
    return sigstoreConfig;
  }

  public void setSigstoreConfig(SigstoreConfig sigstoreConfig) {
    this.sigstoreConfig = sigstoreConfig;
  }

  public PkiConfig getPkiConfig() {
    return pkiConfig;
  }

  public void setPkiConfig(PkiConfig pkiConfig) {
    this.pkiConfig = pkiConfig;
  }

  public PublicKeyConfig getPublicKeyConfig() {
    return publicKeyConfig;
  }

  public void setPublicKeyConfig(PublicKeyConfig publicKeyConfig) {
    this.publicKeyConfig = publicKeyConfig;
  }

  public PublicKeyConfig getPrivateKeyConfig() {
    return privateKeyConfig;
  }

  public void setPrivateKeyConfig(PublicKeyConfig privateKeyConfig) {
    this.privateKeyConfig = privateKeyConfig;
  }

  public ClientTrustConfig getClientTrustConfig() {
    return clientTrustConfig;
  }

  public void setClientTrustConfig(ClientTrustConfig clientTrustConfig) {
    this.clientTrustConfig = clientTrustConfig;
  }

  /** The public key config under either of its names ({@code publicKeyConfig} wins), or null. */
  @JsonIgnore
  public PublicKeyConfig effectivePublicKeyConfig() {
    return publicKeyConfig != null ? publicKeyConfig : privateKeyConfig;
  }

  /** How many trust methods are set (the CRD requires exactly one). */
  @JsonIgnore
  public int trustMethodCount() {
    int n = 0;
    for (Object o : new Object[] {sigstoreConfig, pkiConfig, publicKeyConfig, privateKeyConfig}) {
      if (o != null) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidationConfig that
        && Objects.equals(sigstoreConfig, that.sigstoreConfig)
        && Objects.equals(pkiConfig, that.pkiConfig)
        && Objects.equals(publicKeyConfig, that.publicKeyConfig)
        && Objects.equals(privateKeyConfig, that.privateKeyConfig)
        && Objects.equals(clientTrustConfig, that.clientTrustConfig);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        sigstoreConfig, pkiConfig, publicKeyConfig, privateKeyConfig, clientTrustConfig);
  }
}
