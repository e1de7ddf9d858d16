package dev.modelvalidation.operator.webhook;

import java.time.Duration;

/**
 * One answered admission request, for metrics, events and logs.
 *
 * @param namespace the request's namespace
 * @param pod the pod's name, or its generateName followed by {@code *}
 * @param modelValidation the ModelValidation applied, or null if none was resolved
 * @param outcome what the webhook answered
 * @param message the reason (denial message, or why the pod was left alone)
 * @param elapsed time spent on the request
 * @param dryRun the request was a dry run ({@code kubectl ... --dry-run=server}): nothing is persisted
 */
public record AdmissionDecision(
    String namespace,
    String pod,
    String modelValidation,
    Outcome outcome,
    String message,
    Duration elapsed,
    boolean dryRun) {

  /** What the webhook answered. */
  public enum Outcome {
    /** Allowed with a patch that injects verification. */
    MUTATED,
    /**
     * Allowed, the pod already carrying the verifier: the patch only moves it back to the end of the init containers
     * or refreshes the annotations (the webhook reinvoked after a later webhook changed the pod). Not an injection.
     */
    REINVOKED,
    /** Allowed as is (no label, ignored namespace, already injected, not a CREATE). */
    UNCHANGED,
    /** Denied by policy (missing or ambiguous ModelValidation, unusable paths, spoofed container). */
    DENIED,
    /** Denied because the request or the webhook failed (bad object, lookup error). */
    ERROR
  }
}
