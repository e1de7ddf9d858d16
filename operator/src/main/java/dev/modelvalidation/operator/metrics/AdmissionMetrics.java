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
 * used). A pod is counted as injected once: a reinvocation that finds the verifier already there
 * counts as {@code reinvoked}, and a dry-run request as {@code dry_run} (neither is an injection).
 * Never throws.
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
    WebhookMetrics.AdmissionResult result = d.dryRun() ? WebhookMetrics.AdmissionResult.DRY_RUN : result(d.outcome());
    metrics.admission(result, d.elapsed());
    if (result == WebhookMetrics.AdmissionResult.INJECTED) {
      metrics.injection(authMethod(d));
    }
  }

  private static WebhookMetrics.AdmissionResult result(AdmissionDecision.Outcome outcome) {
    return switch (outcome) {
      case MUTATED -> WebhookMetrics.AdmissionResult.INJECTED;
      case REINVOKED -> WebhookMetrics.AdmissionResult.REINVOKED;
      case UNCHANGED -> WebhookMetrics.AdmissionResult.ALLOWED;
      case DENIED -> WebhookMetrics.AdmissionResult.DENIED;
      case ERROR -> WebhookMetrics.AdmissionResult.ERROR;
    };
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
