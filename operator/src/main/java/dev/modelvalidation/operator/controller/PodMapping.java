package dev.modelvalidation.operator.controller;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.webhook.WebhookConstants;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which ModelValidation a labelled pod belongs to: the webhook's annotation {@code
 * validation.ml.sigstore.dev/model-validation}, else the label value, where {@code "true"} means the
 * only ModelValidation in the namespace.
 */
final class PodMapping {

  private PodMapping() {}

  /** The ModelValidation name, resolving {@code "true"} against the namespace's resources. */
  static Optional<String> modelValidationName(Pod pod, List<ModelValidation> inNamespace) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String annotated = annotations == null ? null : annotations.get(WebhookConstants.ANNOTATION_MODEL_VALIDATION);
    if (annotated != null && !annotated.isBlank()) {
      return Optional.of(annotated);
    }
    Map<String, String> labels = pod.getMetadata().getLabels();
    String label = labels == null ? null : labels.get(WebhookConstants.POD_LABEL);
    if (label == null || label.isBlank()) {
      return Optional.empty();
    }
    if (!WebhookConstants.POD_LABEL_ONLY_ONE.equals(label)) {
      return Optional.of(label);
    }
    boolean named = inNamespace.stream().anyMatch(mv -> label.equals(mv.getMetadata().getName()));
    if (named) {
      return Optional.of(label);
    }
    return inNamespace.size() == 1
        ? Optional.of(inNamespace.get(0).getMetadata().getName())
        : Optional.empty();
  }
}
