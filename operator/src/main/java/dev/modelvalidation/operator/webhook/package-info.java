/**
 * The pod mutating webhook.
 *
 * <ul>
 *   <li>{@link dev.modelvalidation.operator.webhook.PodMutator}: pure function, pod + ModelValidation
 *       + {@link dev.modelvalidation.operator.webhook.WebhookSettings} + time → {@link
 *       dev.modelvalidation.operator.webhook.MutationResult} (mutated pod, unchanged, or denial).
 *   <li>{@link dev.modelvalidation.operator.webhook.AdmissionHandler}: AdmissionReview v1 JSON in and
 *       out; resolves the pod's label through {@link
 *       dev.modelvalidation.operator.webhook.ModelValidationLookup} and {@link
 *       dev.modelvalidation.operator.webhook.NamespaceLookup}, answers with a JSON Patch, reports each
 *       decision to an {@link dev.modelvalidation.operator.webhook.AdmissionObserver}.
 *   <li>{@link dev.modelvalidation.operator.webhook.AdmissionServer}: HTTPS {@code POST
 *       /mutate-v1-pod}, TLS from a {@code Supplier<SSLContext>} asked per connection.
 *   <li>{@link dev.modelvalidation.operator.webhook.VerifierArgs}: the exact command lines of the
 *       injected containers, including the options continuous validation needs from the CLI.
 *   <li>{@link dev.modelvalidation.operator.webhook.SpecValidation} and {@link
 *       dev.modelvalidation.operator.webhook.ConfigHash}: shared with the controller (InvalidConfig
 *       condition, drift detection).
 * </ul>
 */
package dev.modelvalidation.operator.webhook;
