package dev.modelvalidation.operator.webhook;

import static dev.modelvalidation.operator.webhook.Fixtures.mv;
import static dev.modelvalidation.operator.webhook.Fixtures.pod;
import static dev.modelvalidation.operator.webhook.Fixtures.simplePod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.operator.api.ModelValidation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodMutatorTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00.123Z");
  private final PodMutator mutator = new PodMutator(WebhookSettings.defaults(true));

  private static Pod mutated(MutationResult result) {
    assertThat(result).isInstanceOf(MutationResult.Mutated.class);
    return ((MutationResult.Mutated) result).pod();
  }

  private static String denial(MutationResult result) {
    assertThat(result).isInstanceOf(MutationResult.Denied.class);
    return ((MutationResult.Denied) result).message();
  }

  private static Container init(Pod pod, String name) {
    return pod.getSpec().getInitContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void injectsVerifierWithRestrictedContextDefaultResourcesAndAnnotations() {
    Pod input = pod(simplePod("p", "mv1"));
    Pod out = mutated(mutator.mutate(input, Fixtures.sigstore("team-a", "mv1"), NOW));

    Container v = init(out, "model-validation");
    assertThat(v.getImage()).isEqualTo("ghcr.io/modelvalidation/model-signing:0.1.0");
    assertThat(v.getImagePullPolicy()).isEqualTo("Always");
    assertThat(v.getCommand()).containsExactly("model-signing");
    assertThat(v.getArgs())
        .containsExactly(
            "verify", "sigstore", "--signature", "/data/model/model.sig",
            "--identity", "jane@example.com",
            "--identity-provider", "https://accounts.google.com",
            "/data/model");
    assertThat(v.getVolumeMounts()).hasSize(1);
    assertThat(v.getVolumeMounts().get(0).getName()).isEqualTo("data");
    assertThat(v.getVolumeMounts().get(0).getMountPath()).isEqualTo("/data");
    assertThat(v.getVolumeMounts().get(0).getReadOnly()).isTrue();
    var sc = v.getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    // no fixed UID: the image's numeric USER, the pod's user or the platform's (OpenShift restricted-v2) applies
    assertThat(sc.getRunAsUser()).isNull();
    assertThat(sc.getRunAsGroup()).isNull();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(v.getResources().getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("128Mi"));
    assertThat(v.getResources().getLimits()).containsOnlyKeys("memory");
    assertThat(v.getResources().getLimits().get("memory")).isEqualTo(new Quantity("512Mi"));
    assertThat(v.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(v.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");

    // the workload's mount of the model volume became read-only
    assertThat(out.getSpec().getContainers().get(0).getVolumeMounts().get(0).getReadOnly()).isTrue();

    Map<String, String> a = out.getMetadata().getAnnotations();
    assertThat(a)
        .containsEntry("validation.ml.sigstore.dev/model-validation", "mv1")
        .containsEntry("validation.ml.sigstore.dev/generation", "3")
        .containsEntry(
            "validation.ml.sigstore.dev/config-hash",
            ConfigHash.of(Fixtures.sigstore("team-a", "mv1").getSpec()))
        .containsEntry("validation.ml.sigstore.dev/injected-at", "2026-11-23T12:00:00Z")
        .containsEntry("validation.ml.sigstore.dev/injected-by", "model-validation-operator");

    // the input is untouched
    assertThat(input.getSpec().getInitContainers()).isEmpty();
    assertThat(input.getSpec().getContainers().get(0).getVolumeMounts().get(0).getReadOnly()).isNull();
  }

  @Test
  void mountsTheLongestPrefixVolumeForEachInputAndNothingElse() {
    String podJson =
        """
        {"metadata": {"name": "p", "labels": {"validation.ml.sigstore.dev/ml": "k"}},
         "spec": {
           "containers": [
             {"name": "app", "image": "app",
              "volumeMounts": [{"name": "scratch", "mountPath": "/data"},
                               {"name": "weights", "mountPath": "/data/model/"},
                               {"name": "cache", "mountPath": "/cache"}]},
             {"name": "helper", "image": "helper",
              "volumeMounts": [{"name": "keys", "mountPath": "/etc/keys/pub.pem", "subPath": "pub.pem"}]}],
           "volumes": [{"name": "scratch", "emptyDir": {}}, {"name": "weights", "emptyDir": {}},
                       {"name": "cache", "emptyDir": {}},
                       {"name": "keys", "configMap": {"name": "model-keys"}}]}}""";
    ModelValidation mv =
        mv("team-a", "k",
            """
            {"model": {"path": "/data/model", "signaturePath": "/data/sigs/model.sig"},
             "config": {"publicKeyConfig": {"keyPath": "/etc/keys/pub.pem"}}}""");
    Pod out = mutated(mutator.mutate(pod(podJson), mv, NOW));
    List<VolumeMount> mounts = init(out, "model-validation").getVolumeMounts();
    assertThat(mounts)
        .extracting(VolumeMount::getName, VolumeMount::getMountPath, VolumeMount::getSubPath,
            VolumeMount::getReadOnly)
        .containsExactly(
            // parents before children: sorted by depth
            org.assertj.core.groups.Tuple.tuple("scratch", "/data", null, true),
            org.assertj.core.groups.Tuple.tuple("weights", "/data/model", null, true),
            org.assertj.core.groups.Tuple.tuple("keys", "/etc/keys/pub.pem", "pub.pem", true));
    assertThat(init(out, "model-validation").getArgs())
        .containsExactly("verify", "key", "--signature", "/data/sigs/model.sig",
            "--public-key", "/etc/keys/pub.pem", "/data/model");
    // cache is not an input: stays writable in the workload
    assertThat(out.getSpec().getContainers().get(0).getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getReadOnly)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("scratch", true),
            org.assertj.core.groups.Tuple.tuple("weights", true),
            org.assertj.core.groups.Tuple.tuple("cache", null));
  }

  @Test
  void deniesAPathUnderNoMount() {
    ModelValidation mv =
        mv("team-a", "k",
            """
            {"model": {"path": "/data/model"},
             "config": {"pkiConfig": {"certificateAuthority": "/etc/ca/root.pem"}}}""");
    String message = denial(mutator.mutate(pod(simplePod("p", "k")), mv, NOW));
    assertThat(message)
        .contains("CA certificate path /etc/ca/root.pem")
        .contains("team-a/k")
        .contains("not under any volumeMount");
  }

  @Test
  void deniesWhenContainersMountDifferentVolumesAtTheModelPath() {
    String podJson =
        """
        {"metadata": {"name": "p"},
         "spec": {"containers": [
             {"name": "a", "image": "a", "volumeMounts": [{"name": "good", "mountPath": "/data"}]},
             {"name": "b", "image": "b", "volumeMounts": [{"name": "other", "mountPath": "/data"}]}],
           "volumes": [{"name": "good", "emptyDir": {}}, {"name": "other", "emptyDir": {}}]}}""";
    assertThat(denial(mutator.mutate(pod(podJson), Fixtures.sigstore("team-a", "m"), NOW)))
        .contains("mountPath /data")
        .contains("different volumes");
  }

  @Test
  void readOnlyModelMountsFalseLeavesTheWorkloadWritableButNotTheVerifier() {
    ModelValidation mv =
        mv("team-a", "m",
            """
            {"model": {"path": "/data/model"}, "readOnlyModelMounts": false,
             "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG));
    Pod out = mutated(mutator.mutate(pod(simplePod("p", "m")), mv, NOW));
    assertThat(out.getSpec().getContainers().get(0).getVolumeMounts().get(0).getReadOnly()).isNull();
    assertThat(init(out, "model-validation").getVolumeMounts().get(0).getReadOnly()).isTrue();
  }

  @Test
  void ownInitContainersStayWritableAndRunFirstWhileOwnNativeSidecarsBecomeReadOnly() {
    String podJson =
        """
        {"metadata": {"name": "p"},
         "spec": {
           "initContainers": [
             {"name": "download", "image": "dl", "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
             {"name": "syncer", "image": "s", "restartPolicy": "Always",
              "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
           "containers": [{"name": "app", "image": "app",
                           "volumeMounts": [{"name": "data", "mountPath": "/data", "readOnly": false}]}],
           "volumes": [{"name": "data", "emptyDir": {}}]}}""";
    Pod out = mutated(mutator.mutate(pod(podJson), Fixtures.sigstore("team-a", "m"), NOW));
    assertThat(out.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("download", "syncer", "model-validation");
    assertThat(init(out, "download").getVolumeMounts().get(0).getReadOnly()).isNull();
    assertThat(init(out, "syncer").getVolumeMounts().get(0).getReadOnly()).isTrue();
    assertThat(out.getSpec().getContainers().get(0).getVolumeMounts().get(0).getReadOnly()).isTrue();
  }

  /**
   * A key the ModelValidation holds itself reaches the verifier and the watch sidecar as an environment variable: no
   * volume of the pod has to hold it, so the pod's author cannot choose it.
   */
  @Test
  void aKeyInTheModelValidationIsGivenToTheVerifiersAsAnEnvironmentVariable() throws Exception {
    String pem = java.nio.file.Files.readString(java.nio.file.Path.of("../examples/keys/signing-key.pub"));
    ModelValidation mv =
        mv("team-a", "m",
            """
            {"model": {"path": "/data/model"},
             "continuousValidation": {"enabled": true, "interval": "10m"},
             "config": {"publicKeyConfig": {"keyData": %s}}}"""
                .formatted(com.fasterxml.jackson.databind.node.TextNode.valueOf(pem).toString()));
    Pod out = mutated(mutator.mutate(pod(simplePod("p", "m")), mv, NOW));
    for (String name : List.of("model-validation", "model-validation-watch")) {
      Container c = init(out, name);
      assertThat(c.getArgs()).containsSubsequence("--public-key-env", "MODEL_VALIDATION_PUBLIC_KEY");
      assertThat(c.getArgs()).doesNotContain("--public-key");
      assertThat(c.getEnv())
          .singleElement()
          .satisfies(e -> {
            assertThat(e.getName()).isEqualTo("MODEL_VALIDATION_PUBLIC_KEY");
            assertThat(e.getValue()).isEqualTo(pem);
            assertThat(e.getValueFrom()).isNull();
          });
    }
    // with the key in a file, the verifier gets no environment and the path as before
    Pod fromFile =
        mutated(mutator.mutate(pod(simplePod("p", "m")),
            mv("team-a", "m", "{\"model\": {\"path\": \"/data/model\"}, \"config\": {\"publicKeyConfig\":"
                + " {\"keyPath\": \"/data/key.pub\"}}}"), NOW));
    assertThat(init(fromFile, "model-validation").getEnv()).isNullOrEmpty();
    assertThat(init(fromFile, "model-validation").getArgs()).containsSubsequence("--public-key", "/data/key.pub");
  }

  @Test
  void continuousValidationAddsAWatchingNativeSidecarAfterTheOneShotVerifier() {
    ModelValidation mv =
        mv("team-a", "m",
            """
            {"model": {"path": "/data/model"},
             "continuousValidation": {"enabled": true, "interval": "10m"},
             "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG));
    Pod out = mutated(mutator.mutate(pod(simplePod("p", "m")), mv, NOW));
    assertThat(out.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("model-validation", "model-validation-watch");
    Container w = init(out, "model-validation-watch");
    assertThat(w.getRestartPolicy()).isEqualTo("Always");
    assertThat(w.getArgs())
        .containsExactly(
            "verify", "sigstore", "--signature", "/data/model/model.sig",
            "--identity", "jane@example.com",
            "--identity-provider", "https://accounts.google.com",
            "--repeat-every", "600", "--ready-file", "/var/run/model-validation/ready",
            "/data/model");
    assertThat(w.getReadinessProbe().getExec().getCommand())
        .containsExactly("model-signing", "ready-check", "--ready-file",
            "/var/run/model-validation/ready", "--max-age", "1260");
    assertThat(w.getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("data", "/data"),
            org.assertj.core.groups.Tuple.tuple("model-validation-status", "/var/run/model-validation"));
    assertThat(w.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(out.getSpec().getVolumes())
        .anySatisfy(v -> {
          assertThat(v.getName()).isEqualTo("model-validation-status");
          assertThat(v.getEmptyDir()).isNotNull();
        });
    assertThat(out.getMetadata().getAnnotations())
        .containsEntry("validation.ml.sigstore.dev/continuous-validation", "sidecar");
    // the start-up check leaves the sidecar's ready file, which counts as the sidecar's first check
    Container once = init(out, "model-validation");
    assertThat(once.getArgs())
        .containsExactly(
            "verify", "sigstore", "--signature", "/data/model/model.sig",
            "--identity", "jane@example.com",
            "--identity-provider", "https://accounts.google.com",
            "--ready-file", "/var/run/model-validation/ready",
            "/data/model");
    assertThat(once.getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath)
        .contains(org.assertj.core.groups.Tuple.tuple("model-validation-status", "/var/run/model-validation"));
  }

  @Test
  void continuousValidationWithoutNativeSidecarsVerifiesOnceAndWarns() {
    ModelValidation mv =
        mv("team-a", "m",
            """
            {"model": {"path": "/data/model"}, "continuousValidation": {"enabled": true},
             "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG));
    MutationResult result =
        new PodMutator(WebhookSettings.defaults(false)).mutate(pod(simplePod("p", "m")), mv, NOW);
    Pod out = mutated(result);
    assertThat(out.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("model-validation");
    assertThat(init(out, "model-validation").getArgs()).doesNotContain("--ready-file");
    assertThat(out.getMetadata().getAnnotations())
        .containsEntry("validation.ml.sigstore.dev/continuous-validation", "unsupported");
    assertThat(((MutationResult.Mutated) result).warnings())
        .singleElement()
        .asString()
        .contains("verified once");
  }

  @Test
  void mutatingAnInjectedPodAgainChangesNothing() {
    ModelValidation mv = Fixtures.sigstore("team-a", "m");
    Pod once = mutated(mutator.mutate(pod(simplePod("p", "m")), mv, NOW));
    MutationResult again = mutator.mutate(once, mv, NOW.plusSeconds(60));
    assertThat(again).isInstanceOf(MutationResult.Unchanged.class);
  }

  @Test
  void aHandWrittenContainerWithOurNameIsDenied() {
    String podJson =
        """
        {"metadata": {"name": "p",
                      "annotations": {"validation.ml.sigstore.dev/model-validation": "m",
                                      "validation.ml.sigstore.dev/injected-at": "2026-01-01T00:00:00Z"}},
         "spec": {
           "initContainers": [{"name": "model-validation", "image": "busybox", "command": ["true"]}],
           "containers": [{"name": "app", "image": "app",
                           "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
           "volumes": [{"name": "data", "emptyDir": {}}]}}""";
    assertThat(denial(mutator.mutate(pod(podJson), Fixtures.sigstore("team-a", "m"), NOW)))
        .contains("already has a container")
        .contains("model-validation");
  }

  /**
   * On reinvocation, a later webhook may have appended an init container (a model downloader) after the verifier: the
   * verifier, unchanged, moves back to the end so it checks what the downloader wrote; a changed verifier is denied.
   */
  @Test
  void anInjectedVerifierThatIsNoLongerLastMovesBackToTheEnd() {
    String podJson =
        """
        {"metadata": {"name": "p"},
         "spec": {
           "containers": [{"name": "app", "image": "app",
                           "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
           "volumes": [{"name": "data", "emptyDir": {}}]}}""";
    ModelValidation mv = Fixtures.sigstore("team-a", "m");
    Pod injected = mutated(mutator.mutate(pod(podJson), mv, NOW));
    Container download =
        new ContainerBuilder()
            .withName("storage-initializer")
            .withImage("dl")
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/data")
            .endVolumeMount()
            .build();
    injected.getSpec().getInitContainers().add(download);

    Pod fixed = mutated(mutator.mutate(injected, mv, NOW.plusSeconds(1)));
    assertThat(fixed.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("storage-initializer", "model-validation");
    assertThat(fixed.getSpec().getInitContainers().get(1))
        .isEqualTo(injected.getSpec().getInitContainers().get(0));
    assertThat(fixed.getMetadata().getAnnotations())
        .as("the injection time stays")
        .isEqualTo(injected.getMetadata().getAnnotations());
    assertThat(mutator.mutate(fixed, mv, NOW.plusSeconds(2))).isInstanceOf(MutationResult.Unchanged.class);

    // a verifier that is not exactly the injected one is not moved but denied
    Pod tampered = new PodBuilder(injected).build();
    tampered.getSpec().getInitContainers().get(0).setArgs(List.of("--version"));
    assertThat(denial(mutator.mutate(tampered, mv, NOW))).contains("differs from what");
  }

  /**
   * With continuous validation, a later webhook that appends a downloader and the volume it downloads through puts
   * both behind ours: the verifier, its watch sidecar and the status volume move back to the end, in their order.
   */
  @Test
  void withTheWatchSidecarOurInitContainersAndStatusVolumeMoveBehindWhatALaterWebhookAppended() {
    ModelValidation mv =
        mv("team-a", "m",
            """
            {"model": {"path": "/data/model"},
             "continuousValidation": {"enabled": true, "interval": "10m"},
             "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG));
    Pod injected = mutated(mutator.mutate(pod(simplePod("p", "m")), mv, NOW));
    Pod later = new PodBuilder(injected).build();
    later.getSpec().getInitContainers().add(
        new ContainerBuilder()
            .withName("storage-initializer")
            .withImage("dl")
            .addNewVolumeMount().withName("creds").withMountPath("/creds").endVolumeMount()
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
            .build());
    later.getSpec().getVolumes().add(
        new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("creds").withNewEmptyDir().endEmptyDir().build());

    Pod fixed = mutated(mutator.mutate(later, mv, NOW.plusSeconds(1)));
    assertThat(fixed.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("storage-initializer", "model-validation", "model-validation-watch");
    assertThat(fixed.getSpec().getVolumes())
        .extracting(v -> v.getName())
        .containsExactly("data", "creds", "model-validation-status");
    assertThat(init(fixed, "model-validation-watch")).isEqualTo(init(injected, "model-validation-watch"));
    assertThat(fixed.getMetadata().getAnnotations()).isEqualTo(injected.getMetadata().getAnnotations());
    assertThat(mutator.mutate(fixed, mv, NOW.plusSeconds(2))).isInstanceOf(MutationResult.Unchanged.class);
  }

  @Test
  void annotationsPresetByThePodAuthorAreOverwritten() {
    String podJson =
        """
        {"metadata": {"name": "p", "annotations": {
            "validation.ml.sigstore.dev/config-hash": "forged",
            "validation.ml.sigstore.dev/model-validation": "other",
            "validation.ml.sigstore.dev/ignore-paths": "/data/model",
            "team": "a"}},
         "spec": {"containers": [{"name": "app", "image": "app",
                                  "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                  "volumes": [{"name": "data", "emptyDir": {}}]}}""";
    ModelValidation mv = Fixtures.sigstore("team-a", "m");
    Pod out = mutated(mutator.mutate(pod(podJson), mv, NOW));
    assertThat(out.getMetadata().getAnnotations())
        .containsEntry("validation.ml.sigstore.dev/config-hash", ConfigHash.of(mv.getSpec()))
        .containsEntry("validation.ml.sigstore.dev/model-validation", "m")
        .containsEntry("team", "a");
    // upstream honoured pod annotations such as ignore-paths; they loosen nothing here
    assertThat(init(out, "model-validation").getArgs()).doesNotContain("--ignore-paths");
  }

  @Test
  void modelOptionsBecomeFlagsWithRelativeIgnorePathsUnderTheModel() {
    ModelValidation mv =
        mv("team-a", "m",
            """
            {"model": {"path": "/data/model", "ignorePaths": ["README.md", "/data/model/logs"],
                       "ignoreGitPaths": false, "ignoreUnsignedFiles": true, "allowSymlinks": true},
             "imagePullPolicy": "IfNotPresent",
             "config": {"privateKeyConfig": {"keyPath": "/data/keys/pub.pem"}}}""");
    Pod out = mutated(mutator.mutate(pod(simplePod("p", "m")), mv, NOW));
    Container v = init(out, "model-validation");
    assertThat(v.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(v.getArgs())
        .containsExactly(
            "verify", "key", "--signature", "/data/model/model.sig",
            "--public-key", "/data/keys/pub.pem",
            "--ignore-paths", "/data/model/README.md",
            "--ignore-paths", "/data/model/logs",
            "--no-ignore-git-paths", "--ignore-unsigned-files", "--allow-symlinks",
            "/data/model");
  }

  @Test
  void resourcesFromTheSpecWinAndDefaultsFillTheRest() {
    ModelValidation mv =
        mv("team-a", "m",
            """
            {"model": {"path": "/data/model"},
             "resources": {"requests": {"cpu": "500m"}, "limits": {"memory": "1Gi"}},
             "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG));
    Container v = init(mutated(mutator.mutate(pod(simplePod("p", "m")), mv, NOW)), "model-validation");
    assertThat(v.getResources().getRequests())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("128Mi"));
    assertThat(v.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));

    ModelValidation tightLimit =
        mv("team-a", "t",
            """
            {"model": {"path": "/data/model"}, "resources": {"limits": {"memory": "64Mi"}},
             "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG));
    Container t =
        init(mutated(mutator.mutate(pod(simplePod("p", "t")), tightLimit, NOW)), "model-validation");
    // a default request above the limit would make the pod invalid: Kubernetes uses the limit
    assertThat(t.getResources().getRequests()).doesNotContainKey("memory");
    assertThat(t.getResources().getLimits()).containsEntry("memory", new Quantity("64Mi"));
  }

  @Test
  void aNonRootPodUserIsKeptAndARootPodUserIsReplaced() {
    String template =
        """
        {"metadata": {"name": "p"},
         "spec": {"securityContext": {"runAsUser": %d, "fsGroup": 2000},
                  "containers": [{"name": "app", "image": "app",
                                  "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                  "volumes": [{"name": "data", "emptyDir": {}}]}}""";
    ModelValidation mv = Fixtures.sigstore("team-a", "m");
    Container nonRoot =
        init(mutated(mutator.mutate(pod(template.formatted(1000)), mv, NOW)), "model-validation");
    assertThat(nonRoot.getSecurityContext().getRunAsUser()).isNull();
    assertThat(nonRoot.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container root =
        init(mutated(mutator.mutate(pod(template.formatted(0)), mv, NOW)), "model-validation");
    assertThat(root.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
  }

  @Test
  void theVerifierGetsNoFixedUidSoAPlatformAssignedOrContainerUidIsNotOverridden() {
    // OpenShift's restricted-v2 SCC assigns a UID from the namespace's range and refuses a fixed one outside it;
    // containers that choose their own UID (no pod-level runAsUser) must not make the verifier use 65532 either
    String pod =
        """
        {"metadata": {"name": "p"},
         "spec": {"containers": [{"name": "app", "image": "app",
                                  "securityContext": {"runAsUser": 1000750000, "runAsNonRoot": true},
                                  "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                  "volumes": [{"name": "data", "emptyDir": {}}]}}""";
    ModelValidation mv = Fixtures.sigstore("team-a", "m");
    mv.getSpec().setContinuousValidation(new dev.modelvalidation.operator.api.ContinuousValidation());
    mv.getSpec().getContinuousValidation().setEnabled(true);
    Pod out = mutated(mutator.mutate(pod(pod), mv, NOW));
    for (String name : List.of("model-validation", "model-validation-watch")) {
      var sc = init(out, name).getSecurityContext();
      assertThat(sc.getRunAsUser()).as(name).isNull();
      // still Pod Security "restricted": the kubelet refuses to start it unless the image's USER is numeric, non-root
      assertThat(sc.getRunAsNonRoot()).as(name).isTrue();
      assertThat(sc.getAllowPrivilegeEscalation()).as(name).isFalse();
      assertThat(sc.getCapabilities().getDrop()).as(name).containsExactly("ALL");
      assertThat(sc.getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
    }
  }

  @Test
  void anUnusableSpecIsDeniedWithTheReason() {
    ModelValidation twoMethods =
        mv("team-a", "bad",
            """
            {"model": {"path": "/data/model"},
             "config": {%s, "publicKeyConfig": {"keyPath": "/data/k.pem"}}}"""
                .formatted(Fixtures.SIGSTORE_CONFIG));
    assertThat(denial(mutator.mutate(pod(simplePod("p", "bad")), twoMethods, NOW)))
        .contains("team-a/bad")
        .contains("exactly one of sigstoreConfig");
    ModelValidation relative =
        mv("team-a", "rel",
            """
            {"model": {"path": "data/model"}, "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG));
    assertThat(denial(mutator.mutate(pod(simplePod("p", "rel")), relative, NOW)))
        .contains("spec.model.path must be an absolute path");
    ModelValidation dots =
        mv("team-a", "dots",
            """
            {"model": {"path": "/data/../etc"}, "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG));
    assertThat(denial(mutator.mutate(pod(simplePod("p", "dots")), dots, NOW)))
        .contains(". or .. segments");
  }

  @Test
  void aModelUnderASubPathExprMountIsDenied() {
    String podJson =
        """
        {"metadata": {"name": "p"},
         "spec": {"containers": [{"name": "app", "image": "app",
                                  "env": [{"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                                  "volumeMounts": [{"name": "data", "mountPath": "/data",
                                                    "subPathExpr": "$(POD)"}]}],
                  "volumes": [{"name": "data", "emptyDir": {}}]}}""";
    assertThat(denial(mutator.mutate(pod(podJson), Fixtures.sigstore("team-a", "m"), NOW)))
        .contains("subPathExpr");
  }
}
