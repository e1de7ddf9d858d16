package dev.modelvalidation.operator.controller;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.api.ModelValidationStatus;
import dev.modelvalidation.operator.metrics.WebhookMetrics;
import dev.modelvalidation.operator.webhook.WebhookConstants;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles ModelValidation resources; it only observes (it never changes pods): it checks the spec
 * with the same rules as the CRD's CEL (for clusters without CEL), and writes {@code status} with
 * the Ready / InvalidConfig conditions, observedGeneration, authMethod, lastUpdated and the counts and
 * bounded lists of the labelled pods (injected, uninjected, orphaned, verified, failed, pending).
 *
 * <p>Pods come from a secondary informer on the label {@code validation.ml.sigstore.dev/ml}, mapped
 * to their ModelValidation by the webhook's annotation or the label value. A pod whose verifier
 * fails, or whose watch sidecar turns not-ready, gets one Warning Event on the pod and one on the
 * ModelValidation.
 */
@ControllerConfiguration(name = ModelValidationReconciler.NAME)
public final class ModelValidationReconciler implements Reconciler<ModelValidation> {

  private static final Logger LOG = LoggerFactory.getLogger(ModelValidationReconciler.class);

  public static final String NAME = "modelvalidation";

  /** Default length of each status pod list. */
  public static final int DEFAULT_MAX_LISTED = 20;

  private final Clock clock;
  private final WebhookMetrics metrics;
  private final StatusCalculator calculator;
  private volatile InformerEventSource<Pod, ModelValidation> pods;
  private volatile IndexerResourceCache<ModelValidation> primaries;
  private volatile VerificationReporter reporter;

  /**
   * @param clock time source for lastUpdated and condition transitions
   * @param metrics counts finished verifications
   * @param maxListed entries per status pod list (0..{@value ModelValidationStatus#MAX_LISTED_PODS})
   */
  public ModelValidationReconciler(Clock clock, WebhookMetrics metrics, int maxListed) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.calculator = new StatusCalculator(maxListed);
  }

  @Override
  public List<EventSource<?, ModelValidation>> prepareEventSources(
      EventSourceContext<ModelValidation> context) {
    this.primaries = context.getPrimaryCache();
    this.reporter = new VerificationReporter(context.getClient(), metrics, clock);
    InformerEventSourceConfiguration<Pod> config =
        InformerEventSourceConfiguration.from(Pod.class, ModelValidation.class)
            .withName("labelled-pods")
            .withLabelSelector(WebhookConstants.POD_LABEL)
            .withSecondaryToPrimaryMapper(
                pod ->
                    PodMapping.modelValidationName(pod, inNamespace(pod.getMetadata().getNamespace()))
                        .map(name -> Set.of(new ResourceID(name, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    this.pods = new InformerEventSource<>(config, context);
    return List.of(pods);
  }

  @Override
  public UpdateControl<ModelValidation> reconcile(
      ModelValidation mv, Context<ModelValidation> context) {
    String namespace = mv.getMetadata().getNamespace();
    String name = mv.getMetadata().getName();
    List<ModelValidation> siblings = inNamespace(namespace);
    List<Pod> mine =
        pods.list(
                namespace,
                pod -> PodMapping.modelValidationName(pod, siblings).map(name::equals).orElse(false))
            .toList();
    Map<String, PodVerification> verification = new HashMap<>();
    for (Pod pod : mine) {
      PodVerification v = PodVerification.of(pod);
      verification.put(pod.getMetadata().getUid(), v);
      reporter.report(mv, pod, v);
    }
    ModelValidationStatus status = calculator.compute(mv, mine, verification, clock.instant());
    if (!StatusCalculator.differs(status, mv.getStatus())) {
      return UpdateControl.noUpdate();
    }
    LOG.debug("status of {}/{}: {} injected, {} verified, {} failed", namespace, name,
        status.getInjectedPodCount(), status.getVerifiedPodCount(), status.getFailedPodCount());
    writeStatus(context.getClient(), mv, status);
    return UpdateControl.noUpdate();
  }

  /**
   * Writes the whole status in one JSON Patch operation ({@code add /status}, which replaces it when present), so
   * the result does not depend on which copy of the resource this reconcile started from. JOSDK's status patch
   * without server-side apply is a diff of index-based list operations computed against the cached copy: applied to
   * a newer status it could duplicate list entries until the next reconcile repaired them.
   */
  private static void writeStatus(KubernetesClient client, ModelValidation mv, ModelValidationStatus status) {
    KubernetesSerialization json = client.getKubernetesSerialization();
    ObjectNode operation = JsonNodeFactory.instance.objectNode();
    operation.put("op", "add");
    operation.put("path", "/status");
    operation.set("value", json.convertValue(status, ObjectNode.class));
    client
        .resources(ModelValidation.class)
        .inNamespace(mv.getMetadata().getNamespace())
        .withName(mv.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), json.asJson(JsonNodeFactory.instance.arrayNode().add(operation)));
  }

  private List<ModelValidation> inNamespace(String namespace) {
    IndexerResourceCache<ModelValidation> cache = primaries;
    return cache == null ? List.of() : cache.list(namespace).toList();
  }
}
