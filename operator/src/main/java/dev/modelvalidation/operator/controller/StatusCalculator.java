package dev.modelvalidation.operator.controller;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.api.ModelValidationStatus;
import dev.modelvalidation.operator.api.PodTrackingInfo;
import dev.modelvalidation.operator.webhook.ConfigHash;
import dev.modelvalidation.operator.webhook.SpecValidation;
import dev.modelvalidation.operator.webhook.WebhookConstants;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Computes a ModelValidation's status from its spec and its labelled pods. */
final class StatusCalculator {

  static final String REASON_VALID = "Valid";
  static final String REASON_INVALID = "InvalidSpec";

  private final int maxListed;

  StatusCalculator(int maxListed) {
    if (maxListed < 0 || maxListed > ModelValidationStatus.MAX_LISTED_PODS) {
      throw new IllegalArgumentException(
          "maxListed must be 0.." + ModelValidationStatus.MAX_LISTED_PODS);
    }
    this.maxListed = maxListed;
  }

  /**
   * The new status; fields other than lastUpdated and the conditions' lastTransitionTime are a pure
   * function of the inputs, so an unchanged world gives an equal status.
   */
  ModelValidationStatus compute(
      ModelValidation mv, List<Pod> pods, Map<String, PodVerification> verification, Instant now) {
    ModelValidationStatus old = mv.getStatus();
    ModelValidationStatus s = new ModelValidationStatus();
    long generation = mv.getMetadata().getGeneration() == null ? 0 : mv.getMetadata().getGeneration();
    Optional<String> problem = SpecValidation.firstProblem(mv.getSpec());
    s.setObservedGeneration(generation);
    s.setAuthMethod(SpecValidation.authMethod(mv.getSpec() == null ? null : mv.getSpec().getConfig()));
    List<Condition> conditions = new ArrayList<>();
    if (problem.isEmpty()) {
      conditions.add(condition(old, ModelValidationStatus.CONDITION_READY, "True", REASON_VALID,
          "pods labelled " + WebhookConstants.POD_LABEL + " get the model verified", generation, now));
      conditions.add(condition(old, ModelValidationStatus.CONDITION_INVALID_CONFIG, "False", REASON_VALID,
          "the spec is valid", generation, now));
    } else {
      conditions.add(condition(old, ModelValidationStatus.CONDITION_READY, "False", REASON_INVALID,
          problem.get(), generation, now));
      conditions.add(condition(old, ModelValidationStatus.CONDITION_INVALID_CONFIG, "True", REASON_INVALID,
          problem.get(), generation, now));
    }
    s.setConditions(conditions);

    String hash = mv.getSpec() == null ? null : safeHash(mv);
    List<PodTrackingInfo> injected = new ArrayList<>();
    List<PodTrackingInfo> uninjected = new ArrayList<>();
    List<PodTrackingInfo> orphaned = new ArrayList<>();
    List<PodTrackingInfo> verified = new ArrayList<>();
    List<PodTrackingInfo> failed = new ArrayList<>();
    List<PodTrackingInfo> pending = new ArrayList<>();
    List<Pod> sorted = new ArrayList<>(pods);
    sorted.sort(Comparator.comparing((Pod p) -> p.getMetadata().getName()));
    for (Pod pod : sorted) {
      PodVerification v = verification.get(pod.getMetadata().getUid());
      if (v == null) {
        v = PodVerification.of(pod);
      }
      String injectedAt = annotation(pod, WebhookConstants.ANNOTATION_INJECTED_AT);
      if (!v.injected()) {
        uninjected.add(info(pod, null, null));
        continue;
      }
      injected.add(info(pod, injectedAt, null));
      String podHash = annotation(pod, WebhookConstants.ANNOTATION_CONFIG_HASH);
      if (hash != null && podHash != null && !hash.equals(podHash)) {
        orphaned.add(info(pod, injectedAt, "injected from an earlier spec (config-hash " + podHash + ")"));
      }
      switch (v.state()) {
        case VERIFIED -> verified.add(info(pod, injectedAt, null));
        case FAILED -> failed.add(info(pod, injectedAt, v.message()));
        case PENDING -> pending.add(info(pod, injectedAt, null));
        case UNINJECTED -> throw new IllegalStateException("unreachable");
      }
    }
    s.setInjectedPodCount(injected.size());
    s.setUninjectedPodCount(uninjected.size());
    s.setOrphanedPodCount(orphaned.size());
    s.setVerifiedPodCount(verified.size());
    s.setFailedPodCount(failed.size());
    s.setPendingPodCount(pending.size());
    s.setInjectedPods(bounded(injected));
    s.setUninjectedPods(bounded(uninjected));
    s.setOrphanedPods(bounded(orphaned));
    s.setVerifiedPods(bounded(verified));
    s.setFailedPods(bounded(failed));
    s.setPendingPods(bounded(pending));
    s.setLastUpdated(now.truncatedTo(ChronoUnit.SECONDS).toString());
    return s;
  }

  /** Whether two statuses differ in more than lastUpdated. */
  static boolean differs(ModelValidationStatus a, ModelValidationStatus b) {
    if (a == null || b == null) {
      return a != b;
    }
    String savedA = a.getLastUpdated();
    String savedB = b.getLastUpdated();
    a.setLastUpdated(null);
    b.setLastUpdated(null);
    try {
      return !a.equals(b);
    } finally {
      a.setLastUpdated(savedA);
      b.setLastUpdated(savedB);
    }
  }

  private List<PodTrackingInfo> bounded(List<PodTrackingInfo> all) {
    return List.copyOf(all.subList(0, Math.min(all.size(), maxListed)));
  }

  private static String safeHash(ModelValidation mv) {
    try {
      return ConfigHash.of(mv.getSpec());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static PodTrackingInfo info(Pod pod, String injectedAt, String message) {
    return new PodTrackingInfo(pod.getMetadata().getName(), pod.getMetadata().getUid(), injectedAt, message);
  }

  private static String annotation(Pod pod, String key) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private static Condition condition(
      ModelValidationStatus old, String type, String status, String reason, String message,
      long generation, Instant now) {
    String transition = now.truncatedTo(ChronoUnit.SECONDS).toString();
    if (old != null && old.getConditions() != null) {
      for (Condition c : old.getConditions()) {
        if (type.equals(c.getType()) && Objects.equals(status, c.getStatus())
            && c.getLastTransitionTime() != null) {
          transition = c.getLastTransitionTime();
        }
      }
    }
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }
}
