package dev.modelvalidation.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restarted operator, or a replica that takes over the leader lease, starts with an empty memory of what was
 * reported: it must not count, or announce again, outcomes the previous leader already reported.
 */
@EnableKubernetesMockClient(crud = true)
class VerificationReporterTest {

  static final String NS = "team-a";
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  KubernetesClient client;

  private VerificationReporter reporter(OperatorMetrics metrics, Instant now) {
    return new VerificationReporter(client, metrics, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static Pod pod(String name, String uid, int exitCode, Instant finishedAt) {
    ContainerStatus status =
        new ContainerStatusBuilder(TestObjects.exited(exitCode, exitCode == 0 ? "" : "signature does not match"))
            .editState().editTerminated().withFinishedAt(finishedAt.toString()).endTerminated().endState()
            .build();
    Pod pod = TestObjects.injectedPod(NS, name, "mv", status);
    pod.getMetadata().setUid(uid);
    return pod;
  }

  private void report(VerificationReporter reporter, ModelValidation mv, Pod... pods) {
    for (Pod pod : pods) {
      reporter.report(mv, pod, PodVerification.of(pod));
    }
  }

  private static String count(OperatorMetrics metrics, String result) {
    return metrics.scrape().lines()
        .filter(l -> l.startsWith("model_validation_verifications_total{result=\"" + result + "\"}"))
        .findFirst().orElseThrow();
  }

  private List<Event> failureEvents() {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> VerificationReporter.REASON_FAILED.equals(e.getReason()))
        .toList();
  }

  @Test
  void aSecondReporterDoesNotRecountOrReannounceWhatTheFirstReported() {
    ModelValidation mv = TestObjects.sigstore(NS, "mv");
    mv.getMetadata().setUid("mv-uid");
    Pod ok = pod("ok", "11111111-1111-1111-1111-111111111111", 0, T0.plusSeconds(10));
    Pod bad = pod("bad", "22222222-2222-2222-2222-222222222222", 1, T0.plusSeconds(20));

    // the first leader sees both finish
    OperatorMetrics first = new OperatorMetrics();
    VerificationReporter leader = reporter(first, T0);
    report(leader, mv, ok, bad);
    report(leader, mv, ok, bad); // a later reconcile of the same pods
    assertThat(count(first, "verified")).endsWith(" 1.0");
    assertThat(count(first, "failed")).endsWith(" 1.0");
    assertThat(failureEvents()).hasSize(2); // one on the pod, one on the ModelValidation

    // a restart (or the other replica taking over) two minutes later sees the same pods, and a new one
    OperatorMetrics second = new OperatorMetrics();
    VerificationReporter next = reporter(second, T0.plus(Duration.ofMinutes(2)));
    Pod later = pod("later", "33333333-3333-3333-3333-333333333333", 1, T0.plus(Duration.ofMinutes(3)));
    report(next, mv, ok, bad, later);
    assertThat(count(second, "verified")).endsWith(" 0.0");
    assertThat(count(second, "failed")).as("only the failure after it started").endsWith(" 1.0");
    assertThat(failureEvents()).extracting(Event::getMessage)
        .hasSize(4)
        .filteredOn(m -> m.contains("pod bad "))
        .as("the failure the first leader announced is not announced again").hasSize(2);
  }

  @Test
  void aRestartDoesNotReannounceFailuresWhoseEventsHaveExpired() {
    ModelValidation mv = TestObjects.sigstore(NS, "mv");
    // failed two hours ago; its Events are gone (they expire after an hour)
    Pod old = pod("old", "44444444-4444-4444-4444-444444444444", 1, T0.minus(Duration.ofHours(2)));
    // failed a minute before this replica became the leader, while no replica led: still announced
    Pod gap = pod("gap", "55555555-5555-5555-5555-555555555555", 1, T0.minus(Duration.ofMinutes(1)));
    OperatorMetrics metrics = new OperatorMetrics();
    report(reporter(metrics, T0), mv, old, gap);
    assertThat(count(metrics, "failed")).endsWith(" 0.0");
    assertThat(failureEvents()).extracting(Event::getMessage)
        .hasSize(2)
        .allMatch(m -> m.contains("pod gap "));
  }

  @Test
  void outcomeTimeIsTheVerifiersEndOrNullWithoutOne() {
    assertThat(VerificationReporter.outcomeTime(pod("p", "u", 0, T0))).isEqualTo(T0);
    assertThat(VerificationReporter.outcomeTime(TestObjects.injectedPod(NS, "p", "mv", TestObjects.exited(0, ""))))
        .isNull();
  }
}
