package dev.modelvalidation.operator.webhook;

import static dev.modelvalidation.operator.webhook.WebhookConstants.ANNOTATION_CONFIG_HASH;
import static dev.modelvalidation.operator.webhook.WebhookConstants.ANNOTATION_CONTINUOUS_VALIDATION;
import static dev.modelvalidation.operator.webhook.WebhookConstants.ANNOTATION_GENERATION;
import static dev.modelvalidation.operator.webhook.WebhookConstants.ANNOTATION_INJECTED_AT;
import static dev.modelvalidation.operator.webhook.WebhookConstants.ANNOTATION_INJECTED_BY;
import static dev.modelvalidation.operator.webhook.WebhookConstants.ANNOTATION_MODEL_VALIDATION;
import static dev.modelvalidation.operator.webhook.WebhookConstants.VERIFIER_CONTAINER;
import static dev.modelvalidation.operator.webhook.WebhookConstants.WATCH_CONTAINER;
import static dev.modelvalidation.operator.webhook.WebhookConstants.WATCH_STATUS_VOLUME;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.modelvalidation.operator.api.Model;
import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.api.ModelValidationSpec;
import dev.modelvalidation.operator.api.ValidationConfig;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Adds model verification to a pod: a pure function of the pod, the ModelValidation, the settings
 * and the time (no I/O).
 *
 * <h2>What is injected</h2>
 *
 * <ul>
 *   <li>Init container {@code model-validation}, appended after the pod's own init containers (so a
 *       downloader such as KServe's {@code storage-initializer} fills the model volume first). It runs
 *       {@code model-signing} with {@link VerifierArgs#oneShot}; if it fails the pod never starts and
 *       the reason is in its termination message.
 *   <li>It mounts only the volumes that hold the model, signature, public key, CA certificate and
 *       trust config: for each path, the regular container volumeMount whose mountPath is the longest
 *       prefix of the path, at the same mountPath (and subPath), read-only. A path under no mount, or
 *       under mounts of different volumes in different containers at the same mountPath, is denied.
 *   <li>Restricted security context: runAsNonRoot, read-only root file system, no privilege
 *       escalation, all capabilities dropped, seccomp RuntimeDefault. No runAsUser, so the verifier runs
 *       as the pod's user, the UID the platform assigns (OpenShift restricted-v2) or the verifier image's numeric
 *       non-root USER 65532; only a pod whose securityContext asks for root (runAsUser 0) gets runAsUser 65532.
 *   <li>Resources from {@code spec.resources}, with defaults ({@link
 *       ModelValidationSpec#effectiveResources}).
 *   <li>Unless {@code spec.readOnlyModelMounts} is false, every mount of those volumes in the
 *       workload (regular containers and the pod's own native sidecars) becomes read-only, so the
 *       workload cannot change the model after verification. The pod's plain init containers keep
 *       write access (they run before the verifier).
 *   <li>Annotations: CR name, generation, {@link ConfigHash}, injection time, injector. Any values
 *       the pod brought for these keys are overwritten; no annotation or label on the pod changes
 *       what is verified.
 * </ul>
 *
 * <h2>Continuous validation</h2>
 *
 * With {@code spec.continuousValidation.enabled} and native sidecars available ({@link
 * WebhookSettings#nativeSidecars()}), a second init container {@code model-validation-watch} with
 * {@code restartPolicy: Always} follows {@code model-validation}. The workload therefore starts only
 * after the one-shot verification passed, and while it runs the sidecar re-verifies every interval
 * ({@link VerifierArgs#watch}); its readiness probe ({@link VerifierArgs#readyCheck}) fails when the
 * last run failed or is overdue, which makes the pod NotReady. Its ready file lives in an emptyDir
 * volume {@code model-validation-status} mounted only in the sidecar. Without native sidecars the
 * pod is verified once at start, annotated {@code continuous-validation: unsupported}, and the
 * admission response carries a warning.
 *
 * <h2>Idempotency</h2>
 *
 * A pod that already has a container (or init container) named {@code model-validation} or {@code
 * model-validation-watch}, or the volume {@code model-validation-status}, is accepted only if removing
 * those and injecting again gives the same pod spec (same arguments, mounts, security context,
 * resources), up to their position: when the webhook is reinvoked after a later webhook appended init
 * containers or volumes, ours move back to the end (the verifier runs after every other init
 * container) and the annotations are refreshed. Any other difference is denied: a container that
 * merely carries our name cannot skip verification, and a later webhook that edits our containers
 * (an image rewrite, injected environment) makes the pod be denied rather than run a verifier we did
 * not configure.
 */
public final class PodMutator {

  /** The verifier image's USER; set explicitly only for a pod whose securityContext asks for root. */
  public static final long VERIFIER_UID = 65532L;

  private static final long PROBE_PERIOD_SECONDS = 10;

  private final WebhookSettings settings;
  private final ObjectMapper json = JsonMapper.builder().build();

  public PodMutator(WebhookSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Decides what happens to a pod that asks for this ModelValidation.
   *
   * @param pod the pod as submitted (not modified)
   * @param mv the ModelValidation the pod's label names
   * @param now the injection time recorded in the annotation
   */
  public MutationResult mutate(Pod pod, ModelValidation mv, Instant now) {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(mv, "mv");
    Objects.requireNonNull(now, "now");
    String ref = describe(mv);
    Optional<String> problem = SpecValidation.firstProblem(mv.getSpec());
    if (problem.isPresent()) {
      return new MutationResult.Denied(
          "ModelValidation " + ref + " cannot be enforced: " + problem.get()
              + "; fix the ModelValidation");
    }
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null
        || pod.getSpec().getContainers().isEmpty()) {
      return new MutationResult.Denied("the pod has no containers");
    }
    if (!carriesOurs(pod)) {
      return inject(pod, mv, now);
    }
    MutationResult fresh = inject(strip(pod), mv, now);
    if (!(fresh instanceof MutationResult.Mutated(Pod expected, List<String> warnings, boolean ignored))) {
      return fresh;
    }
    // The webhook is reinvoked (reinvocationPolicy IfNeeded) when a later webhook changed the pod, e.g. appended an
    // init container that downloads the model: the verifier, exactly as injected, then moves back to the end, so it
    // runs after every other init container. Anything else that differs is not ours to fix.
    Pod current = pod;
    if (!sameSpec(expected, current)) {
      current = withOursLast(pod);
      if (!sameSpec(expected, current)) {
        return new MutationResult.Denied(
            "the pod already has a container or volume named "
                + VERIFIER_CONTAINER + ", " + WATCH_CONTAINER + " or " + WATCH_STATUS_VOLUME
                + " that differs from what ModelValidation " + ref
                + " requires; remove it from the pod (template) and let the webhook inject it");
      }
    }
    return refreshAnnotations(current, current != pod, expected, warnings, ref);
  }

  private boolean sameSpec(Pod a, Pod b) {
    return json.valueToTree(a.getSpec()).equals(json.valueToTree(b.getSpec()));
  }

  /**
   * A copy with the verifier's init containers moved after all others, and the continuous-validation status volume
   * after all other volumes, each in their order (where {@link #inject} puts them).
   */
  private static Pod withOursLast(Pod pod) {
    Pod copy = new PodBuilder(pod).build();
    PodSpec spec = copy.getSpec();
    spec.setInitContainers(oursLast(nn(spec.getInitContainers()), PodMutator::isOurs));
    if (spec.getVolumes() != null) {
      spec.setVolumes(oursLast(spec.getVolumes(), v -> WATCH_STATUS_VOLUME.equals(v.getName())));
    }
    return copy;
  }

  private static <T> List<T> oursLast(List<T> items, Predicate<T> ours) {
    List<T> reordered = new ArrayList<>(items.stream().filter(ours.negate()).toList());
    reordered.addAll(items.stream().filter(ours).toList());
    return reordered;
  }

  /**
   * {@code pod} (which carries the verifier as {@code expected} does) with this webhook's annotations as {@code
   * expected} has them; unchanged when they already are and {@code moved} (the verifier was moved back to the end of
   * the init containers) is false.
   */
  private static MutationResult refreshAnnotations(
      Pod pod, boolean moved, Pod expected, List<String> warnings, String ref) {
    Map<String, String> current = annotations(pod);
    Map<String, String> wanted = annotations(expected);
    boolean same =
        current.containsKey(ANNOTATION_INJECTED_AT)
            && ourKeys().stream()
                .filter(k -> !k.equals(ANNOTATION_INJECTED_AT))
                .allMatch(k -> Objects.equals(current.get(k), wanted.get(k)));
    if (same && !moved) {
      return new MutationResult.Unchanged(
          "the pod already carries the verifier for ModelValidation " + ref);
    }
    if (same) {
      return new MutationResult.Mutated(pod, warnings, true); // only moved: the injection time stays
    }
    Pod fixed = new PodBuilder(pod).build();
    Map<String, String> merged = new LinkedHashMap<>(current);
    for (String key : ourKeys()) {
      merged.remove(key);
      if (wanted.containsKey(key)) {
        merged.put(key, wanted.get(key));
      }
    }
    fixed.getMetadata().setAnnotations(merged);
    return new MutationResult.Mutated(fixed, warnings, true);
  }

  private MutationResult inject(Pod original, ModelValidation mv, Instant now) {
    Pod pod = new PodBuilder(original).build();
    if (pod.getMetadata() == null) {
      pod.setMetadata(new ObjectMeta());
    }
    PodSpec spec = pod.getSpec();
    ModelValidationSpec mvSpec = mv.getSpec();
    String ref = describe(mv);

    List<VolumeMount> verifierMounts = new ArrayList<>();
    for (Map.Entry<String, String> input : inputPaths(mvSpec).entrySet()) {
      MountLookup found = findMount(spec.getContainers(), input.getValue());
      if (found instanceof MountLookup.Missing) {
        return new MutationResult.Denied(
            "the " + input.getKey() + " path " + input.getValue() + " of ModelValidation " + ref
                + " is not under any volumeMount of the pod's containers; mount the volume that"
                + " holds it in a container of the pod");
      }
      if (found instanceof MountLookup.Ambiguous(String mountPath)) {
        return new MutationResult.Denied(
            "the " + input.getKey() + " path " + input.getValue() + " of ModelValidation " + ref
                + " is under mountPath " + mountPath
                + ", which different containers mount from different volumes; mount one volume"
                + " there");
      }
      VolumeMount source = ((MountLookup.Found) found).mount();
      if (source.getSubPathExpr() != null && !source.getSubPathExpr().isEmpty()) {
        // expanded from the workload container's environment, which the verifier does not share
        return new MutationResult.Denied(
            "the " + input.getKey() + " path " + input.getValue() + " of ModelValidation " + ref
                + " is under a volumeMount with subPathExpr, which the verifier cannot reproduce;"
                + " use subPath or mount the whole volume");
      }
      String conflict = conflictingMount(spec, normalize(input.getValue()), source);
      if (conflict != null) {
        return new MutationResult.Denied(
            "the " + input.getKey() + " path " + input.getValue() + " of ModelValidation " + ref + ": " + conflict
                + "; every container must see it through the one mount the verifier checks");
      }
      VolumeMount mount = readOnlyCopy(source);
      if (verifierMounts.stream().noneMatch(m -> sameMount(m, mount))) {
        verifierMounts.add(mount);
      }
    }
    verifierMounts.sort(
        Comparator.comparing((VolumeMount m) -> depth(m.getMountPath()))
            .thenComparing(VolumeMount::getMountPath));
    Set<String> modelVolumes = new LinkedHashSet<>();
    verifierMounts.forEach(m -> modelVolumes.add(m.getName()));
    modelVolumes.addAll(VolumeStorage.sameStorage(nn(spec.getVolumes()), modelVolumes));

    if (mvSpec.effectiveReadOnlyModelMounts()) {
      for (Container c : spec.getContainers()) {
        makeReadOnly(c, modelVolumes);
      }
      for (Container c : nn(spec.getInitContainers())) {
        if ("Always".equals(c.getRestartPolicy())) {
          makeReadOnly(c, modelVolumes);
        }
      }
    }

    SecurityContext securityContext = securityContext(spec.getSecurityContext());
    boolean sidecar = mvSpec.continuousValidationEnabled() && settings.nativeSidecars();
    if (sidecar && nn(spec.getVolumes()).stream().anyMatch(v -> WATCH_STATUS_VOLUME.equals(v.getName()))) {
      return new MutationResult.Denied(
          "the pod already has a volume named " + WATCH_STATUS_VOLUME
              + ", which the webhook reserves for continuous validation; rename it");
    }
    List<Container> inits = new ArrayList<>(nn(spec.getInitContainers()));
    // with the watch sidecar, the start-up check also writes the sidecar's ready file: it counts as the sidecar's
    // first check, so the model is not hashed twice as the pod starts
    inits.add(
        new ContainerBuilder()
            .withName(VERIFIER_CONTAINER)
            .withImage(settings.verifierImage())
            .withImagePullPolicy(mvSpec.effectiveImagePullPolicy())
            .withCommand(WebhookConstants.VERIFIER_COMMAND)
            .withArgs(sidecar ? VerifierArgs.oneShotWithReadyFile(mvSpec) : VerifierArgs.oneShot(mvSpec))
            .withEnv(trustEnvironment(mvSpec))
            .withVolumeMounts(sidecar ? withStatusMount(verifierMounts) : verifierMounts)
            .withResources(mvSpec.effectiveResources())
            .withSecurityContext(securityContext)
            .withTerminationMessagePath("/dev/termination-log")
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .build());

    List<String> warnings = new ArrayList<>();
    String continuous = null;
    if (mvSpec.continuousValidationEnabled()) {
      if (sidecar) {
        long interval = Math.max(1, mvSpec.getContinuousValidation().intervalDuration().toSeconds());
        inits.add(watchContainer(mvSpec, verifierMounts, securityContext, interval));
        List<Volume> volumes = new ArrayList<>(nn(spec.getVolumes()));
        volumes.add(statusVolume());
        spec.setVolumes(volumes);
        continuous = "sidecar";
      } else {
        continuous = "unsupported";
        warnings.add(
            "ModelValidation " + ref + " asks for continuous validation, but native sidecars are"
                + " off for this cluster (Kubernetes < 1.29 or MODEL_VALIDATION_CONTINUOUS_SIDECAR"
                + "=false): the model is verified once, at pod start");
      }
    }
    spec.setInitContainers(inits);

    Map<String, String> annotations = new LinkedHashMap<>(annotations(pod));
    ourKeys().forEach(annotations::remove);
    annotations.put(ANNOTATION_MODEL_VALIDATION, mv.getMetadata().getName());
    Long generation = mv.getMetadata().getGeneration();
    annotations.put(ANNOTATION_GENERATION, generation == null ? "0" : generation.toString());
    annotations.put(ANNOTATION_CONFIG_HASH, ConfigHash.of(mvSpec));
    annotations.put(ANNOTATION_INJECTED_AT, now.truncatedTo(ChronoUnit.SECONDS).toString());
    annotations.put(ANNOTATION_INJECTED_BY, settings.injectedBy());
    if (continuous != null) {
      annotations.put(ANNOTATION_CONTINUOUS_VALIDATION, continuous);
    }
    pod.getMetadata().setAnnotations(annotations);
    return new MutationResult.Mutated(pod, warnings);
  }

  private Container watchContainer(
      ModelValidationSpec mvSpec,
      List<VolumeMount> modelMounts,
      SecurityContext securityContext,
      long intervalSeconds) {
    List<VolumeMount> mounts = withStatusMount(modelMounts);
    // ready while the last run passed and is at most two intervals (plus a minute of hashing) old
    long maxAge = 2 * intervalSeconds + 60;
    Probe readiness = new Probe();
    readiness.setExec(new ExecAction(VerifierArgs.readyCheck(maxAge)));
    readiness.setPeriodSeconds((int) PROBE_PERIOD_SECONDS);
    readiness.setTimeoutSeconds(5);
    readiness.setFailureThreshold(1);
    readiness.setSuccessThreshold(1);
    return new ContainerBuilder()
        .withName(WATCH_CONTAINER)
        .withImage(settings.verifierImage())
        .withImagePullPolicy(mvSpec.effectiveImagePullPolicy())
        .withRestartPolicy("Always")
        .withCommand(WebhookConstants.VERIFIER_COMMAND)
        .withArgs(VerifierArgs.watch(mvSpec, intervalSeconds))
        .withEnv(trustEnvironment(mvSpec))
        .withVolumeMounts(mounts)
        .withResources(mvSpec.effectiveResources())
        .withSecurityContext(securityContext)
        .withReadinessProbe(readiness)
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  /** {@code mounts} plus the continuous-validation status volume (the ready file's directory). */
  private static List<VolumeMount> withStatusMount(List<VolumeMount> mounts) {
    List<VolumeMount> out = new ArrayList<>(mounts);
    VolumeMount status = new VolumeMount();
    status.setName(WATCH_STATUS_VOLUME);
    status.setMountPath(WebhookConstants.WATCH_STATUS_DIR);
    out.add(status);
    return out;
  }

  private static Volume statusVolume() {
    Volume v = new Volume();
    v.setName(WATCH_STATUS_VOLUME);
    EmptyDirVolumeSource emptyDir = new EmptyDirVolumeSource();
    emptyDir.setSizeLimit(new Quantity("1Mi"));
    v.setEmptyDir(emptyDir);
    return v;
  }

  private static SecurityContext securityContext(PodSecurityContext podContext) {
    SecurityContext sc = new SecurityContext();
    sc.setAllowPrivilegeEscalation(false);
    sc.setPrivileged(false);
    sc.setReadOnlyRootFilesystem(true);
    sc.setRunAsNonRoot(true);
    // No runAsUser of our own: the verifier runs as the pod's user, or else as the image's numeric USER (65532), or
    // as the UID a platform assigns (OpenShift's restricted-v2 SCC picks one from the namespace's range and refuses a
    // fixed UID outside it). Only a pod that explicitly asks for root gets the image's UID spelled out, since
    // runAsNonRoot would otherwise keep the verifier, and so the pod, from starting.
    Long podUser = podContext == null ? null : podContext.getRunAsUser();
    if (podUser != null && podUser == 0L) {
      sc.setRunAsUser(VERIFIER_UID);
    }
    Capabilities caps = new Capabilities();
    caps.setDrop(List.of("ALL"));
    sc.setCapabilities(caps);
    SeccompProfile seccomp = new SeccompProfile();
    seccomp.setType("RuntimeDefault");
    sc.setSeccompProfile(seccomp);
    return sc;
  }

  /** The ModelValidation's own trust material as environment variables of the injected containers; null if none. */
  private static List<EnvVar> trustEnvironment(ModelValidationSpec spec) {
    List<EnvVar> env =
        VerifierArgs.environment(spec).entrySet().stream()
            .map(e -> new EnvVar(e.getKey(), e.getValue(), null))
            .toList();
    return env.isEmpty() ? null : env;
  }

  /** The files the verifier reads, by what they are (insertion order = mount order). */
  private static Map<String, String> inputPaths(ModelValidationSpec spec) {
    Model model = spec.getModel();
    ValidationConfig config = spec.getConfig();
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("model", model.effectivePath());
    paths.put("signature", model.effectiveSignaturePath());
    // trust material held by the ModelValidation itself comes as an environment variable, not from a volume
    if (config.effectivePublicKeyConfig() != null && config.effectivePublicKeyConfig().getKeyPath() != null) {
      paths.put("public key", Model.trimTrailingSlash(config.effectivePublicKeyConfig().getKeyPath()));
    }
    if (config.getPkiConfig() != null && config.getPkiConfig().getCertificateAuthority() != null) {
      paths.put("CA certificate", Model.trimTrailingSlash(config.getPkiConfig().getCertificateAuthority()));
    }
    if (config.getClientTrustConfig() != null && config.getClientTrustConfig().getTrustConfigPath() != null) {
      paths.put("trust config", Model.trimTrailingSlash(config.getClientTrustConfig().getTrustConfigPath()));
    }
    return paths;
  }

  private sealed interface MountLookup {
    record Found(VolumeMount mount) implements MountLookup {}

    record Missing() implements MountLookup {}

    record Ambiguous(String mountPath) implements MountLookup {}
  }

  private static MountLookup findMount(List<Container> containers, String path) {
    VolumeMount best = null;
    String bestPath = null;
    boolean ambiguous = false;
    for (Container c : containers) {
      for (VolumeMount m : nn(c.getVolumeMounts())) {
        String mountPath = normalize(m.getMountPath());
        if (mountPath == null || !isUnder(path, mountPath)) {
          continue;
        }
        if (bestPath == null || mountPath.length() > bestPath.length()) {
          best = m;
          bestPath = mountPath;
          ambiguous = false;
        } else if (mountPath.equals(bestPath) && !sameSource(best, m)) {
          ambiguous = true;
        }
      }
    }
    if (best == null) {
      return new MountLookup.Missing();
    }
    return ambiguous ? new MountLookup.Ambiguous(bestPath) : new MountLookup.Found(best);
  }

  /**
   * Why the containers that run after verification (the workload and native sidecars) would not read what the
   * verifier checked at {@code path}, or null: a container whose own longest mount over the path is another
   * volume, subPath or mount point, or a mount that overlays something inside the path.
   */
  private static String conflictingMount(PodSpec spec, String path, VolumeMount chosen) {
    String chosenPath = normalize(chosen.getMountPath());
    List<Container> running = new ArrayList<>(spec.getContainers());
    nn(spec.getInitContainers()).stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(running::add);
    for (Container c : running) {
      VolumeMount best = null;
      String bestPath = null;
      for (VolumeMount m : nn(c.getVolumeMounts())) {
        String mountPath = normalize(m.getMountPath());
        if (mountPath == null) {
          continue;
        }
        if (!mountPath.equals(path) && isUnder(mountPath, path)) {
          return "container " + c.getName() + " mounts volume " + m.getName() + " at " + mountPath
              + ", inside that path";
        }
        if (isUnder(path, mountPath) && (bestPath == null || mountPath.length() > bestPath.length())) {
          best = m;
          bestPath = mountPath;
        }
      }
      if (best != null && !(sameSource(best, chosen) && bestPath.equals(chosenPath))) {
        return "container " + c.getName() + " reads it from volume " + best.getName() + " mounted at " + bestPath
            + ", not from volume " + chosen.getName() + " mounted at " + chosenPath;
      }
    }
    return null;
  }

  private static boolean isUnder(String path, String mountPath) {
    return mountPath.equals("/")
        || path.equals(mountPath)
        || path.startsWith(mountPath + "/");
  }

  /** An absolute path in clean form, as the container runtime resolves it ({@code //}, {@code .}, {@code ..}). */
  private static String normalize(String mountPath) {
    if (mountPath == null || mountPath.isEmpty() || !mountPath.startsWith("/")) {
      return null;
    }
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    for (String part : mountPath.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  private static boolean sameSource(VolumeMount a, VolumeMount b) {
    return Objects.equals(a.getName(), b.getName())
        && Objects.equals(a.getSubPath(), b.getSubPath())
        && Objects.equals(a.getSubPathExpr(), b.getSubPathExpr());
  }

  private static boolean sameMount(VolumeMount a, VolumeMount b) {
    return sameSource(a, b) && Objects.equals(a.getMountPath(), b.getMountPath());
  }

  private static VolumeMount readOnlyCopy(VolumeMount source) {
    VolumeMount m = new VolumeMount();
    m.setName(source.getName());
    m.setMountPath(normalize(source.getMountPath()));
    m.setSubPath(source.getSubPath());
    m.setSubPathExpr(source.getSubPathExpr());
    m.setReadOnly(true);
    return m;
  }

  private static int depth(String path) {
    return path.equals("/") ? 0 : (int) path.chars().filter(ch -> ch == '/').count();
  }

  private static void makeReadOnly(Container c, Set<String> volumes) {
    for (VolumeMount m : nn(c.getVolumeMounts())) {
      if (volumes.contains(m.getName()) && !Boolean.TRUE.equals(m.getReadOnly())) {
        m.setReadOnly(true);
      }
    }
  }

  private static boolean isOurs(Container c) {
    return VERIFIER_CONTAINER.equals(c.getName()) || WATCH_CONTAINER.equals(c.getName());
  }

  private static boolean carriesOurs(Pod pod) {
    PodSpec spec = pod.getSpec();
    return nn(spec.getInitContainers()).stream().anyMatch(PodMutator::isOurs)
        || nn(spec.getContainers()).stream().anyMatch(PodMutator::isOurs)
        || nn(spec.getVolumes()).stream().anyMatch(v -> WATCH_STATUS_VOLUME.equals(v.getName()));
  }

  private static Pod strip(Pod pod) {
    Pod copy = new PodBuilder(pod).build();
    PodSpec spec = copy.getSpec();
    spec.setInitContainers(
        new ArrayList<>(nn(spec.getInitContainers()).stream().filter(c -> !isOurs(c)).toList()));
    spec.setContainers(
        new ArrayList<>(nn(spec.getContainers()).stream().filter(c -> !isOurs(c)).toList()));
    spec.setVolumes(
        new ArrayList<>(
            nn(spec.getVolumes()).stream()
                .filter(v -> !WATCH_STATUS_VOLUME.equals(v.getName()))
                .toList()));
    return copy;
  }

  private static Map<String, String> annotations(Pod pod) {
    if (pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null) {
      return Map.of();
    }
    return pod.getMetadata().getAnnotations();
  }

  private static List<String> ourKeys() {
    return List.of(
        ANNOTATION_MODEL_VALIDATION,
        ANNOTATION_GENERATION,
        ANNOTATION_CONFIG_HASH,
        ANNOTATION_INJECTED_AT,
        ANNOTATION_INJECTED_BY,
        ANNOTATION_CONTINUOUS_VALIDATION);
  }

  private static <T> List<T> nn(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static String describe(ModelValidation mv) {
    ObjectMeta meta = mv.getMetadata();
    String name = meta == null ? null : meta.getName();
    String ns = meta == null ? null : meta.getNamespace();
    return ns == null ? String.valueOf(name) : ns + "/" + name;
  }
}
