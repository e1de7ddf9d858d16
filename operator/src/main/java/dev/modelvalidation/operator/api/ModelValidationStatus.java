package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/**
 * Observed state, written by the controller. Counts are exact; the pod lists are bounded to
 * {@link #MAX_LISTED_PODS} entries each. Upstream's injected/uninjected/orphaned fields are kept.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelValidationStatus {

  /** The most pods any one status list holds. */
  public static final int MAX_LISTED_PODS = 50;

  /** Condition type: the resource is usable and pods are being injected. */
  public static final String CONDITION_READY = "Ready";

  /** Condition type: the spec cannot be used; the condition's reason and message say why. */
  public static final String CONDITION_INVALID_CONFIG = "InvalidConfig";

  @JsonPropertyDescription("Ready, and InvalidConfig with the reason when the spec cannot be used.")
  private List<Condition> conditions;

  @JsonPropertyDescription("The metadata.generation this status was computed for.")
  private Long observedGeneration;

  @JsonPropertyDescription("The trust method: sigstore, pki or public-key.")
  private String authMethod;

  @JsonPropertyDescription("Pods that carry the verifier.")
  private Integer injectedPodCount;

  @JsonPropertyDescription("Labelled pods that do not carry the verifier (e.g. created before the webhook ran).")
  private Integer uninjectedPodCount;

  @JsonPropertyDescription("Injected pods whose configuration hash no longer matches this resource.")
  private Integer orphanedPodCount;

  @JsonPropertyDescription("Injected pods whose verifier succeeded.")
  private Integer verifiedPodCount;

  @JsonPropertyDescription("Injected pods whose verifier failed.")
  private Integer failedPodCount;

  @JsonPropertyDescription("Injected pods whose verifier has not finished yet.")
  private Integer pendingPodCount;

  @Size(max = MAX_LISTED_PODS)
  @JsonPropertyDescription("Injected pods (at most maxItems).")
  private List<PodTrackingInfo> injectedPods;

  @Size(max = MAX_LISTED_PODS)
  @JsonPropertyDescription("Uninjected labelled pods (at most maxItems).")
  private List<PodTrackingInfo> uninjectedPods;

  @Size(max = MAX_LISTED_PODS)
  @JsonPropertyDescription("Orphaned pods (at most maxItems).")
  private List<PodTrackingInfo> orphanedPods;

  @Size(max = MAX_LISTED_PODS)
  @JsonPropertyDescription("Verified pods (at most maxItems).")
  private List<PodTrackingInfo> verifiedPods;

  @Size(max = MAX_LISTED_PODS)
  @JsonPropertyDescription("Failed pods with the verifier's message (at most maxItems).")
  private List<PodTrackingInfo> failedPods;

  @Size(max = MAX_LISTED_PODS)
  @JsonPropertyDescription("Pending pods (at most maxItems).")
  private List<PodTrackingInfo> pendingPods;

  @JsonPropertyDescription("When the status was last written (RFC 3339).")
  private String lastUpdated;

  public ModelValidationStatus() {}

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? null : List.copyOf(conditions);
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getAuthMethod() {
    return authMethod;
  }

  public void setAuthMethod(String authMethod) {
    this.authMethod = authMethod;
  }

  public Integer getInjectedPodCount() {
    return injectedPodCount;
  }

  public void setInjectedPodCount(Integer injectedPodCount) {
    this.injectedPodCount = injectedPodCount;
  }

  public Integer getUninjectedPodCount() {
    return uninjectedPodCount;
  }

  public void setUninjectedPodCount(Integer uninjectedPodCount) {
    this.uninjectedPodCount = uninjectedPodCount;
  }

  public Integer getOrphanedPodCount() {
    return orphanedPodCount;
  }

  public void setOrphanedPodCount(Integer orphanedPodCount) {
    this.orphanedPodCount = orphanedPodCount;
  }

  public Integer getVerifiedPodCount() {
    return verifiedPodCount;
  }

  public void setVerifiedPodCount(Integer verifiedPodCount) {
    this.verifiedPodCount = verifiedPodCount;
  }

  public Integer getFailedPodCount() {
    return failedPodCount;
  }

  public void setFailedPodCount(Integer failedPodCount) {
    this.failedPodCount = failedPodCount;
  }

  public Integer getPendingPodCount() {
    return pendingPodCount;
  }

  public void setPendingPodCount(Integer pendingPodCount) {
    this.pendingPodCount = pendingPodCount;
  }

  public List<PodTrackingInfo> getInjectedPods() {
    return injectedPods;
  }

  public void setInjectedPods(List<PodTrackingInfo> injectedPods) {
    this.injectedPods = injectedPods == null ? null : List.copyOf(injectedPods);
  }

  public List<PodTrackingInfo> getUninjectedPods() {
    return uninjectedPods;
  }

  public void setUninjectedPods(List<PodTrackingInfo> uninjectedPods) {
    this.uninjectedPods = uninjectedPods == null ? null : List.copyOf(uninjectedPods);
  }

  public List<PodTrackingInfo> getOrphanedPods() {
    return orphanedPods;
  }

  public void setOrphanedPods(List<PodTrackingInfo> orphanedPods) {
    this.orphanedPods = orphanedPods == null ? null : List.copyOf(orphanedPods);
  }

  public List<PodTrackingInfo> getVerifiedPods() {
    return verifiedPods;
  }

  public void setVerifiedPods(List<PodTrackingInfo> verifiedPods) {
    this.verifiedPods = verifiedPods == null ? null : List.copyOf(verifiedPods);
  }

  public List<PodTrackingInfo> getFailedPods() {
    return failedPods;
  }

  public void setFailedPods(List<PodTrackingInfo> failedPods) {
    this.failedPods = failedPods == null ? null : List.copyOf(failedPods);
  }

  public List<PodTrackingInfo> getPendingPods() {
    return pendingPods;
  }

  public void setPendingPods(List<PodTrackingInfo> pendingPods) {
    this.pendingPods = pendingPods == null ? null : List.copyOf(pendingPods);
  }

  public String getLastUpdated() {
    return lastUpdated;
  }

  public void setLastUpdated(String lastUpdated) {
    this.lastUpdated = lastUpdated;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelValidationStatus that
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(authMethod, that.authMethod)
        && Objects.equals(injectedPodCount, that.injectedPodCount)
        && Objects.equals(uninjectedPodCount, that.uninjectedPodCount)
        && Objects.equals(orphanedPodCount, that.orphanedPodCount)
        && Objects.equals(verifiedPodCount, that.verifiedPodCount)
        && Objects.equals(failedPodCount, that.failedPodCount)
        && Objects.equals(pendingPodCount, that.pendingPodCount)
        && Objects.equals(injectedPods, that.injectedPods)
        && Objects.equals(uninjectedPods, that.uninjectedPods)
        && Objects.equals(orphanedPods, that.orphanedPods)
        && Objects.equals(verifiedPods, that.verifiedPods)
        && Objects.equals(failedPods, that.failedPods)
        && Objects.equals(pendingPods, that.pendingPods)
        && Objects.equals(lastUpdated, that.lastUpdated);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        conditions, observedGeneration, authMethod, injectedPodCount, uninjectedPodCount, orphanedPodCount, verifiedPodCount, failedPodCount, pendingPodCount, injectedPods, uninjectedPods, orphanedPods, verifiedPods, failedPods, pendingPods, lastUpdated);
  }
}
