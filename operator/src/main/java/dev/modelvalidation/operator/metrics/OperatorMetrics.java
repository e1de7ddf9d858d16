package dev.modelvalidation.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@link WebhookMetrics} in a Micrometer Prometheus registry:
 *
 * <ul>
 *   <li>{@code model_validation_admissions_total{result=allowed|injected|reinvoked|dry_run|denied|error}}
 *   <li>{@code model_validation_injections_total{auth_method}}
 *   <li>{@code model_validation_verifications_total{result=verified|failed}}
 *   <li>{@code model_validation_webhook_latency_seconds} (histogram)
 * </ul>
 */
public final class OperatorMetrics implements WebhookMetrics {

  private final PrometheusMeterRegistry registry;
  private final Map<AdmissionResult, Counter> admissions = new EnumMap<>(AdmissionResult.class);
  private final Counter verified;
  private final Counter failed;
  private final Timer latency;

  public OperatorMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public OperatorMetrics(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (AdmissionResult r : AdmissionResult.values()) {
      admissions.put(
          r,
          Counter.builder("model.validation.admissions")
              .description("Admission requests answered by the pod webhook")
              .tag("result", r.label())
              .register(registry));
    }
    verified = verificationCounter("verified");
    failed = verificationCounter("failed");
    latency =
        Timer.builder("model.validation.webhook.latency")
            .description("Time to answer an admission request")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  private Counter verificationCounter(String result) {
    return Counter.builder("model.validation.verifications")
        .description("Pods whose model verification finished")
        .tag("result", result)
        .register(registry);
  }

  @Override
  public void admission(AdmissionResult result, Duration elapsed) {
    admissions.get(result).increment();
    latency.record(elapsed);
  }

  @Override
  public void injection(String authMethod) {
    Counter.builder("model.validation.injections")
        .description("Pods injected with a model verifier")
        .tag("auth_method", authMethod == null || authMethod.isBlank() ? "unknown" : authMethod)
        .register(registry)
        .increment();
  }

  @Override
  public void verification(boolean ok) {
    (ok ? verified : failed).increment();
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry (to bind JVM meters, for instance). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
