package dev.modelvalidation.operator.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Objects;

/** What {@link PodMutator} decided for one pod. */
public sealed interface MutationResult {

  /**
   * The pod must be admitted as this (a new object; the input is untouched).
   *
   * @param alreadyInjected the pod already carried the verifier (the webhook was reinvoked, or the pod was submitted
   *     with it): the patch only moves it back to the end of the init containers or refreshes the annotations, so
   *     this is not a new injection
   */
  record Mutated(Pod pod, List<String> warnings, boolean alreadyInjected) implements MutationResult {
    public Mutated {
      Objects.requireNonNull(pod, "pod");
      warnings = List.copyOf(warnings);
    }

    /** A new injection. */
    public Mutated(Pod pod, List<String> warnings) {
      this(pod, warnings, false);
    }
  }

  /** The pod is admitted as it is, for this reason. */
  record Unchanged(String reason) implements MutationResult {
    public Unchanged {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The pod must be rejected; the message tells the user what to do. */
  record Denied(String message) implements MutationResult {
    public Denied {
      Objects.requireNonNull(message, "message");
    }
  }
}
