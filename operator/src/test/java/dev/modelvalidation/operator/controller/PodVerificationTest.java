package dev.modelvalidation.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.api.ModelValidationStatus;
import dev.modelvalidation.operator.webhook.ConfigHash;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodVerificationTest {

  static final String NS = "team-a";

  @Test
  void aRestartedVerifierReportsItsLastFailure() {
    Pod pod = TestObjects.injectedPod(NS, "p", "mv",
        new ContainerStatusBuilder(TestObjects.running())
            .withRestartCount(2)
            .withNewLastState().withNewTerminated().withExitCode(1).withMessage("bad signature")
            .endTerminated().endLastState()
            .build());
    assertThat(PodVerification.of(pod)).isEqualTo(
        new PodVerification(PodVerification.State.FAILED, "bad signature"));
  }

  @Test
  void aFailureWithoutMessageNamesTheExitCode() {
    Pod pod = TestObjects.injectedPod(NS, "p", "mv", TestObjects.exited(2, null));
    assertThat(PodVerification.of(pod).message()).isEqualTo("Error (exit code 2)");
  }

  @Test
  void aSidecarOnlyPodIsVerifiedWhenReady() {
    Pod pod = new PodBuilder(TestObjects.injectedPod(NS, "p", "mv", null))
        .editSpec().editFirstInitContainer().withName("model-validation-watch").endInitContainer().endSpec()
        .build();
    assertThat(PodVerification.of(pod).state()).isEqualTo(PodVerification.State.PENDING);
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().addToInitContainerStatuses(
        new ContainerStatusBuilder().withName("model-validation-watch").withReady(true)
            .withNewState().withNewRunning().endRunning().endState().build()).build());
    assertThat(PodVerification.of(pod).state()).isEqualTo(PodVerification.State.VERIFIED);
  }

  @Test
  void aPodWhoseWatchSidecarIsNotReadyIsNoLongerCountedAsVerified() {
    Pod pod = new PodBuilder(TestObjects.injectedPod(NS, "p", "mv", null))
        .editSpec().addNewInitContainer().withName("model-validation-watch").withRestartPolicy("Always")
        .endInitContainer().endSpec()
        .build();
    ContainerStatus watch = new ContainerStatusBuilder().withName("model-validation-watch").withReady(true)
        .withNewState().withNewRunning().endRunning().endState().build();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
        .addToInitContainerStatuses(TestObjects.exited(0, null), watch).build());
    assertThat(PodVerification.of(pod).state()).isEqualTo(PodVerification.State.VERIFIED);

    pod.getStatus().getInitContainerStatuses().get(1).setReady(false);
    PodVerification degraded = PodVerification.of(pod);
    assertThat(degraded.state()).isEqualTo(PodVerification.State.PENDING);
    assertThat(degraded.message()).contains("model-validation-watch");
  }

  @Test
  void podsInjectedFromAnOlderSpecAreOrphaned() {
    ModelValidation mv = TestObjects.sigstore(NS, "mv");
    mv.getMetadata().setGeneration(2L);
    String current = ConfigHash.of(mv.getSpec());
    Pod fresh = TestObjects.injectedPod(NS, "fresh", "mv", TestObjects.exited(0, ""));
    fresh.getMetadata().setUid("u-fresh");
    fresh.getMetadata().getAnnotations().put("validation.ml.sigstore.dev/config-hash", current);
    Pod stale = TestObjects.injectedPod(NS, "stale", "mv", TestObjects.exited(0, ""));
    stale.getMetadata().setUid("u-stale");
    stale.getMetadata().getAnnotations().put("validation.ml.sigstore.dev/config-hash", "0000000000000000");

    ModelValidationStatus s = new StatusCalculator(20).compute(mv, List.of(fresh, stale), Map.of(), Instant.now());
    assertThat(s.getOrphanedPodCount()).isEqualTo(1);
    assertThat(TestObjects.names(s.getOrphanedPods())).containsExactly("stale");
    assertThat(s.getVerifiedPodCount()).isEqualTo(2);
    assertThat(s.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void listsAreBoundedAndTransitionTimesKept() {
    ModelValidation mv = TestObjects.sigstore(NS, "mv");
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Pod p = TestObjects.injectedPod(NS, "p" + (100 + i), "mv", TestObjects.exited(0, ""));
      p.getMetadata().setUid("u" + i);
      pods.add(p);
    }
    StatusCalculator calc = new StatusCalculator(20);
    ModelValidationStatus first = calc.compute(mv, pods, Map.of(), Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(first.getVerifiedPodCount()).isEqualTo(30);
    assertThat(first.getVerifiedPods()).hasSize(20);

    mv.setStatus(first);
    ModelValidationStatus later = calc.compute(mv, pods, Map.of(), Instant.parse("2026-11-23T11:00:00Z"));
    assertThat(later.getConditions()).allSatisfy(
        c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z"));
    assertThat(later.getLastUpdated()).isEqualTo("2026-11-23T11:00:00Z");
    assertThat(StatusCalculator.differs(later, first)).isFalse();

    pods.remove(0);
    ModelValidationStatus fewer = calc.compute(mv, pods, Map.of(), Instant.parse("2026-11-23T11:00:00Z"));
    assertThat(StatusCalculator.differs(fewer, first)).isTrue();
  }
}
