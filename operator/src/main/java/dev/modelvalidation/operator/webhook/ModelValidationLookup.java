package dev.modelvalidation.operator.webhook;

import dev.modelvalidation.operator.api.ModelValidation;
import java.util.List;
import java.util.Optional;

/**
 * Read access to ModelValidation resources (in the operator: an informer cache). Implementations
 * may throw a RuntimeException when they cannot answer (e.g. cache not synced); the webhook then
 * denies the pod (fail closed).
 */
public interface ModelValidationLookup {

  /** The ModelValidation with this name in this namespace. */
  Optional<ModelValidation> get(String namespace, String name);

  /** Every ModelValidation in this namespace. */
  List<ModelValidation> list(String namespace);
}
