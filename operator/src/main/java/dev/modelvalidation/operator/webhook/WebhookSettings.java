package dev.modelvalidation.operator.webhook;

import java.util.Map;
import java.util.Objects;

/**
 * What the webhook needs to know about the operator's installation.
 *
 * @param verifierImage the image of the injected verifier containers
 * @param operatorNamespace the operator's own namespace, never mutated
 * @param nativeSidecars whether continuous validation may use a native sidecar (resolved from
 *     {@link SidecarSupport} and the cluster version)
 * @param injectedBy the value of the {@code injected-by} annotation
 */
public record WebhookSettings(
    String verifierImage, String operatorNamespace, boolean nativeSidecars, String injectedBy) {

  public WebhookSettings {
    Objects.requireNonNull(verifierImage, "verifierImage");
    Objects.requireNonNull(operatorNamespace, "operatorNamespace");
    Objects.requireNonNull(injectedBy, "injectedBy");
    if (verifierImage.isBlank()) {
      throw new IllegalArgumentException("the verifier image must not be blank");
    }
    if (operatorNamespace.isBlank()) {
      throw new IllegalArgumentException("the operator namespace must not be blank");
    }
  }

  /** Settings with the default image, namespace and injected-by value. */
  public static WebhookSettings defaults(boolean nativeSidecars) {
    return new WebhookSettings(
        WebhookConstants.DEFAULT_VERIFIER_IMAGE,
        WebhookConstants.DEFAULT_OPERATOR_NAMESPACE,
        nativeSidecars,
        WebhookConstants.DEFAULT_INJECTED_BY);
  }

  /**
   * Reads {@code MODEL_VALIDATION_VERIFIER_IMAGE}, {@code MODEL_VALIDATION_NAMESPACE} and {@code
   * MODEL_VALIDATION_CONTINUOUS_SIDECAR} (resolved against the given server version).
   *
   * @throws IllegalArgumentException for a malformed value
   */
  public static WebhookSettings fromEnvironment(
      Map<String, String> env, String serverMajor, String serverMinor) {
    String image = env.getOrDefault("MODEL_VALIDATION_VERIFIER_IMAGE", "");
    String namespace = env.getOrDefault("MODEL_VALIDATION_NAMESPACE", "");
    boolean sidecars =
        SidecarSupport.parse(env.get("MODEL_VALIDATION_CONTINUOUS_SIDECAR"))
            .resolve(serverMajor, serverMinor);
    return new WebhookSettings(
        image.isBlank() ? WebhookConstants.DEFAULT_VERIFIER_IMAGE : image.trim(),
        namespace.isBlank() ? WebhookConstants.DEFAULT_OPERATOR_NAMESPACE : namespace.trim(),
        sidecars,
        WebhookConstants.DEFAULT_INJECTED_BY);
  }
}
