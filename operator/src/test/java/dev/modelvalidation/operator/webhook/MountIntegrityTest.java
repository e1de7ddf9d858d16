package dev.modelvalidation.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A pod author cannot make the verifier check one set of files while the workload reads another, nor keep a
 * writable way to the verified storage.
 */
class MountIntegrityTest {
  private final PodMutator mutator = new PodMutator(WebhookSettings.defaults(true));

  private MutationResult mutate(String containers, String volumes) {
    Pod pod =
        Fixtures.pod(
            """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "p", "namespace": "team-a",
                          "labels": {"validation.ml.sigstore.dev/ml": "mv1"}},
             "spec": {"containers": %s, "volumes": %s}}"""
                .formatted(containers, volumes));
    return mutator.mutate(pod, Fixtures.sigstore("team-a", "mv1"), Instant.now());
  }

  private static String denial(MutationResult result) {
    assertThat(result).isInstanceOf(MutationResult.Denied.class);
    return ((MutationResult.Denied) result).message();
  }

  @Test
  void aWritableVolumeOverlayingPartOfTheModelIsDenied() {
    String message =
        denial(
            mutate(
                """
                [{"name": "app", "image": "app", "volumeMounts": [
                   {"name": "data", "mountPath": "/data"},
                   {"name": "scratch", "mountPath": "/data/model/weights"}]}]""",
                """
                [{"name": "data", "persistentVolumeClaim": {"claimName": "models"}},
                 {"name": "scratch", "emptyDir": {}}]"""));
    assertThat(message).contains("scratch").contains("/data/model/weights");
  }

  @Test
  void aDecoyContainerCannotChooseWhatTheVerifierChecks() {
    String message =
        denial(
            mutate(
                """
                [{"name": "decoy", "image": "busybox", "volumeMounts": [{"name": "good", "mountPath": "/data/model"}]},
                 {"name": "app", "image": "app", "volumeMounts": [{"name": "evil", "mountPath": "/data"}]}]""",
                """
                [{"name": "good", "persistentVolumeClaim": {"claimName": "signed"}},
                 {"name": "evil", "persistentVolumeClaim": {"claimName": "unsigned"}}]"""));
    assertThat(message).contains("container app").contains("evil");
  }

  @Test
  void differentSubPathsOfOneVolumeAreDenied() {
    denial(
        mutate(
            """
            [{"name": "decoy", "image": "busybox",
              "volumeMounts": [{"name": "data", "mountPath": "/data/model", "subPath": "good"}]},
             {"name": "app", "image": "app",
              "volumeMounts": [{"name": "data", "mountPath": "/data/model", "subPath": "evil"}]}]""",
            """
            [{"name": "data", "persistentVolumeClaim": {"claimName": "models"}}]"""));
  }

  @Test
  void uncleanMountPathsAreResolvedLikeTheRuntimeDoes() {
    String message =
        denial(
            mutate(
                """
                [{"name": "app", "image": "app", "volumeMounts": [
                   {"name": "data", "mountPath": "/data"},
                   {"name": "scratch", "mountPath": "/data//model/./weights/"}]}]""",
                """
                [{"name": "data", "persistentVolumeClaim": {"claimName": "models"}},
                 {"name": "scratch", "emptyDir": {}}]"""));
    assertThat(message).contains("/data/model/weights");
  }

  @Test
  void anotherVolumeOnTheSameClaimBecomesReadOnlyToo() {
    MutationResult result =
        mutate(
            """
            [{"name": "app", "image": "app", "volumeMounts": [
               {"name": "data", "mountPath": "/data"},
               {"name": "data2", "mountPath": "/rw"}]}]""",
            """
            [{"name": "data", "persistentVolumeClaim": {"claimName": "models"}},
             {"name": "data2", "persistentVolumeClaim": {"claimName": "models"}}]""");
    assertThat(result).isInstanceOf(MutationResult.Mutated.class);
    Container app = ((MutationResult.Mutated) result).pod().getSpec().getContainers().get(0);
    assertThat(app.getVolumeMounts()).extracting(VolumeMount::getReadOnly).containsOnly(true);
  }

  @Test
  void twoContainersSeeingTheModelThroughTheSameMountAreFine() {
    MutationResult result =
        mutate(
            """
            [{"name": "app", "image": "app", "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
             {"name": "metrics", "image": "m", "volumeMounts": [{"name": "data", "mountPath": "/data"},
                                                               {"name": "tmp", "mountPath": "/tmp"}]}]""",
            """
            [{"name": "data", "persistentVolumeClaim": {"claimName": "models"}}, {"name": "tmp", "emptyDir": {}}]""");
    assertThat(result).isInstanceOf(MutationResult.Mutated.class);
  }
}
