package dev.modelvalidation.operator.webhook;

import static dev.modelvalidation.operator.webhook.Fixtures.mv;
import static dev.modelvalidation.operator.webhook.Fixtures.review;
import static dev.modelvalidation.operator.webhook.Fixtures.simplePod;
import static dev.modelvalidation.operator.webhook.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelvalidation.operator.api.ModelValidation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.zjsonpatch.JsonPatch;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The webhook end to end over real HTTPS, with AdmissionReview v1 JSON as the API server sends it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionWebhookHttpsTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final String NS = "team-a";

  /** Where a webhook patch may write: annotations, init containers, read-only flags, our volume. */
  private static final Pattern ALLOWED_PATCH_PATHS =
      Pattern.compile(
          "^(/metadata/annotations(/.*)?"
              + "|/spec/initContainers(/.*)?"
              + "|/spec/containers/\\d+/volumeMounts/\\d+/readOnly"
              + "|/spec/volumes/\\d+|/spec/volumes/-)$");

  private final Fixtures.MapLookup lookup = new Fixtures.MapLookup();
  private final Map<String, Map<String, String>> namespaceLabels = new java.util.HashMap<>();
  private final List<AdmissionDecision> decisions = new CopyOnWriteArrayList<>();
  private final AtomicReference<SSLContext> serving = new AtomicReference<>();
  private TestTls first;
  private TestTls second;
  private AdmissionServer server;
  private HttpClient client;
  private URI mutateUri;

  @BeforeAll
  void start() throws Exception {
    first = TestTls.selfSigned("model-validation-webhook-service.model-validation-system.svc");
    second = TestTls.selfSigned("rotated");
    serving.set(first.serverContext());
    AdmissionHandler handler =
        new AdmissionHandler(
            WebhookSettings.defaults(true),
            lookup,
            ns -> Optional.ofNullable(namespaceLabels.get(ns)),
            Clock.fixed(NOW, ZoneOffset.UTC),
            decisions::add);
    server =
        new AdmissionServer(
            handler,
            serving::get,
            new AdmissionServer.Options(new InetSocketAddress("127.0.0.1", 0), 2, 8, 64 * 1024));
    server.start();
    client = HttpClient.newBuilder().sslContext(TestTls.trusting(first.certificate())).build();
    mutateUri = URI.create("https://localhost:" + server.address().getPort() + "/mutate-v1-pod");
  }

  @AfterAll
  void stop() {
    server.close();
    client.close();
  }

  @BeforeEach
  void reset() {
    lookup.clear();
    namespaceLabels.clear();
    decisions.clear();
    serving.set(first.serverContext());
  }

  private HttpResponse<String> post(String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(mutateUri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends the pod for CREATE in NS and returns the AdmissionReview response object. */
  private JsonNode admit(String podJson) throws Exception {
    return admit(NS, podJson);
  }

  private JsonNode admit(String namespace, String podJson) throws Exception {
    HttpResponse<String> response = post(review("uid-1", namespace, "CREATE", podJson));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode review = tree(response.body());
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(review.path("response").path("uid").asText()).isEqualTo("uid-1");
    return review.path("response");
  }

  private static void assertAllowedUnchanged(JsonNode response) {
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
  }

  private static String assertDenied(JsonNode response, int code) {
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(code);
    return response.path("status").path("message").asText();
  }

  /** Checks the patch and applies it to the submitted pod, as the API server does. */
  private static Pod applyPatch(JsonNode response, String podJson) {
    return applyPatch(response, podJson, false);
  }

  /**
   * {@code movesInitContainers}: the patch may also remove init containers (a container moved within the list is
   * removed and added again); whether nothing was lost is for the caller to check.
   */
  private static Pod applyPatch(JsonNode response, String podJson, boolean movesInitContainers) {
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode patch =
        tree(new String(Base64.getDecoder().decode(response.path("patch").asText()),
            StandardCharsets.UTF_8));
    assertThat(patch.isArray()).isTrue();
    assertThat(patch.size()).isPositive();
    for (JsonNode op : patch) {
      if (movesInitContainers && op.path("op").asText().equals("remove")) {
        assertThat(op.path("path").asText()).matches("^/spec/initContainers/\\d+$");
        continue;
      }
      assertThat(op.path("op").asText()).isIn("add", "replace");
      assertThat(op.path("path").asText()).matches(ALLOWED_PATCH_PATHS);
    }
    return Fixtures.pod(JsonPatch.apply(patch, tree(podJson)).toString());
  }

  private static List<String> initNames(Pod pod) {
    return pod.getSpec().getInitContainers().stream().map(Container::getName).toList();
  }

  private static Container init(Pod pod, String name) {
    return pod.getSpec().getInitContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static void assertRestricted(Container c) {
    var sc = c.getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getVolumeMounts()).allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
  }

  private static void assertAnnotated(Pod pod, ModelValidation mv) {
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry("validation.ml.sigstore.dev/model-validation", mv.getMetadata().getName())
        .containsEntry("validation.ml.sigstore.dev/generation", "3")
        .containsEntry("validation.ml.sigstore.dev/config-hash", ConfigHash.of(mv.getSpec()))
        .containsEntry("validation.ml.sigstore.dev/injected-at", "2026-11-23T12:00:00Z")
        .containsEntry("validation.ml.sigstore.dev/injected-by", "model-validation-operator");
  }

  @Test
  void aPodWithoutTheLabelIsAllowedUnchanged() throws Exception {
    lookup.add(Fixtures.sigstore(NS, "m"));
    assertAllowedUnchanged(admit(simplePod("p", null)));
    assertThat(decisions).singleElement()
        .satisfies(d -> assertThat(d.outcome()).isEqualTo(AdmissionDecision.Outcome.UNCHANGED));
  }

  @Test
  void upstreamPathsWithATrailingSlashAreInjectedWithoutIt() throws Exception {
    // sigstore/model-validation-operator's manifests write model directories as /models/llama/
    ModelValidation mv =
        mv(NS, "upstream",
            """
            {"model": {"path": "/data/model/", "ignorePaths": ["cache/"]},
             "config": {"publicKeyConfig": {"keyPath": "/data/keys/"}}}""");
    lookup.add(mv);
    assertThat(SpecValidation.firstProblem(mv.getSpec())).isEmpty();
    String podJson = simplePod("p", "upstream");
    Pod pod = applyPatch(admit(podJson), podJson);
    Container v = init(pod, "model-validation");
    assertThat(v.getArgs())
        .containsExactly(
            "verify", "key", "--signature", "/data/model/model.sig", "--public-key", "/data/keys",
            "--ignore-paths", "/data/model/cache", "/data/model");
    assertThat(v.getVolumeMounts()).singleElement().satisfies(m -> {
      assertThat(m.getName()).isEqualTo("data");
      assertThat(m.getMountPath()).isEqualTo("/data");
    });
  }

  @Test
  void pathsWithEmptyOrDotSegmentsAreStillDenied() throws Exception {
    for (String path : List.of("/data//model/", "/data/model/../", "data/model/", "/data/./model")) {
      lookup.clear();
      lookup.add(mv(NS, "bad", """
          {"model": {"path": "%s"}, "config": {%s}}""".formatted(path, Fixtures.SIGSTORE_CONFIG)));
      assertThat(assertDenied(admit(simplePod("p", "bad")), 403)).as(path).contains("spec.model.path");
    }
  }

  @Test
  void sigstoreModelValidation() throws Exception {
    ModelValidation mv =
        mv(NS, "sig",
            """
            {"model": {"path": "/data/model"},
             "config": {%s, "clientTrustConfig": {"trustConfigPath": "/data/trust/config.json"}}}"""
                .formatted(Fixtures.SIGSTORE_CONFIG));
    lookup.add(mv);
    String podJson = simplePod("p", "sig");
    Pod pod = applyPatch(admit(podJson), podJson);
    assertThat(initNames(pod)).containsExactly("model-validation");
    Container v = init(pod, "model-validation");
    assertThat(v.getArgs())
        .containsExactly(
            "verify", "sigstore", "--signature", "/data/model/model.sig",
            "--identity", "jane@example.com", "--identity-provider", "https://accounts.google.com",
            "--trust-config", "/data/trust/config.json", "/data/model");
    assertRestricted(v);
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts().get(0).getReadOnly()).isTrue();
    assertAnnotated(pod, mv);
    assertThat(decisions).singleElement().satisfies(d -> {
      assertThat(d.outcome()).isEqualTo(AdmissionDecision.Outcome.MUTATED);
      assertThat(d.modelValidation()).isEqualTo("sig");
      assertThat(d.pod()).isEqualTo("p");
    });
  }

  @Test
  void pkiModelValidation() throws Exception {
    ModelValidation mv =
        mv(NS, "pki",
            """
            {"model": {"path": "/data/model", "signaturePath": "/data/model.sig"},
             "config": {"pkiConfig": {"certificateAuthority": "/data/ca/root.pem"}}}""");
    lookup.add(mv);
    String podJson = simplePod("p", "pki");
    Pod pod = applyPatch(admit(podJson), podJson);
    Container v = init(pod, "model-validation");
    assertThat(v.getArgs())
        .containsExactly(
            "verify", "certificate", "--signature", "/data/model.sig",
            "--certificate-chain", "/data/ca/root.pem", "/data/model");
    assertRestricted(v);
    assertAnnotated(pod, mv);
  }

  @Test
  void publicKeyModelValidation() throws Exception {
    String podJson =
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "p", "namespace": "team-a",
                      "labels": {"validation.ml.sigstore.dev/ml": "key"}},
         "spec": {
           "containers": [{"name": "app", "image": "app",
                           "volumeMounts": [{"name": "data", "mountPath": "/data"},
                                            {"name": "pubkey", "mountPath": "/etc/model-keys",
                                             "readOnly": true}]}],
           "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "models"}},
                       {"name": "pubkey", "secret": {"secretName": "model-pubkey"}}]}}""";
    ModelValidation mv =
        mv(NS, "key",
            """
            {"model": {"path": "/data/model"},
             "config": {"publicKeyConfig": {"keyPath": "/etc/model-keys/key.pub"}}}""");
    lookup.add(mv);
    Pod pod = applyPatch(admit(podJson), podJson);
    Container v = init(pod, "model-validation");
    assertThat(v.getArgs())
        .containsExactly(
            "verify", "key", "--signature", "/data/model/model.sig",
            "--public-key", "/etc/model-keys/key.pub", "/data/model");
    assertThat(v.getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("data", "/data"),
            org.assertj.core.groups.Tuple.tuple("pubkey", "/etc/model-keys"));
    assertRestricted(v);
    assertAnnotated(pod, mv);
  }
  /** The key in the ModelValidation itself: the patch gives it to the verifier, and no volume of the pod holds it. */
  @Test
  void publicKeyHeldByTheModelValidation() throws Exception {
    String pem = java.nio.file.Files.readString(java.nio.file.Path.of("../examples/keys/signing-key.pub"));
    ModelValidation mv =
        mv(NS, "key",
            """
            {"model": {"path": "/data/model"},
             "config": {"publicKeyConfig": {"keyData": %s}}}""".formatted(Fixtures.JSON.writeValueAsString(pem)));
    lookup.add(mv);
    String podJson = simplePod("p", "key");
    Pod pod = applyPatch(admit(podJson), podJson);
    Container v = init(pod, "model-validation");
    assertThat(v.getArgs())
        .containsExactly(
            "verify", "key", "--signature", "/data/model/model.sig",
            "--public-key-env", "MODEL_VALIDATION_PUBLIC_KEY", "/data/model");
    assertThat(v.getEnv()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("MODEL_VALIDATION_PUBLIC_KEY");
      assertThat(e.getValue()).isEqualTo(pem);
    });
    assertThat(v.getVolumeMounts()).extracting(VolumeMount::getName).containsExactly("data");
    assertRestricted(v);
    assertAnnotated(pod, mv);
  }


  @Test
  void legacyPrivateKeyConfigIsTreatedAsAPublicKey() throws Exception {
    ModelValidation mv =
        mv(NS, "legacy",
            """
            {"model": {"path": "/data/model", "signaturePath": "/data/model/model.sig"},
             "config": {"privateKeyConfig": {"keyPath": "/data/keys/key.pub"}}}""");
    lookup.add(mv);
    String podJson = simplePod("p", "legacy");
    Pod pod = applyPatch(admit(podJson), podJson);
    assertThat(init(pod, "model-validation").getArgs())
        .containsExactly(
            "verify", "key", "--signature", "/data/model/model.sig",
            "--public-key", "/data/keys/key.pub", "/data/model");
    assertAnnotated(pod, mv);
  }

  @Test
  void labelTrueUsesTheOnlyModelValidationInTheNamespace() throws Exception {
    ModelValidation mv = Fixtures.sigstore(NS, "only");
    lookup.add(mv).add(Fixtures.sigstore("elsewhere", "other"));
    String podJson = simplePod("p", "true");
    Pod pod = applyPatch(admit(podJson), podJson);
    assertThat(initNames(pod)).containsExactly("model-validation");
    assertAnnotated(pod, mv);
  }

  @Test
  void labelTrueWithNoModelValidationIsDenied() throws Exception {
    lookup.add(Fixtures.sigstore("elsewhere", "other"));
    String message = assertDenied(admit(simplePod("p", "true")), 403);
    assertThat(message)
        .contains("validation.ml.sigstore.dev/ml=true")
        .contains("namespace team-a")
        .contains("there is none")
        .contains("create one");
  }

  @Test
  void labelTrueWithTwoModelValidationsIsDeniedNamingThem() throws Exception {
    lookup.add(Fixtures.sigstore(NS, "b-model")).add(Fixtures.sigstore(NS, "a-model"));
    String message = assertDenied(admit(simplePod("p", "true")), 403);
    assertThat(message)
        .contains("there are 2 (a-model, b-model)")
        .contains("set the label to the name");
  }

  @Test
  void aMissingModelValidationIsDeniedNamingIt() throws Exception {
    lookup.add(Fixtures.sigstore(NS, "present"));
    String message = assertDenied(admit(simplePod("p", "absent")), 403);
    assertThat(message).contains("ModelValidation team-a/absent").contains("does not exist");
    assertThat(decisions).singleElement()
        .satisfies(d -> assertThat(d.outcome()).isEqualTo(AdmissionDecision.Outcome.DENIED));
  }

  @Test
  void anIgnoredNamespaceIsNeverTouched() throws Exception {
    lookup.add(Fixtures.sigstore("labs", "m"));
    namespaceLabels.put("labs", Map.of("validation.ml.sigstore.dev/ignore", "true"));
    assertAllowedUnchanged(admit("labs", simplePod("p", "m")));
    // even a label naming a missing ModelValidation is not denied there
    assertAllowedUnchanged(admit("labs", simplePod("p", "missing")));
  }

  @Test
  void theOperatorNamespaceIsNeverTouched() throws Exception {
    lookup.add(Fixtures.sigstore("model-validation-system", "m"));
    assertAllowedUnchanged(admit("model-validation-system", simplePod("p", "m")));
  }

  @Test
  void anAlreadyInjectedPodIsNotChangedAgain() throws Exception {
    lookup.add(Fixtures.sigstore(NS, "m"));
    String podJson = simplePod("p", "m");
    Pod once = applyPatch(admit(podJson), podJson);
    String injectedJson = Fixtures.JSON.writeValueAsString(once);
    assertAllowedUnchanged(admit(injectedJson));
  }

  @Test
  void aFakeContainerWithOurNameDoesNotSkipVerification() throws Exception {
    lookup.add(Fixtures.sigstore(NS, "m"));
    String podJson =
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "p", "namespace": "team-a",
                      "labels": {"validation.ml.sigstore.dev/ml": "m"},
                      "annotations": {"validation.ml.sigstore.dev/model-validation": "m",
                                      "validation.ml.sigstore.dev/injected-at": "2026-01-01T00:00:00Z"}},
         "spec": {
           "initContainers": [{"name": "model-validation",
                               "image": "ghcr.io/modelvalidation/model-signing:0.1.0",
                               "command": ["model-signing"], "args": ["--version"]}],
           "containers": [{"name": "app", "image": "app",
                           "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
           "volumes": [{"name": "data", "emptyDir": {}}]}}""";
    String message = assertDenied(admit(podJson), 403);
    assertThat(message).contains("already has a container").contains("let the webhook inject it");
  }

  @Test
  void aPodFromADeploymentTemplateWithGenerateNameOnly() throws Exception {
    ModelValidation mv = Fixtures.sigstore(NS, "m");
    lookup.add(mv);
    String podJson =
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"generateName": "llm-7d9c8b6f5-",
                      "labels": {"app": "llm", "pod-template-hash": "7d9c8b6f5",
                                 "validation.ml.sigstore.dev/ml": "m"},
                      "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                           "name": "llm-7d9c8b6f5", "uid": "rs-uid",
                                           "controller": true, "blockOwnerDeletion": true}]},
         "spec": {
           "containers": [{"name": "server", "image": "vllm/vllm-openai:v0.6.0",
                           "args": ["--model", "/data/model"],
                           "resources": {"limits": {"nvidia.com/gpu": 1, "memory": "24Gi"}},
                           "volumeMounts": [{"name": "data", "mountPath": "/data"},
                                            {"name": "kube-api-access-x", "readOnly": true,
                                             "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}],
           "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
           "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "llm"}},
                       {"name": "kube-api-access-x", "projected": {"sources": []}}]}}""";
    JsonNode response = admit(podJson);
    Pod pod = applyPatch(response, podJson);
    assertThat(pod.getMetadata().getName()).isNull();
    assertThat(pod.getMetadata().getGenerateName()).isEqualTo("llm-7d9c8b6f5-");
    assertThat(initNames(pod)).containsExactly("model-validation");
    assertAnnotated(pod, mv);
    // the pod's other fields survive the patch exactly
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
        .containsOnlyKeys("nvidia.com/gpu", "memory");
    assertThat(decisions).singleElement()
        .satisfies(d -> assertThat(d.pod()).isEqualTo("llm-7d9c8b6f5-*"));
  }

  @Test
  void aKServePredictorPodIsVerifiedAfterTheStorageInitializer() throws Exception {
    ModelValidation mv =
        mv("kserve-test", "iris",
            """
            {"model": {"path": "/mnt/models", "ignorePaths": ["README.md"]},
             "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG));
    lookup.add(mv);
    String podJson =
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {
           "generateName": "sklearn-iris-predictor-00001-deployment-6f8c9d7b5c-",
           "namespace": "kserve-test",
           "labels": {"serving.kserve.io/inferenceservice": "sklearn-iris",
                      "component": "predictor",
                      "validation.ml.sigstore.dev/ml": "iris"},
           "annotations": {"serving.kserve.io/storage-initializer-sourceuri":
                               "gs://kfserving-examples/models/sklearn/1.0/model"}},
         "spec": {
           "initContainers": [{
             "name": "storage-initializer", "image": "kserve/storage-initializer:v0.14.0",
             "args": ["gs://kfserving-examples/models/sklearn/1.0/model", "/mnt/models"],
             "resources": {"limits": {"cpu": "1", "memory": "1Gi"},
                           "requests": {"cpu": "100m", "memory": "100Mi"}},
             "terminationMessagePolicy": "FallbackToLogsOnError",
             "volumeMounts": [{"name": "kserve-provision-location", "mountPath": "/mnt/models"}]}],
           "containers": [
             {"name": "kserve-container", "image": "kserve/sklearnserver:v0.14.0",
              "args": ["--model_name=sklearn-iris", "--model_dir=/mnt/models", "--http_port=8080"],
              "volumeMounts": [{"name": "kserve-provision-location", "mountPath": "/mnt/models",
                                "readOnly": true}]},
             {"name": "queue-proxy", "image": "gcr.io/knative-releases/queue:v1.15",
              "ports": [{"containerPort": 8012, "name": "http1", "protocol": "TCP"}]}],
           "volumes": [{"name": "kserve-provision-location", "emptyDir": {}}]}}""";
    Pod pod = applyPatch(admit("kserve-test", podJson), podJson);
    assertThat(initNames(pod)).containsExactly("storage-initializer", "model-validation");
    Container v = init(pod, "model-validation");
    assertThat(v.getArgs())
        .containsExactly(
            "verify", "sigstore", "--signature", "/mnt/models/model.sig",
            "--identity", "jane@example.com", "--identity-provider", "https://accounts.google.com",
            "--ignore-paths", "/mnt/models/README.md", "/mnt/models");
    assertThat(v.getVolumeMounts()).singleElement().satisfies(m -> {
      assertThat(m.getName()).isEqualTo("kserve-provision-location");
      assertThat(m.getMountPath()).isEqualTo("/mnt/models");
      assertThat(m.getReadOnly()).isTrue();
    });
    assertRestricted(v);
    // the downloader must still write the model
    assertThat(init(pod, "storage-initializer").getVolumeMounts().get(0).getReadOnly()).isNull();
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts().get(0).getReadOnly()).isTrue();
    assertAnnotated(pod, mv);
  }

  /**
   * A webhook called after this one appends a model downloader behind the verifier; the API server then reinvokes this
   * webhook (reinvocationPolicy IfNeeded), whose patch must put the verifier back after the downloader.
   */
  @Test
  void onReinvocationTheVerifierMovesBehindAnInitContainerAnotherWebhookAppended() throws Exception {
    ModelValidation mv = Fixtures.sigstore(NS, "m");
    lookup.add(mv);
    String podJson = simplePod("p", "m");
    Pod once = applyPatch(admit(podJson), podJson);
    once.getSpec().getInitContainers().add(
        new ContainerBuilder()
            .withName("model-downloader")
            .withImage("registry.example/downloader:1")
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
            .build());
    String afterOtherWebhook = Fixtures.JSON.writeValueAsString(once);

    Pod again = applyPatch(admit(afterOtherWebhook), afterOtherWebhook, true);
    assertThat(initNames(again)).containsExactly("model-downloader", "model-validation");
    assertThat(init(again, "model-validation")).isEqualTo(init(once, "model-validation"));
    assertThat(init(again, "model-downloader")).isEqualTo(init(once, "model-downloader"));
    assertThat(again.getMetadata().getAnnotations()).isEqualTo(once.getMetadata().getAnnotations());
    // a third call (nothing changed since) leaves the pod alone
    assertAllowedUnchanged(admit(Fixtures.JSON.writeValueAsString(again)));
    // one injection: the reinvocation is reported as such, not as a second injection
    assertThat(decisions).extracting(AdmissionDecision::outcome)
        .containsExactly(
            AdmissionDecision.Outcome.MUTATED, AdmissionDecision.Outcome.REINVOKED,
            AdmissionDecision.Outcome.UNCHANGED);
    assertThat(decisions).noneMatch(AdmissionDecision::dryRun);
  }

  @Test
  void continuousValidationAddsTheSidecarThroughThePatch() throws Exception {
    lookup.add(
        mv(NS, "watch",
            """
            {"model": {"path": "/data/model"}, "continuousValidation": {"enabled": true, "interval": "1h"},
             "config": {%s}}""".formatted(Fixtures.SIGSTORE_CONFIG)));
    String podJson = simplePod("p", "watch");
    Pod pod = applyPatch(admit(podJson), podJson);
    assertThat(initNames(pod)).containsExactly("model-validation", "model-validation-watch");
    Container w = init(pod, "model-validation-watch");
    assertThat(w.getRestartPolicy()).isEqualTo("Always");
    assertThat(w.getArgs()).containsSequence("--repeat-every", "3600");
    assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName())
        .containsExactly("data", "model-validation-status");
  }

  @Test
  void notJsonIsHttp400() throws Exception {
    HttpResponse<String> response = post("{not json");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("not valid JSON");
  }

  /**
   * Clients that connect and never finish their TLS handshake or request (a slow-loris) hold the webhook's workers
   * only until the request time limit ({@code sun.net.httpserver.maxReqTime}: 30 s in the operator, 2 s in these
   * tests): the server closes their connections, and admission works again. Without a limit the JDK's server waits
   * forever, and four such clients block every review.
   */
  @Test
  void stalledClientsAreDisconnectedAndDoNotBlockTheWebhook() throws Exception {
    List<java.net.Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) { // more than the server's 2 worker threads
        java.net.Socket socket = new java.net.Socket("127.0.0.1", server.address().getPort());
        socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a TLS record, then nothing
        socket.getOutputStream().flush();
        stalled.add(socket);
      }
      for (java.net.Socket socket : stalled) {
        socket.setSoTimeout(20_000);
        try {
          // the server may send a TLS alert before it closes: read to the end
          while (socket.getInputStream().read() >= 0) {
            // skip
          }
        } catch (java.net.SocketTimeoutException e) {
          throw new AssertionError("a stalled connection was still open after 20 s", e);
        } catch (java.io.IOException e) {
          // reset by the server: closed too
        }
      }
      assertThat(post(review("u", NS, "CREATE", simplePod("p", null))).statusCode()).isEqualTo(200);
    } finally {
      for (java.net.Socket socket : stalled) {
        socket.close();
      }
    }
  }

  @Test
  void trailingGarbageAfterTheReviewIsHttp400() throws Exception {
    HttpResponse<String> response = post(review("u", NS, "CREATE", simplePod("p", null)) + " {}");
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void aFailingObserverDoesNotChangeTheAnswer() throws Exception {
    lookup.add(Fixtures.sigstore(NS, "m"));
    AdmissionHandler handler =
        new AdmissionHandler(
            WebhookSettings.defaults(true),
            lookup,
            ns -> Optional.empty(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            d -> {
              throw new IllegalStateException("metrics registry closed");
            });
    String podJson = simplePod("p", "m");
    JsonNode r =
        tree(new String(handler.handle(review("uid-1", NS, "CREATE", podJson)
                .getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
            .path("response");
    assertThat(initNames(applyPatch(r, podJson))).containsExactly("model-validation");
  }

  @Test
  void aReviewWithoutRequestIsHttp400() throws Exception {
    HttpResponse<String> response =
        post("{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("no request");
  }

  @Test
  void aV1beta1ReviewIsHttp400() throws Exception {
    String body = review("u", NS, "CREATE", simplePod("p", "m")).replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1");
    assertThat(post(body).statusCode()).isEqualTo(400);
  }

  @Test
  void aWrongKindIsDenied() throws Exception {
    String body =
        review("uid-1", NS, "CREATE", "{\"metadata\": {\"name\": \"d\"}}")
            .replace("\"kind\":\"Pod\"", "\"kind\":\"Deployment\"")
            .replace("\"group\":\"\",\"version\":\"v1\",\"kind\"", "\"group\":\"apps\",\"version\":\"v1\",\"kind\"");
    HttpResponse<String> response = post(body);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode r = tree(response.body()).path("response");
    assertThat(r.path("uid").asText()).isEqualTo("uid-1");
    assertThat(assertDenied(r, 400)).contains("only core/v1 pods").contains("apps/v1 Deployment");
  }

  @Test
  void aRequestWhoseObjectIsNotAPodIsDenied() throws Exception {
    String body = review("uid-1", NS, "CREATE", "[1, 2, 3]");
    JsonNode r = tree(post(body).body()).path("response");
    assertThat(assertDenied(r, 400)).contains("not a readable pod");
  }

  @Test
  void updatesAreAllowedUnchanged() throws Exception {
    lookup.add(Fixtures.sigstore(NS, "m"));
    JsonNode r = tree(post(review("uid-1", NS, "UPDATE", simplePod("p", "m"))).body()).path("response");
    assertAllowedUnchanged(r);
  }

  @Test
  void anUpdateCannotSwapTheInjectedVerifier() throws Exception {
    lookup.add(Fixtures.sigstore(NS, "m"));
    JsonNode created = tree(post(review("uid-1", NS, "CREATE", simplePod("p", "m"))).body()).path("response");
    String injected =
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(applyPatch(created, simplePod("p", "m")));
    String swapped =
        injected.replace("ghcr.io/modelvalidation/model-signing:0.1.0", "registry.example/always-ok:1");
    assertThat(swapped).isNotEqualTo(injected);

    JsonNode r = tree(post(review("uid-2", NS, "UPDATE", swapped, injected)).body()).path("response");
    assertThat(assertDenied(r, 403)).contains("model-validation containers");

    JsonNode relabel =
        tree(post(review("uid-3", NS, "UPDATE", injected.replace("\"app\": \"demo\"", "\"app\": \"demo2\""), injected))
                .body())
            .path("response");
    assertAllowedUnchanged(relabel);
  }

  @Test
  void ephemeralContainersMayNotMountTheVerifiedVolumeReadWrite() throws Exception {
    lookup.add(Fixtures.sigstore(NS, "m"));
    JsonNode created = tree(post(review("uid-1", NS, "CREATE", simplePod("p", "m"))).body()).path("response");
    com.fasterxml.jackson.databind.node.ObjectNode pod =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            tree(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                applyPatch(created, simplePod("p", "m"))));
    com.fasterxml.jackson.databind.node.ObjectNode debug =
        ((com.fasterxml.jackson.databind.node.ObjectNode) pod.path("spec"))
            .putArray("ephemeralContainers").addObject();
    debug.put("name", "debugger").put("image", "busybox");
    com.fasterxml.jackson.databind.node.ObjectNode mount = debug.putArray("volumeMounts").addObject();
    mount.put("name", "data").put("mountPath", "/data");

    JsonNode rw = tree(post(review("uid-2", NS, "UPDATE", pod.toString(), null, "ephemeralcontainers")).body())
        .path("response");
    assertThat(assertDenied(rw, 403)).contains("debugger").contains("read-write");

    mount.put("readOnly", true);
    JsonNode ro = tree(post(review("uid-3", NS, "UPDATE", pod.toString(), null, "ephemeralcontainers")).body())
        .path("response");
    assertAllowedUnchanged(ro);
  }

  @Test
  void aLookupFailureDeniesThePod() throws Exception {
    AdmissionHandler failing =
        new AdmissionHandler(
            WebhookSettings.defaults(true),
            new ModelValidationLookup() {
              @Override
              public Optional<ModelValidation> get(String namespace, String name) {
                throw new IllegalStateException("informer cache not synced");
              }

              @Override
              public List<ModelValidation> list(String namespace) {
                return new ArrayList<>();
              }
            },
            ns -> Optional.empty(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            AdmissionObserver.NONE);
    JsonNode r =
        tree(new String(failing.handle(review("u", NS, "CREATE", simplePod("p", "m"))
                .getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
            .path("response");
    assertThat(assertDenied(r, 500)).contains("informer cache not synced");
  }

  @Test
  void bodiesOverTheLimitAreRejected() throws Exception {
    String huge = review("u", NS, "CREATE", simplePod("p", "m")) + " ".repeat(70 * 1024);
    assertThat(post(huge).statusCode()).isEqualTo(413);
    // the unread body must not poison the client's next request
    for (int i = 0; i < 3; i++) {
      assertAllowedUnchanged(admit(simplePod("p", null)));
      assertThat(post(huge).statusCode()).isEqualTo(413);
    }
  }

  @Test
  void otherPathsAndMethodsAreRejected() throws Exception {
    URI other = mutateUri.resolve("/validate");
    assertThat(client.send(HttpRequest.newBuilder(other).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    assertThat(client.send(HttpRequest.newBuilder(mutateUri).GET().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    assertThat(client.send(HttpRequest.newBuilder(mutateUri).header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
  }

  @Test
  void newConnectionsGetTheRotatedCertificate() throws Exception {
    try (HttpClient trustsSecondOnly =
            HttpClient.newBuilder().sslContext(TestTls.trusting(second.certificate())).build();
        HttpClient trustsBoth =
            HttpClient.newBuilder()
                .sslContext(TestTls.trusting(first.certificate(), second.certificate()))
                .build()) {
      HttpRequest request =
          HttpRequest.newBuilder(mutateUri)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(review("u", NS, "CREATE", simplePod("p", null))))
              .build();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> trustsSecondOnly.send(request, HttpResponse.BodyHandlers.ofString()))
          .hasCauseInstanceOf(SSLHandshakeException.class);
      serving.set(second.serverContext());
      HttpResponse<String> response = trustsSecondOnly.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0])
          .isEqualTo(second.certificate());
      HttpResponse<String> viaBoth = trustsBoth.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(viaBoth.sslSession().orElseThrow().getPeerCertificates()[0])
          .isEqualTo(second.certificate());
    }
  }
}
