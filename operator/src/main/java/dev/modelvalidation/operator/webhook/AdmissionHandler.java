package dev.modelvalidation.operator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.operator.api.ModelValidation;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers AdmissionReview v1 requests for pods: AdmissionReview JSON in, AdmissionReview JSON out.
 *
 * <p>Pods are mutated only on CREATE, when they carry the label {@code
 * validation.ml.sigstore.dev/ml}, outside the operator's namespace and namespaces labelled {@code
 * validation.ml.sigstore.dev/ignore: "true"}. The label names a ModelValidation in the pod's
 * namespace, or is {@code "true"} for the only one there. The mutation ({@link PodMutator}) is
 * returned as an RFC 6902 JSON Patch computed by diffing the submitted pod with the mutated one.
 *
 * <p>Anything that prevents enforcing the pod's ModelValidation is a denial (fail closed): a
 * missing or ambiguous ModelValidation, an unusable spec, a lookup error, an unreadable pod. A
 * body that is not an AdmissionReview v1 request at all (no uid to answer) is a {@link
 * MalformedReviewException} (HTTP 400). Thread-safe.
 */
public final class AdmissionHandler {

  public static final String API_VERSION = "admission.k8s.io/v1";
  public static final String KIND = "AdmissionReview";

  private final PodMutator mutator;
  private final ModelValidationLookup modelValidations;
  private final NamespaceLookup namespaces;
  private final WebhookSettings settings;
  private final Clock clock;
  private final AdmissionObserver observer;
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);

  private final ObjectMapper json =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  // only for the body: fabric8's Quantity deserializer trips FAIL_ON_TRAILING_TOKENS in nested reads
  private final ObjectReader body =
      json.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public AdmissionHandler(
      WebhookSettings settings,
      ModelValidationLookup modelValidations,
      NamespaceLookup namespaces,
      Clock clock,
      AdmissionObserver observer) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.mutator = new PodMutator(settings);
    this.modelValidations = Objects.requireNonNull(modelValidations, "modelValidations");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * Answers one AdmissionReview.
   *
   * @param body the request body (JSON)
   * @return the AdmissionReview response (JSON, UTF-8)
   * @throws MalformedReviewException if the body is not JSON or not an AdmissionReview v1 request
   */
  public byte[] handle(byte[] body) throws MalformedReviewException {
    long start = System.nanoTime();
    JsonNode review;
    try {
      review = this.body.readTree(body);
    } catch (IOException e) {
      throw new MalformedReviewException("the body is not valid JSON");
    }
    if (review == null || !review.isObject()) {
      throw new MalformedReviewException("the body is not a JSON object");
    }
    if (!API_VERSION.equals(review.path("apiVersion").asText())
        || !KIND.equals(review.path("kind").asText())) {
      throw new MalformedReviewException(
          "expected apiVersion " + API_VERSION + " and kind " + KIND + ", got '"
              + review.path("apiVersion").asText() + "' and '" + review.path("kind").asText()
              + "'");
    }
    JsonNode request = review.get("request");
    if (request == null || !request.isObject()) {
      throw new MalformedReviewException("the AdmissionReview has no request");
    }
    JsonNode uidNode = request.get("uid");
    if (uidNode == null || !uidNode.isTextual() || uidNode.asText().isEmpty()) {
      throw new MalformedReviewException("the AdmissionReview request has no uid");
    }
    String uid = uidNode.asText();
    Answer answer;
    try {
      answer = decide(request);
    } catch (RuntimeException e) {
      answer =
          Answer.error(500, "the model validation webhook failed: " + oneLine(e), null, null);
    }
    AdmissionDecision decision =
        new AdmissionDecision(
            request.path("namespace").asText(""),
            answer.pod == null ? podName(request.path("object")) : answer.pod,
            answer.modelValidation,
            answer.outcome,
            answer.message,
            Duration.ofNanos(System.nanoTime() - start),
            request.path("dryRun").asBoolean(false));
    try {
      observer.observe(decision);
    } catch (RuntimeException e) {
      // metrics or events must never change the admission answer
      LOG.warn("admission observer failed: {}", oneLine(e));
    }
    if (answer.outcome == AdmissionDecision.Outcome.ERROR) {
      LOG.warn(
          "admission of pod {} in {} failed: {}",
          decision.pod(),
          decision.namespace(),
          answer.message);
    }
    return write(uid, answer);
  }

  private Answer decide(JsonNode request) {
    String namespace = request.path("namespace").asText("");
    JsonNode kind = request.path("kind");
    String subResource = request.path("subResource").asText("");
    boolean isPod =
        kind.path("group").asText("").isEmpty()
            && "v1".equals(kind.path("version").asText())
            && "Pod".equals(kind.path("kind").asText())
            && (subResource.isEmpty() || subResource.equals("ephemeralcontainers"));
    if (!isPod) {
      return Answer.error(
          400,
          "this webhook admits only core/v1 pods, not " + kind.path("group").asText("") + "/"
              + kind.path("version").asText("") + " " + kind.path("kind").asText("")
              + "; check the MutatingWebhookConfiguration rules",
          null,
          null);
    }
    String operation = request.path("operation").asText("");
    if (!"CREATE".equals(operation) && !"UPDATE".equals(operation)) {
      return Answer.unchanged("only pod creation is mutated, not " + operation, null, null);
    }
    if (namespace.isEmpty()) {
      return Answer.error(400, "the request has no namespace", null, null);
    }
    if (namespace.equals(settings.operatorNamespace())) {
      return Answer.unchanged("the operator's namespace is never mutated", null, null);
    }
    Map<String, String> nsLabels = namespaces.labels(namespace).orElse(Map.of());
    if ("true".equals(nsLabels.get(WebhookConstants.NAMESPACE_IGNORE_LABEL))) {
      return Answer.unchanged(
          "namespace " + namespace + " is labelled " + WebhookConstants.NAMESPACE_IGNORE_LABEL
              + "=true",
          null,
          null);
    }
    if (subResource.equals("ephemeralcontainers")) {
      return guardEphemeralContainers(request);
    }
    if ("UPDATE".equals(operation)) {
      return guardUpdate(request);
    }
    JsonNode rawPod = request.get("object");
    Pod pod;
    try {
      pod = rawPod == null || !rawPod.isObject() ? null : json.treeToValue(rawPod, Pod.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      pod = null;
    }
    if (pod == null) {
      return Answer.error(400, "the request's object is not a readable pod", null, null);
    }
    String podName = podName(rawPod);
    Map<String, String> labels =
        pod.getMetadata() == null || pod.getMetadata().getLabels() == null
            ? Map.of()
            : pod.getMetadata().getLabels();
    String value = labels.get(WebhookConstants.POD_LABEL);
    if (value == null) {
      return Answer.unchanged(
          "the pod has no label " + WebhookConstants.POD_LABEL, podName, null);
    }
    Resolution resolution = resolve(namespace, value);
    if (resolution.denial != null) {
      return Answer.denied(resolution.denial, podName, null);
    }
    ModelValidation mv = resolution.mv;
    String mvName = mv.getMetadata().getName();
    MutationResult result = mutator.mutate(pod, mv, clock.instant());
    return switch (result) {
      case MutationResult.Denied d -> Answer.denied(d.message(), podName, mvName);
      case MutationResult.Unchanged u -> Answer.unchanged(u.reason(), podName, mvName);
      case MutationResult.Mutated m ->
          Answer.mutated(patch(rawPod, pod, m.pod()), m.warnings(), podName, mvName, m.alreadyInjected());
    };
  }

  private record Resolution(ModelValidation mv, String denial) {}

  private Resolution resolve(String namespace, String value) {
    if (value.isBlank()) {
      return new Resolution(
          null,
          "the pod label " + WebhookConstants.POD_LABEL + " is empty; set it to the name of a"
              + " ModelValidation in namespace " + namespace + " (or to \"true\" if there is"
              + " exactly one)");
    }
    Optional<ModelValidation> named = modelValidations.get(namespace, value);
    if (named.isPresent()) {
      return new Resolution(named.get(), null);
    }
    if (!WebhookConstants.POD_LABEL_ONLY_ONE.equals(value)) {
      return new Resolution(
          null,
          "ModelValidation " + namespace + "/" + value + " named by the pod label "
              + WebhookConstants.POD_LABEL + " does not exist; create it or fix the label");
    }
    List<ModelValidation> all = modelValidations.list(namespace);
    if (all.size() == 1) {
      return new Resolution(all.get(0), null);
    }
    if (all.isEmpty()) {
      return new Resolution(
          null,
          "the pod label " + WebhookConstants.POD_LABEL + "=true needs exactly one ModelValidation"
              + " in namespace " + namespace + ", but there is none; create one, or set the label"
              + " to the name of a ModelValidation");
    }
    String names =
        all.stream()
            .map(m -> m.getMetadata().getName())
            .sorted(Comparator.naturalOrder())
            .collect(Collectors.joining(", "));
    return new Resolution(
        null,
        "the pod label " + WebhookConstants.POD_LABEL + "=true needs exactly one ModelValidation"
            + " in namespace " + namespace + ", but there are " + all.size() + " (" + names
            + "); set the label to the name of the one to enforce");
  }

  /** A minimal patch from the submitted pod to the mutated one, checked to apply to the former. */
  private JsonNode patch(JsonNode rawPod, Pod parsed, Pod mutated) {
    JsonNode target = json.valueToTree(mutated);
    // diffing the parsed pod avoids noise from fields the model serializes differently
    JsonNode patch = JsonPatches.diff(json.valueToTree(parsed), target);
    try {
      JsonNode applied = JsonPatches.apply(patch, rawPod);
      if (json.valueToTree(json.treeToValue(applied, Pod.class)).equals(target)) {
        return patch;
      }
    } catch (IllegalArgumentException | JsonProcessingException e) {
      // fall through to the exact diff
    }
    return JsonPatches.diff(rawPod, target);
  }

  private byte[] write(String uid, Answer answer) {
    ObjectNode out = json.createObjectNode();
    out.put("apiVersion", API_VERSION);
    out.put("kind", KIND);
    ObjectNode response = out.putObject("response");
    response.put("uid", uid);
    response.put("allowed", answer.allowed);
    if (!answer.allowed) {
      ObjectNode status = response.putObject("status");
      status.put("code", answer.code);
      status.put(
          "reason",
          switch (answer.code) {
            case 403 -> "Forbidden";
            case 400 -> "BadRequest";
            default -> "InternalError";
          });
      status.put("message", answer.message);
    } else if (answer.patch != null) {
      response.put("patchType", "JSONPatch");
      try {
        response.put(
            "patch", Base64.getEncoder().encodeToString(json.writeValueAsBytes(answer.patch)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialize a JSON Patch", e);
      }
    }
    if (!answer.warnings.isEmpty()) {
      ArrayNode warnings = response.putArray("warnings");
      answer.warnings.forEach(warnings::add);
    }
    try {
      return json.writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize an AdmissionReview", e);
    }
  }

  private static String podName(JsonNode rawPod) {
    JsonNode meta = rawPod == null ? null : rawPod.get("metadata");
    if (meta == null) {
      return "";
    }
    String name = meta.path("name").asText("");
    return name.isEmpty() ? meta.path("generateName").asText("") + "*" : name;
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }

  /**
   * A pod update may not touch the verifier: Kubernetes lets anyone who may update pods change an init
   * container's image, so a pod that is still pending (e.g. behind a scheduling gate) could otherwise swap the
   * injected verifier for one that always succeeds. Every other update is allowed unchanged.
   */
  private Answer guardUpdate(JsonNode request) {
    Map<String, JsonNode> before = verifierContainers(request.path("oldObject"));
    Map<String, JsonNode> after = verifierContainers(request.path("object"));
    if (before.equals(after)) {
      return Answer.unchanged("the update leaves the model-validation containers as they were", null, null);
    }
    String pod = request.path("object").path("metadata").path("name").asText(null);
    return Answer.denied(
        "the model-validation containers injected at admission cannot be changed, added or removed by an update;"
            + " delete and re-create the pod instead",
        pod,
        null);
  }

  /**
   * Ephemeral (debug) containers may be added to a verified pod, but may not mount a volume the verifier checked
   * unless read-only: otherwise {@code kubectl debug} could rewrite the model after verification.
   */
  private Answer guardEphemeralContainers(JsonNode request) {
    JsonNode pod = request.path("object");
    java.util.Set<String> verifierVolumes = new java.util.HashSet<>();
    for (JsonNode c : pod.path("spec").path("initContainers")) {
      if (c.path("name").asText("").equals(WebhookConstants.VERIFIER_CONTAINER)) {
        c.path("volumeMounts").forEach(m -> verifierVolumes.add(m.path("name").asText("")));
      }
    }
    java.util.List<io.fabric8.kubernetes.api.model.Volume> volumes = new java.util.ArrayList<>();
    try {
      for (JsonNode v : pod.path("spec").path("volumes")) {
        volumes.add(json.convertValue(v, io.fabric8.kubernetes.api.model.Volume.class));
      }
    } catch (IllegalArgumentException e) {
      return Answer.error(400, "the request's object is not a readable pod", null, null);
    }
    java.util.Set<String> modelVolumes = VolumeStorage.sameStorage(volumes, verifierVolumes);
    for (JsonNode c : pod.path("spec").path("ephemeralContainers")) {
      for (JsonNode m : c.path("volumeMounts")) {
        if (modelVolumes.contains(m.path("name").asText("")) && !m.path("readOnly").asBoolean(false)) {
          return Answer.denied(
              "ephemeral container " + c.path("name").asText("") + " mounts the verified volume "
                  + m.path("name").asText("") + " read-write; mount it with readOnly: true",
              pod.path("metadata").path("name").asText(null),
              null);
        }
      }
    }
    return Answer.unchanged("ephemeral containers leave the verified volumes read-only", null, null);
  }

  /** Our containers (verifier and watch sidecar) among the pod's init containers, by name. */
  private static Map<String, JsonNode> verifierContainers(JsonNode pod) {
    Map<String, JsonNode> ours = new java.util.TreeMap<>();
    for (JsonNode c : pod.path("spec").path("initContainers")) {
      String name = c.path("name").asText("");
      if (name.equals(WebhookConstants.VERIFIER_CONTAINER) || name.equals(WebhookConstants.WATCH_CONTAINER)) {
        ours.put(name, c);
      }
    }
    return ours;
  }

  private record Answer(
      boolean allowed,
      int code,
      String message,
      JsonNode patch,
      List<String> warnings,
      AdmissionDecision.Outcome outcome,
      String pod,
      String modelValidation) {

    static Answer unchanged(String reason, String pod, String mv) {
      return new Answer(
          true, 200, reason, null, List.of(), AdmissionDecision.Outcome.UNCHANGED, pod, mv);
    }

    static Answer mutated(JsonNode patch, List<String> warnings, String pod, String mv, boolean alreadyInjected) {
      return alreadyInjected
          ? new Answer(
              true, 200, "verifier moved back to the end of the init containers, annotations refreshed", patch,
              warnings, AdmissionDecision.Outcome.REINVOKED, pod, mv)
          : new Answer(
              true, 200, "verification injected", patch, warnings, AdmissionDecision.Outcome.MUTATED, pod, mv);
    }

    static Answer denied(String message, String pod, String mv) {
      return new Answer(
          false, 403, message, null, List.of(), AdmissionDecision.Outcome.DENIED, pod, mv);
    }

    static Answer error(int code, String message, String pod, String mv) {
      return new Answer(
          false, code, message, null, List.of(), AdmissionDecision.Outcome.ERROR, pod, mv);
    }
  }
}
