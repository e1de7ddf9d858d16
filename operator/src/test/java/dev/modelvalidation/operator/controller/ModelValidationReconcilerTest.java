package dev.modelvalidation.operator.controller;

import static dev.modelvalidation.operator.controller.TestObjects.await;
import static dev.modelvalidation.operator.controller.TestObjects.names;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.api.ModelValidationStatus;
import dev.modelvalidation.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.List;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ModelValidationReconcilerTest {

  static final String NS = "team-a";

  KubernetesClient client;
  KubernetesMockServer server;
  Operator operator;
  OperatorMetrics metrics;

  @BeforeEach
  void startOperator() throws Exception {
    TestObjects.installCrd(client);
    metrics = new OperatorMetrics();
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .checkingCRDAndValidateLocalModel(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false));
    operator.register(new ModelValidationReconciler(Clock.systemUTC(), metrics, 2));
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  ModelValidation get(String name) {
    return client.resources(ModelValidation.class).inNamespace(NS).withName(name).get();
  }

  static Optional<Condition> condition(ModelValidation mv, String type) {
    if (mv == null || mv.getStatus() == null || mv.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return mv.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  @Test
  void validSpecIsReady() throws Exception {
    client.resources(ModelValidation.class).inNamespace(NS).resource(TestObjects.sigstore(NS, "good")).create();

    await("status written", () -> condition(get("good"), "Ready").isPresent());
    ModelValidation mv = get("good");
    assertThat(condition(mv, "Ready").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(condition(mv, "InvalidConfig").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(mv.getStatus().getAuthMethod()).isEqualTo("sigstore");
    assertThat(mv.getStatus().getObservedGeneration()).isEqualTo(mv.getMetadata().getGeneration());
    assertThat(mv.getStatus().getLastUpdated()).isNotBlank();
    assertThat(mv.getStatus().getInjectedPodCount()).isZero();
  }

  @Test
  void twoTrustMethodsAreInvalidConfig() throws Exception {
    client.resources(ModelValidation.class).inNamespace(NS).resource(TestObjects.twoMethods(NS, "bad")).create();

    await("status written", () -> condition(get("bad"), "InvalidConfig").isPresent());
    ModelValidation mv = get("bad");
    Condition invalid = condition(mv, "InvalidConfig").orElseThrow();
    assertThat(invalid.getStatus()).isEqualTo("True");
    assertThat(invalid.getMessage()).contains("exactly one of sigstoreConfig");
    assertThat(condition(mv, "Ready").orElseThrow().getStatus()).isEqualTo("False");
  }

  @Test
  void relativeModelPathIsInvalidConfig() throws Exception {
    ModelValidation mv = TestObjects.sigstore(NS, "relative");
    mv.getSpec().getModel().setPath("data/model");
    client.resources(ModelValidation.class).inNamespace(NS).resource(mv).create();

    await("status written", () -> condition(get("relative"), "InvalidConfig").isPresent());
    Condition invalid = condition(get("relative"), "InvalidConfig").orElseThrow();
    assertThat(invalid.getStatus()).isEqualTo("True");
    assertThat(invalid.getMessage()).contains("spec.model.path");
  }

  @Test
  void statusCountsFollowTheVerifierResults() throws Exception {
    client.resources(ModelValidation.class).inNamespace(NS).resource(TestObjects.sigstore(NS, "mv")).create();
    createPod(TestObjects.injectedPod(NS, "ok-1", "mv", TestObjects.exited(0, "")));
    createPod(TestObjects.injectedPod(NS, "ok-2", "mv", TestObjects.exited(0, "")));
    createPod(TestObjects.injectedPod(NS, "ok-3", "mv", TestObjects.exited(0, "")));
    createPod(TestObjects.injectedPod(NS, "bad-1", "mv", TestObjects.exited(1, "signature does not match")));
    createPod(TestObjects.injectedPod(NS, "waiting-1", "mv", null));
    createPod(TestObjects.injectedPod(NS, "running-1", "mv", TestObjects.running()));
    createPod(TestObjects.uninjectedPod(NS, "old-1", "mv"));
    createPod(TestObjects.injectedPod(NS, "other-1", "other", TestObjects.exited(0, "")));

    await("all pods counted", () -> {
      ModelValidation mv = get("mv");
      return mv.getStatus() != null && Integer.valueOf(6).equals(mv.getStatus().getInjectedPodCount())
          && Integer.valueOf(1).equals(mv.getStatus().getUninjectedPodCount())
          && Integer.valueOf(3).equals(mv.getStatus().getVerifiedPodCount());
    });
    ModelValidationStatus s = get("mv").getStatus();
    assertThat(s.getFailedPodCount()).isEqualTo(1);
    assertThat(s.getPendingPodCount()).isEqualTo(2);
    assertThat(s.getFailedPods()).singleElement()
        .satisfies(p -> {
          assertThat(p.getName()).isEqualTo("bad-1");
          assertThat(p.getMessage()).isEqualTo("signature does not match");
        });
    assertThat(names(s.getPendingPods())).containsExactly("running-1", "waiting-1");
    assertThat(names(s.getUninjectedPods())).containsExactly("old-1");
    // lists are bounded (2 in this test) while the counts stay exact
    assertThat(s.getVerifiedPods()).hasSize(2);
    assertThat(names(s.getInjectedPods())).hasSize(2).doesNotContain("other-1");
    assertThat(metrics.scrape())
        .contains("model_validation_verifications_total{result=\"verified\"} 3.0")
        .contains("model_validation_verifications_total{result=\"failed\"} 1.0");
  }

  @Test
  void aPodTurningFailedUpdatesTheStatusAndEmitsEventsOnce() throws Exception {
    client.resources(ModelValidation.class).inNamespace(NS).resource(TestObjects.sigstore(NS, "mv")).create();
    Pod pod = createPod(TestObjects.injectedPod(NS, "app-1", "mv", TestObjects.running()));
    await("pending counted", () -> get("mv").getStatus() != null
        && Integer.valueOf(1).equals(get("mv").getStatus().getPendingPodCount()));
    assertThat(failureEvents()).isEmpty();

    pod = client.pods().inNamespace(NS).withName("app-1").get();
    pod.getStatus().setInitContainerStatuses(List.of(TestObjects.exited(1, "hash mismatch: weights.bin")));
    client.pods().inNamespace(NS).resource(pod).updateStatus();

    await("failure counted", () -> Integer.valueOf(1).equals(get("mv").getStatus().getFailedPodCount()));
    await("events emitted", () -> failureEvents().size() == 2);
    List<Event> events = failureEvents();
    assertThat(events).extracting(e -> e.getInvolvedObject().getKind())
        .containsExactlyInAnyOrder("Pod", "ModelValidation");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("hash mismatch: weights.bin").contains("app-1");
    });

    // further changes reconcile again but do not repeat the events
    pod = client.pods().inNamespace(NS).withName("app-1").get();
    pod.getMetadata().getAnnotations().put("touched", "1");
    client.pods().inNamespace(NS).resource(pod).update();
    createPod(TestObjects.injectedPod(NS, "app-2", "mv", TestObjects.exited(0, "")));
    await("second pod counted", () -> Integer.valueOf(1).equals(get("mv").getStatus().getVerifiedPodCount()));
    assertThat(failureEvents()).hasSize(2);
  }

  /**
   * The manager ClusterRole (config/rbac/role.yaml) lets the operator read ModelValidations and patch their status,
   * and create Events; it cannot change a ModelValidation itself (no update/patch, no finalizers). Everything the
   * operator writes while reconciling a failing pod must fit in that.
   */
  @Test
  void theOperatorWritesOnlyStatusPatchesAndEvents() throws Exception {
    client.resources(ModelValidation.class).inNamespace(NS).resource(TestObjects.sigstore(NS, "mv")).create();
    createPod(TestObjects.injectedPod(NS, "app-1", "mv", TestObjects.exited(1, "hash mismatch: weights.bin")));
    await("failure counted", () -> get("mv").getStatus() != null
        && Integer.valueOf(1).equals(get("mv").getStatus().getFailedPodCount()));
    await("events emitted", () -> failureEvents().size() == 2);

    List<String> writes = new ArrayList<>();
    // until 200 ms pass without a request: nothing the operator writes while reconciling is missed
    for (RecordedRequest r; (r = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null; ) {
      if (!r.getMethod().equals("GET")) {
        writes.add(r.getMethod() + " " + r.getPath().replaceFirst("\\?.*", ""));
      }
    }
    String mv = "/apis/ml.sigstore.dev/v1alpha1/namespaces/" + NS + "/modelvalidations";
    List<String> byTheTest =
        List.of("POST " + mv, "POST /api/v1/namespaces/" + NS + "/pods",
            "POST /apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    List<String> byTheOperator = writes.stream().filter(w -> !byTheTest.contains(w)).toList();
    assertThat(byTheOperator)
        .contains("PATCH " + mv + "/mv/status", "POST /api/v1/namespaces/" + NS + "/events")
        .allMatch(w -> w.equals("PATCH " + mv + "/mv/status") || w.equals("POST /api/v1/namespaces/" + NS + "/events"),
            "a status patch or an Event");
  }

  /**
   * Continuous validation: a pod whose watch sidecar turns not-ready (its model no longer verifies) leaves the
   * verified count and gets one Warning Event, on the pod and on the ModelValidation, however often it flips; a
   * pod never seen verified (its sidecar's first readiness probe still to come) gets none.
   */
  @Test
  void aWatchSidecarTurningNotReadyEmitsEventsOnce() throws Exception {
    client.resources(ModelValidation.class).inNamespace(NS).resource(TestObjects.sigstore(NS, "mv")).create();
    createPod(watchedPod("app-1", true));
    await("verified counted", () -> get("mv").getStatus() != null
        && Integer.valueOf(1).equals(get("mv").getStatus().getVerifiedPodCount()));
    assertThat(events(VerificationReporter.REASON_LOST)).isEmpty();

    for (boolean ready : new boolean[] {false, true, false}) {
      Pod current = client.pods().inNamespace(NS).withName("app-1").get();
      current.getStatus().setInitContainerStatuses(List.of(TestObjects.exited(0, ""), watch(ready)));
      client.pods().inNamespace(NS).resource(current).updateStatus();
      Integer expected = ready ? 1 : 0;
      await("verified count " + expected, () -> expected.equals(get("mv").getStatus().getVerifiedPodCount()));
    }
    // a pod whose sidecar is not ready yet (its first readiness probe has not run) and was never verified: no event
    createPod(watchedPod("app-2", false));
    await("starting pod counted", () -> Integer.valueOf(2).equals(get("mv").getStatus().getInjectedPodCount()));
    await("events emitted", () -> events(VerificationReporter.REASON_LOST).size() == 2);
    List<Event> events = events(VerificationReporter.REASON_LOST);
    assertThat(events).extracting(e -> e.getInvolvedObject().getKind())
        .containsExactlyInAnyOrder("Pod", "ModelValidation");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("app-1").contains("no longer verifies");
    });
    assertThat(events(VerificationReporter.REASON_LOST)).noneMatch(e -> e.getMessage().contains("app-2"));
    assertThat(failureEvents()).isEmpty();
  }

  /** A pod of "mv" with continuous validation: the start-up check passed, the watch sidecar runs. */
  private static Pod watchedPod(String name, boolean sidecarReady) {
    Pod pod =
        new io.fabric8.kubernetes.api.model.PodBuilder(TestObjects.injectedPod(NS, name, "mv", null))
            .editSpec().addNewInitContainer().withName("model-validation-watch").withRestartPolicy("Always")
            .endInitContainer().endSpec()
            .build();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
        .addToInitContainerStatuses(TestObjects.exited(0, ""), watch(sidecarReady)).build());
    return pod;
  }

  private static io.fabric8.kubernetes.api.model.ContainerStatus watch(boolean ready) {
    return new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("model-validation-watch")
        .withReady(ready).withNewState().withNewRunning().endRunning().endState().build();
  }

  @Test
  void labelTrueBelongsToTheOnlyModelValidation() throws Exception {
    client.resources(ModelValidation.class).inNamespace(NS).resource(TestObjects.sigstore(NS, "only")).create();
    createPod(TestObjects.uninjectedPod(NS, "legacy", "true"));

    await("pod counted", () -> get("only").getStatus() != null
        && Integer.valueOf(1).equals(get("only").getStatus().getUninjectedPodCount()));
    assertThat(names(get("only").getStatus().getUninjectedPods())).containsExactly("legacy");
  }

  private Pod createPod(Pod pod) {
    return client.pods().inNamespace(NS).resource(pod).create();
  }

  private List<Event> failureEvents() {
    return events(VerificationReporter.REASON_FAILED);
  }

  private List<Event> events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
