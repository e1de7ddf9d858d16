package dev.modelvalidation.operator.metrics;

import java.time.Duration;

/** What the webhook and the controller count. Implementations must be cheap and never throw. */
public interface WebhookMetrics {

  /** How an admission request was answered. */
  enum AdmissionResult {
    /** Allowed unchanged. */
    ALLOWED("allowed"),
    /** Allowed with the verifier injected. */
    INJECTED("injected"),
    /** Allowed; the pod already carried the verifier, which the patch moved back to the end (webhook reinvoked). */
    REINVOKED("reinvoked"),
    /** A dry-run request ({@code --dry-run=server}), whatever the answer: nothing was created. */
    DRY_RUN("dry_run"),
    /** Denied by policy. */
    DENIED("denied"),
    /** Failed (bad request, webhook error). */
    ERROR("error");

    private final String label;

    AdmissionResult(String label) {
      this.label = label;
    }

    /** The Prometheus label value. */
    public String label() {
      return label;
    }
  }

  WebhookMetrics NONE =
      new WebhookMetrics() {
        @Override
        public void admission(AdmissionResult result, Duration latency) {}

        @Override
        public void injection(String authMethod) {}

        @Override
        public void verification(boolean verified) {}
      };

  /** One answered admission request and how long it took. */
  void admission(AdmissionResult result, Duration latency);

  /** One pod injected with a verifier for this trust method ({@code sigstore}, {@code pki}, ...). */
  void injection(String authMethod);

  /** One pod's verification finished (counted once per pod). */
  void verification(boolean verified);
}
