package dev.modelvalidation.operator.controller;

import dev.modelvalidation.operator.webhook.WebhookConstants;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * Where a labelled pod's model verification stands, read from its spec and container statuses.
 *
 * @param state the verification state
 * @param message why (a failed verifier's termination message), or null
 */
public record PodVerification(State state, String message) {

  /** Verification state of one pod. */
  public enum State {
    /** Labelled but carries no verifier (created before the webhook ran, or the webhook was off). */
    UNINJECTED,
    /** The verifier has not finished yet. */
    PENDING,
    /** The init container exited 0 and, with continuous validation, the watch sidecar is ready. */
    VERIFIED,
    /** The verifier exited non-zero. */
    FAILED
  }

  /**
   * The message of a pod whose one-shot check passed but whose watch sidecar runs and is not ready: its last check
   * failed (the sidecar counts the start-up check as its first, so a check in progress keeps it ready), or is overdue.
   */
  static final String WATCH_NOT_READY =
      "continuous validation: the " + WebhookConstants.WATCH_CONTAINER
          + " sidecar is not ready (the model no longer verifies, or its check is overdue)";

  /** Whether this is a pod that verified at start and whose watch sidecar now says the model no longer verifies. */
  public boolean watchNotReady() {
    return state == State.PENDING && WATCH_NOT_READY.equals(message);
  }

  /** Longest message kept from a termination message. */
  static final int MAX_MESSAGE = 512;

  /** Whether the pod carries the verifier. */
  public boolean injected() {
    return state != State.UNINJECTED;
  }

  /** Classifies a pod. */
  public static PodVerification of(Pod pod) {
    List<Container> inits =
        pod.getSpec() == null || pod.getSpec().getInitContainers() == null
            ? List.of()
            : pod.getSpec().getInitContainers();
    boolean oneShot = inits.stream().anyMatch(c -> WebhookConstants.VERIFIER_CONTAINER.equals(c.getName()));
    boolean sidecar = inits.stream().anyMatch(c -> WebhookConstants.WATCH_CONTAINER.equals(c.getName()));
    if (!oneShot && !sidecar) {
      return new PodVerification(State.UNINJECTED, null);
    }
    List<ContainerStatus> statuses =
        pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getInitContainerStatuses();
    Optional<ContainerStatus> verifier = find(statuses, WebhookConstants.VERIFIER_CONTAINER);
    Optional<ContainerStatus> watcher = find(statuses, WebhookConstants.WATCH_CONTAINER);
    if (oneShot) {
      if (verifier.isEmpty()) {
        return new PodVerification(State.PENDING, null);
      }
      ContainerStatus s = verifier.get();
      ContainerStateTerminated now = terminated(s.getState());
      if (now != null) {
        if (exitCode(now) != 0) {
          return new PodVerification(State.FAILED, describe(now));
        }
        // With continuous validation the pod counts as verified only while the watch sidecar is ready: once it
        // has started and is not ready, the model no longer verifies (or a check is still in progress).
        if (sidecar && watcher.isPresent() && watcher.get().getState() != null
            && watcher.get().getState().getRunning() != null && !Boolean.TRUE.equals(watcher.get().getReady())) {
          return new PodVerification(State.PENDING, WATCH_NOT_READY);
        }
        return new PodVerification(State.VERIFIED, null);
      }
      // restarted after a failure (pod restartPolicy Always): the last run failed
      ContainerStateTerminated last = terminated(s.getLastState());
      if (last != null && exitCode(last) != 0) {
        return new PodVerification(State.FAILED, describe(last));
      }
      return new PodVerification(State.PENDING, null);
    }
    // sidecar only: ready means its last verification succeeded
    if (watcher.isEmpty()) {
      return new PodVerification(State.PENDING, null);
    }
    ContainerStatus w = watcher.get();
    ContainerStateTerminated ended = terminated(w.getState());
    if (ended != null && exitCode(ended) != 0) {
      return new PodVerification(State.FAILED, describe(ended));
    }
    if (Boolean.TRUE.equals(w.getReady())) {
      return new PodVerification(State.VERIFIED, null);
    }
    return new PodVerification(State.PENDING, null);
  }

  private static Optional<ContainerStatus> find(List<ContainerStatus> statuses, String name) {
    return statuses.stream().filter(s -> name.equals(s.getName())).findFirst();
  }

  private static ContainerStateTerminated terminated(ContainerState state) {
    return state == null ? null : state.getTerminated();
  }

  private static int exitCode(ContainerStateTerminated t) {
    return t.getExitCode() == null ? -1 : t.getExitCode();
  }

  private static String describe(ContainerStateTerminated t) {
    String text = t.getMessage();
    if (text == null || text.isBlank()) {
      text = t.getReason() == null || t.getReason().isBlank()
          ? "the verifier exited with code " + exitCode(t)
          : t.getReason() + " (exit code " + exitCode(t) + ")";
    }
    text = text.strip();
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE - 3) + "..." : text;
  }
}
