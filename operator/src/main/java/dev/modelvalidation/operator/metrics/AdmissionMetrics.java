package dev.modelvalidation.operator.metrics;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.webhook.AdmissionDecision;
import dev.modelvalidation.operator.webhook.AdmissionObserver;
import dev.modelvalidation.operator.webhook.ModelValidationLookup;
import dev.modelvalidation.operator.webhook.SpecValidation;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the webhook's {@link AdmissionDecision}s into {@link WebhookMetrics}: result and latency of
 * every request, and the trust method of every injection (looked up in the same cache the webhook
 * used). Never throws.
 */
public final class AdmissionMetrics implements AdmissionObserver {

  private final WebhookMetrics metrics;
  private final ModelValidationLookup lookup;

  public AdmissionMetrics(WebhookMetrics metrics, ModelValidationLookup lookup) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  @Override
  public void observe(AdmissionDecision d) {
    WebhookMetrics.AdmissionResult result =
        switch (d.outcome()) {
          case MUTATED -> WebhookMetrics.AdmissionResult.INJECTED;
          case UNCHANGED -> WebhookMetrics.AdmissionResult.ALLOWED;
          case DENIED -> WebhookMetrics.AdmissionResult.DENIED;
          case ERROR -> WebhookMetrics.AdmissionResult.ERROR;
        };
    metrics.admission(result, d.elapsed());
    if (result == WebhookMetrics.AdmissionResult.INJECTED) {
      metrics.injection(authMethod(d));
    }
  }

  private String authMethod(AdmissionDecision d) {
    if (d.modelValidation() == null) {
      return "unknown";
    }
    try {
      Optional<ModelValidation> mv = lookup.get(d.namespace(), d.modelValidation());
      return mv.map(m -> SpecValidation.authMethod(m.getSpec() == null ? null : m.getSpec().getConfig()))
          .orElse("unknown");
    } catch (RuntimeException e) {
      return "unknown";
    }
  }
}
