package dev.modelvalidation.operator.controller;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.metrics.WebhookMetrics;
import dev.modelvalidation.operator.webhook.WebhookConstants;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports each pod's finished verification once: counts it in the metrics and, for a failure, emits
 * a Warning Event on the pod and on the ModelValidation. Thread-safe.
 *
 * <h2>Restarts and leader changes</h2>
 *
 * Which outcomes were reported is remembered in memory only, and a new process (a restart, or another replica
 * taking over the leader lease) first sees every existing pod. So that it does not count old outcomes again, a
 * reporter starts its clock at its first report (when this replica starts reconciling, i.e. became the leader) and
 * counts only outcomes that happened after it: the time the verifier container finished (or the watch sidecar
 * started), from the pod's container statuses. Outcomes from before are remembered without being counted (so a
 * watch sidecar that later turns not-ready is still reported). No extra API object or permission is needed. The
 * price: an outcome that happens while no replica leads (at most the lease duration, 15 s by default) is not
 * counted, and the comparison trusts the node's and the operator's clocks to agree. A status without a time (not
 * written by a kubelet) is counted.
 *
 * <p>Events are named after the pod's UID, so a repeated Event is refused by the API server (409) as long as the
 * first one exists (Events expire, by default after an hour). A failure up to {@link #EVENT_GRACE} before the
 * reporter started still gets its Event, which covers the gap of a leader change without duplicating it; older
 * ones get none, so a restart does not re-announce failures whose Events have expired.
 */
final class VerificationReporter {

  private static final Logger LOG = LoggerFactory.getLogger(VerificationReporter.class);

  /** Event reason on verification failure. */
  static final String REASON_FAILED = "ModelVerificationFailed";

  /** Event reason when continuous validation finds that a pod's model no longer verifies. */
  static final String REASON_LOST = "ModelNoLongerVerified";

  private static final String FAILED = "verification-failed";
  private static final String LOST = "verification-lost";

  static final String COMPONENT = "model-validation-operator";

  private static final int REMEMBERED = 10_000;

  /** How long before the reporter started a failure may have happened and still get its (idempotent) Event. */
  static final Duration EVENT_GRACE = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final WebhookMetrics metrics;
  private final Clock clock;
  private volatile Instant since;
  private final Set<String> reported =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  VerificationReporter(KubernetesClient client, WebhookMetrics metrics, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Reports the pod's result if it is final and not reported yet; and, once per pod, a watch sidecar turning
   * not-ready after the pod was seen verified (Warning Events with reason {@value #REASON_LOST}).
   */
  void report(ModelValidation mv, Pod pod, PodVerification v) {
    Instant started = startedAt();
    if (v.watchNotReady()) {
      // only after the pod was seen verified: a sidecar is also not ready until its first readiness probe runs
      String uid = pod.getMetadata().getUid();
      if (reported.contains(uid + "/" + PodVerification.State.VERIFIED) && reported.add(uid + "/lost")) {
        warn(mv, pod, LOST, REASON_LOST,
            "model of pod " + pod.getMetadata().getName() + " no longer verifies (ModelValidation "
                + mv.getMetadata().getName() + "): " + v.message());
      }
      return;
    }
    if (v.state() != PodVerification.State.VERIFIED && v.state() != PodVerification.State.FAILED) {
      return;
    }
    String key = pod.getMetadata().getUid() + "/" + v.state();
    if (!reported.add(key)) {
      return;
    }
    Instant happened = outcomeTime(pod);
    boolean before = happened != null && happened.isBefore(started);
    if (!before) {
      metrics.verification(v.state() == PodVerification.State.VERIFIED);
    }
    if (v.state() == PodVerification.State.FAILED && (!before || !happened.isBefore(started.minus(EVENT_GRACE)))) {
      warn(mv, pod, FAILED, REASON_FAILED,
          "model verification failed for pod " + pod.getMetadata().getName() + " (ModelValidation "
              + mv.getMetadata().getName() + "): " + v.message());
    }
  }

  /** When this reporter started: its first report. */
  private Instant startedAt() {
    Instant s = since;
    if (s == null) {
      synchronized (this) {
        if (since == null) {
          since = clock.instant();
        }
        s = since;
      }
    }
    return s;
  }

  /**
   * When the pod's verification outcome happened, from its container statuses: the latest of the verifier's end (its
   * current or, restarting, its last run) and the watch sidecar's start or end; null if the statuses carry no time.
   */
  static Instant outcomeTime(Pod pod) {
    List<ContainerStatus> statuses =
        pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getInitContainerStatuses();
    Instant latest = null;
    for (ContainerStatus s : statuses) {
      if (!WebhookConstants.VERIFIER_CONTAINER.equals(s.getName())
          && !WebhookConstants.WATCH_CONTAINER.equals(s.getName())) {
        continue;
      }
      ContainerState state = s.getState();
      String time = null;
      if (state != null && state.getTerminated() != null) {
        time = state.getTerminated().getFinishedAt();
      } else if (state != null && state.getRunning() != null && WebhookConstants.WATCH_CONTAINER.equals(s.getName())) {
        time = state.getRunning().getStartedAt();
      } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
        time = s.getLastState().getTerminated().getFinishedAt();
      }
      Instant t = parse(time);
      if (t != null && (latest == null || t.isAfter(latest))) {
        latest = t;
      }
    }
    return latest;
  }

  private static Instant parse(String time) {
    if (time == null || time.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** One Warning Event on the pod and one on the ModelValidation, named after the pod's UID and {@code what}. */
  private void warn(ModelValidation mv, Pod pod, String what, String reason, String message) {
    String ns = pod.getMetadata().getNamespace();
    String uid = pod.getMetadata().getUid();
    emit(ns, eventName(pod.getMetadata().getName(), uid, what), reference(pod), reason, message);
    emit(ns, eventName(mv.getMetadata().getName() + "." + pod.getMetadata().getName(), uid, what), reference(mv),
        reason, message);
  }

  private void emit(String namespace, String name, ObjectReference involved, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Event event =
        new EventBuilder()
            .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
            .withInvolvedObject(involved)
            .withType("Warning")
            .withReason(reason)
            .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
            .withNewSource().withComponent(COMPONENT).endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        LOG.warn("cannot emit event {}/{}: {}", namespace, name, e.getMessage());
      }
    }
  }

  private static ObjectReference reference(HasMetadata o) {
    return new ObjectReferenceBuilder()
        .withApiVersion(o.getApiVersion())
        .withKind(o.getKind())
        .withName(o.getMetadata().getName())
        .withNamespace(o.getMetadata().getNamespace())
        .withUid(o.getMetadata().getUid())
        .withResourceVersion(o.getMetadata().getResourceVersion())
        .build();
  }

  /** {@code <base>.<what>.<uid prefix>}, e.g. {@code verification-failed}, within the 253-character name limit. */
  static String eventName(String base, String uid, String what) {
    String suffix = "." + what + "." + (uid == null ? "0" : uid.replace("-", "").substring(0, Math.min(12, uid.replace("-", "").length())));
    int room = 253 - suffix.length();
    String b = base.length() > room ? base.substring(0, room) : base;
    return (b + suffix).toLowerCase(java.util.Locale.ROOT);
  }
}
