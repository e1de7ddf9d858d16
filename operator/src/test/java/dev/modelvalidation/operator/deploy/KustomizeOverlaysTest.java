package dev.modelvalidation.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the deployment manifests under {@code config/}, {@code dist/} and {@code examples/}: every
 * kustomize overlay renders with {@code kubectl kustomize} and contains what its install mode needs,
 * the names follow the operator conventions, RBAC is least-privilege, and the committed generated
 * files (dist/install.yaml, the CRD, the example ConfigMaps) are up to date.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KustomizeOverlaysTest {

  private static final String NAMESPACE = "model-validation-system";
  private static final String DEPLOYMENT = "model-validation-controller-manager";
  private static final String SERVICE_ACCOUNT = "model-validation-controller-manager";
  private static final String WEBHOOK_CONFIG = "model-validation-mutating-webhook-configuration";
  private static final String WEBHOOK_SERVICE = "model-validation-webhook-service";
  private static final String TLS_SECRET = "model-validation-webhook-server-cert";
  private static final String CERTIFICATE = "model-validation-serving-cert";
  private static final String ISSUER = "model-validation-selfsigned-issuer";
  private static final String CA_CERTIFICATE = "model-validation-ca";
  private static final String CA_ISSUER = "model-validation-ca-issuer";
  private static final String CERT_DIR = "/tmp/k8s-webhook-server/serving-certs";
  private static final String MANAGER_ROLE = "model-validation-manager-role";
  private static final String LEADER_ELECTION_ROLE = "model-validation-leader-election-role";
  private static final String OPERATOR_IMAGE = "ghcr.io/modelvalidation/model-validation-operator:0.1.0";
  private static final String VERIFIER_IMAGE = "ghcr.io/modelvalidation/model-signing:0.1.0";
  private static final String CRD_FILE = "modelvalidations.ml.sigstore.dev-v1.yml";
  private static final String ML_LABEL = "validation.ml.sigstore.dev/ml";
  private static final String IGNORE_LABEL = "validation.ml.sigstore.dev/ignore";
  private static final List<String> OPERATOR_ENV =
      List.of(
          "MODEL_VALIDATION_VERIFIER_IMAGE",
          "MODEL_VALIDATION_TLS_MODE",
          "MODEL_VALIDATION_CERT_DIR",
          "MODEL_VALIDATION_WEBHOOK_PORT",
          "MODEL_VALIDATION_METRICS_PORT",
          "MODEL_VALIDATION_HEALTH_PORT",
          "MODEL_VALIDATION_NAMESPACE",
          "MODEL_VALIDATION_WEBHOOK_CONFIG_NAME",
          "MODEL_VALIDATION_WEBHOOK_SERVICE_NAME",
          "MODEL_VALIDATION_TLS_SECRET_NAME",
          "MODEL_VALIDATION_LEADER_ELECTION",
          "MODEL_VALIDATION_CONTINUOUS_SIDECAR",
          "JAVA_TOOL_OPTIONS",
          "MALLOC_ARENA_MAX");

  private final YAMLMapper yaml = new YAMLMapper();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, String> renderCache = new ConcurrentHashMap<>();
  private Path repoRoot;

  @BeforeAll
  void locateRepositoryAndKubectl() {
    repoRoot = findRepoRoot();
    assumeTrue(kubectlAvailable(), "kubectl is not on the PATH: the kustomize checks need it");
  }

  // ---------------------------------------------------------------- production overlay

  @Test
  void productionRunsTwoReplicasWithCertManagerTlsAndLeaderElection() {
    Manifests production = render("config/overlays/production");

    JsonNode deployment = production.one("Deployment", DEPLOYMENT);
    assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode manager = managerContainer(deployment);
    assertThat(envValue(manager, "MODEL_VALIDATION_TLS_MODE")).contains("cert-manager");
    assertThat(envValue(manager, "MODEL_VALIDATION_LEADER_ELECTION")).contains("true");

    // the cert-manager Secret is mounted read-only at the cert dir the operator reads
    String certDir = envValue(manager, "MODEL_VALIDATION_CERT_DIR").orElseThrow();
    assertThat(certDir).isEqualTo(CERT_DIR);
    JsonNode mount = find(manager.path("volumeMounts"), m -> m.path("mountPath").asText().equals(certDir))
        .orElseThrow(() -> new AssertionError("nothing mounted at " + certDir));
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    JsonNode volume = volumeNamed(deployment, mount.path("name").asText());
    assertThat(volume.at("/secret/secretName").asText()).isEqualTo(TLS_SECRET);

    JsonNode pdb = production.ofKind("PodDisruptionBudget").getFirst();
    assertThat(pdb.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(pdb.at("/spec/selector/matchLabels"))
        .isEqualTo(deployment.at("/spec/selector/matchLabels"));
    assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
  }

  /**
   * selfSigned Issuer -> long-lived CA Certificate -> CA Issuer -> serving Certificate, and the caBundle injected from
   * the serving certificate's Secret, whose ca.crt a CA Issuer sets to the CA: renewing the serving certificate (new
   * key each time) leaves the caBundle unchanged, so replicas that still serve the previous certificate stay trusted.
   */
  @Test
  void productionIssuesTheServingCertificateFromALongLivedCa() {
    Manifests production = render("config/overlays/production");

    JsonNode certificate = production.one("Certificate", CERTIFICATE);
    assertThat(certificate.at("/apiVersion").asText()).startsWith("cert-manager.io/");
    assertThat(certificate.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(certificate.at("/spec/secretName").asText()).isEqualTo(TLS_SECRET);
    assertThat(texts(certificate.at("/spec/dnsNames")))
        .containsExactlyInAnyOrder(
            WEBHOOK_SERVICE + "." + NAMESPACE + ".svc",
            WEBHOOK_SERVICE + "." + NAMESPACE + ".svc.cluster.local");
    assertThat(certificate.at("/spec/isCA").asBoolean(false)).isFalse();
    assertThat(certificate.at("/spec/issuerRef/kind").asText()).isEqualTo("Issuer");
    assertThat(certificate.at("/spec/issuerRef/name").asText()).isEqualTo(CA_ISSUER);

    JsonNode caIssuer = production.one("Issuer", CA_ISSUER);
    assertThat(caIssuer.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    JsonNode ca = production.one("Certificate", CA_CERTIFICATE);
    assertThat(ca.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(ca.at("/spec/isCA").asBoolean()).isTrue();
    assertThat(caIssuer.at("/spec/ca/secretName").asText())
        .isEqualTo(ca.at("/spec/secretName").asText())
        .isNotEqualTo(TLS_SECRET);
    assertThat(ca.at("/spec/issuerRef/name").asText()).isEqualTo(ISSUER);
    assertThat(production.one("Issuer", ISSUER).at("/spec/selfSigned").isObject()).isTrue();
    // the CA outlives many serving certificates, is renewed with its key (old serving certificates still chain to
    // it) and early enough that every serving certificate, and so the caBundle, moves to the renewed CA in time
    assertThat(ca.at("/spec/privateKey/rotationPolicy").asText()).isEqualTo("Never");
    assertThat(hours(ca.at("/spec/duration"))).isGreaterThanOrEqualTo(10 * hours(certificate.at("/spec/duration")));
    assertThat(hours(ca.at("/spec/renewBefore"))).isGreaterThan(hours(certificate.at("/spec/duration")));
    assertThat(certificate.at("/spec/privateKey/rotationPolicy").asText()).isEqualTo("Always");

    JsonNode webhookConfig = production.one("MutatingWebhookConfiguration", WEBHOOK_CONFIG);
    assertThat(webhookConfig.at("/metadata/annotations").path("cert-manager.io/inject-ca-from").asText())
        .isEqualTo(NAMESPACE + "/" + CERTIFICATE);
  }

  private static long hours(JsonNode duration) {
    assertThat(duration.asText()).matches("[0-9]+h");
    return Long.parseLong(duration.asText().replace("h", ""));
  }

  /**
   * An overlay of ours installed into another namespace: the names built from the namespace (the certificate's DNS
   * names, the CA injection annotation, the webhook's exclusion of the operator namespace) follow it. A base's
   * replacements cannot see a namespace an overlay sets later, so the namespace is set by a Component listed before
   * ours, as docs/operator.md shows.
   */
  @Test
  void anOverlayInAnotherNamespaceKeepsTlsAndTheSelfExclusion(@TempDir Path overlay) throws IOException {
    Path namespaceComponent = Files.createDirectories(overlay.resolve("namespace"));
    Files.writeString(namespaceComponent.resolve("kustomization.yaml"), """
        apiVersion: kustomize.config.k8s.io/v1alpha1
        kind: Component
        namespace: ml-platform
        """);
    String config = overlay.relativize(repoRoot.resolve("config")).toString().replace('\\', '/');
    Files.writeString(overlay.resolve("kustomization.yaml"), """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
        - %1$s/overlays/production
        components:
        - namespace
        - %1$s/components/namespace-references
        - %1$s/components/cert-manager-references
        """.formatted(config));
    String rendered = runKustomize(overlay.toString());
    Manifests manifests = parse(rendered);
    String ns = "ml-platform";

    assertThat(manifests.find("Namespace", ns)).isPresent();
    assertThat(manifests.one("Deployment", DEPLOYMENT).at("/metadata/namespace").asText()).isEqualTo(ns);
    JsonNode certificate = manifests.one("Certificate", CERTIFICATE);
    assertThat(certificate.at("/metadata/namespace").asText()).isEqualTo(ns);
    assertThat(texts(certificate.at("/spec/dnsNames")))
        .containsExactly(WEBHOOK_SERVICE + "." + ns + ".svc", WEBHOOK_SERVICE + "." + ns + ".svc.cluster.local");
    JsonNode webhookConfig = manifests.one("MutatingWebhookConfiguration", WEBHOOK_CONFIG);
    assertThat(webhookConfig.at("/metadata/annotations").path("cert-manager.io/inject-ca-from").asText())
        .isEqualTo(ns + "/" + CERTIFICATE);
    JsonNode webhook = webhookConfig.path("webhooks").get(0);
    assertThat(webhook.at("/clientConfig/service/namespace").asText()).isEqualTo(ns);
    JsonNode exclusion =
        find(webhook.at("/namespaceSelector/matchExpressions"),
            e -> e.path("key").asText().equals("kubernetes.io/metadata.name"))
            .orElseThrow(() -> new AssertionError("no exclusion of the operator namespace"));
    assertThat(exclusion.path("operator").asText()).isEqualTo("NotIn");
    assertThat(texts(exclusion.path("values"))).containsExactly(ns);
    assertThat(rendered).as("no reference to the default namespace is left").doesNotContain(NAMESPACE);
  }

  @Test
  void productionWebhookFollowsTheConventions() {
    assertWebhookFollowsConventions(render("config/overlays/production"));
  }

  @Test
  void productionGrantsNoSecretOrWebhookConfigurationAccess() {
    Manifests production = render("config/overlays/production");

    assertThat(production.rules())
        .as("cert-manager mode reads its certificate from files; it needs no API access to them")
        .noneSatisfy(rule -> assertThat(texts(rule.path("resources")))
            .containsAnyOf("secrets", "mutatingwebhookconfigurations"));
  }

  @Test
  void installYamlIsTheRenderedProductionOverlay() throws IOException {
    Path install = repoRoot.resolve("dist/install.yaml");
    assertThat(install).as("dist/install.yaml (run hack/render-install.sh)").exists();

    assertThat(Files.readString(install))
        .as("dist/install.yaml is stale: run hack/render-install.sh and commit the result")
        .isEqualTo(kustomize("config/overlays/production"));
  }

  // ---------------------------------------------------------------- testing and development

  @Test
  void testingUsesSelfManagedTlsWithoutCertManager() {
    Manifests testing = render("config/overlays/testing");

    assertThat(testing.objects())
        .noneSatisfy(o -> assertThat(o.path("apiVersion").asText()).startsWith("cert-manager.io/"));
    JsonNode deployment = testing.one("Deployment", DEPLOYMENT);
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(envValue(managerContainer(deployment), "MODEL_VALIDATION_TLS_MODE")).contains("self-managed");

    JsonNode webhookConfig = testing.one("MutatingWebhookConfiguration", WEBHOOK_CONFIG);
    assertThat(webhookConfig.at("/metadata/annotations").path("cert-manager.io/inject-ca-from").isMissingNode())
        .isTrue();
    assertWebhookFollowsConventions(testing);
  }

  @Test
  void testingGrantsTheSelfManagedTlsPermissionsOnlyWhereNeeded() {
    Manifests testing = render("config/overlays/testing");

    // Secrets: a namespaced Role in the operator namespace, bound to the operator
    JsonNode secretsRole = testing.ofKind("Role").stream()
        .filter(role -> hasResource(role, "secrets"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Role grants secrets"));
    assertThat(secretsRole.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    // what CertificateManager does (CertificateManagerTest checks its requests): get and update its Secret by name,
    // create it (which cannot be limited by name)
    assertThat(verbsFor(secretsRole, "", "secrets")).containsExactlyInAnyOrder("get", "create", "update");
    for (JsonNode rule : secretsRole.path("rules")) {
      if (!texts(rule.path("verbs")).equals(List.of("create"))) {
        assertThat(texts(rule.path("resourceNames"))).as("rule %s", rule).containsExactly(TLS_SECRET);
      }
    }
    assertBoundToOperator(testing, "Role", secretsRole.at("/metadata/name").asText());
    assertThat(testing.ofKind("ClusterRole"))
        .noneSatisfy(role -> assertThat(hasResource(role, "secrets")).isTrue());

    // the webhook configuration: get and update, only by name
    JsonNode webhookRole = testing.ofKind("ClusterRole").stream()
        .filter(role -> hasResource(role, "mutatingwebhookconfigurations"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ClusterRole grants mutatingwebhookconfigurations"));
    for (JsonNode rule : webhookRole.path("rules")) {
      Set<String> verbs = Set.copyOf(texts(rule.path("verbs")));
      assertThat(verbs).isNotEmpty();
      assertThat(texts(rule.path("resourceNames"))).containsExactly(WEBHOOK_CONFIG);
    }
    assertThat(verbsFor(webhookRole, "admissionregistration.k8s.io", "mutatingwebhookconfigurations"))
        .containsExactlyInAnyOrder("get", "update");
    assertBoundToOperator(testing, "ClusterRole", webhookRole.at("/metadata/name").asText());
  }

  @Test
  void developmentHasNoWebhook() {
    Manifests development = render("config/overlays/development");

    assertThat(development.ofKind("MutatingWebhookConfiguration")).isEmpty();
    assertThat(development.find("Service", WEBHOOK_SERVICE)).isEmpty();
    assertThat(development.objects())
        .noneSatisfy(o -> assertThat(o.path("apiVersion").asText()).startsWith("cert-manager.io/"));
    JsonNode deployment = development.one("Deployment", DEPLOYMENT);
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(envValue(managerContainer(deployment), "MODEL_VALIDATION_TLS_MODE")).contains("none");
    assertThat(development.rules())
        .noneSatisfy(rule -> assertThat(texts(rule.path("resources"))).contains("secrets"));
  }

  // ---------------------------------------------------------------- every overlay

  @ParameterizedTest
  @ValueSource(strings = {"production", "testing", "development"})
  void operatorDeploymentIsHardenedAndConfigured(String overlay) {
    Manifests manifests = render("config/overlays/" + overlay);

    JsonNode namespace = manifests.one("Namespace", NAMESPACE);
    assertThat(namespace.at("/metadata/labels").path(IGNORE_LABEL).asText()).isEqualTo("true");

    JsonNode deployment = manifests.one("Deployment", DEPLOYMENT);
    assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(deployment.at("/spec/template/metadata/labels").path("app.kubernetes.io/name").asText())
        .isEqualTo("model-validation-operator");
    assertThat(deployment.at("/spec/template/metadata/labels").path("control-plane").asText())
        .isEqualTo("controller-manager");
    assertThat(manifests.find("ServiceAccount", SERVICE_ACCOUNT)).isPresent();
    assertHardenedOperatorPod(deployment.at("/spec/template"));
    assertBoundToOperator(manifests, "ClusterRole", MANAGER_ROLE);
    assertBoundToOperator(manifests, "Role", LEADER_ELECTION_ROLE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"production", "testing", "development", "olm"})
  void rbacHasNoWildcards(String overlay) {
    List<JsonNode> rules = render("config/overlays/" + overlay).rules();

    assertThat(rules).isNotEmpty();
    for (JsonNode rule : rules) {
      for (String field : List.of("verbs", "resources", "apiGroups", "resourceNames", "nonResourceURLs")) {
        assertThat(texts(rule.path(field)))
            .as("%s in %s", field, rule)
            .noneMatch(value -> value.contains("*"));
      }
    }
  }

  @Test
  void managerClusterRoleGrantsExactlyWhatTheOperatorUses() {
    JsonNode role = render("config/overlays/production").one("ClusterRole", MANAGER_ROLE);

    assertThat(grants(role))
        .isEqualTo(Map.of(
            // read only: the operator cannot change what a ModelValidation requires
            "ml.sigstore.dev/modelvalidations", Set.of("get", "list", "watch"),
            "ml.sigstore.dev/modelvalidations/status", Set.of("get", "patch"),
            "/pods", Set.of("get", "list", "watch"),
            "/namespaces", Set.of("get", "list", "watch"),
            "/events", Set.of("create")));
    JsonNode leaderElection = render("config/overlays/production").one("Role", LEADER_ELECTION_ROLE);
    assertThat(leaderElection.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(grants(leaderElection))
        .isEqualTo(Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update", "patch")));
  }

  @Test
  void userFacingClusterRolesCoverModelValidations() {
    Manifests production = render("config/overlays/production");

    JsonNode editor = production.one("ClusterRole", "model-validation-modelvalidation-editor-role");
    assertThat(verbsFor(editor, "ml.sigstore.dev", "modelvalidations"))
        .containsExactlyInAnyOrder("create", "delete", "get", "list", "patch", "update", "watch");
    JsonNode viewer = production.one("ClusterRole", "model-validation-modelvalidation-viewer-role");
    assertThat(verbsFor(viewer, "ml.sigstore.dev", "modelvalidations"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    JsonNode metricsReader = production.one("ClusterRole", "model-validation-metrics-reader");
    assertThat(texts(metricsReader.at("/rules/0/nonResourceURLs"))).containsExactly("/metrics");
  }

  // ---------------------------------------------------------------- OLM

  @Test
  void olmOverlayRendersAClusterServiceVersionOwningTheCrd() {
    Manifests olm = render("config/overlays/olm");

    JsonNode csv = olm.ofKind("ClusterServiceVersion").getFirst();
    JsonNode crd = olm.ofKind("CustomResourceDefinition").getFirst();
    JsonNode owned = csv.at("/spec/customresourcedefinitions/owned/0");
    assertThat(owned.path("name").asText()).isEqualTo(crd.at("/metadata/name").asText());
    assertThat(owned.path("kind").asText()).isEqualTo("ModelValidation");
    assertThat(owned.path("version").asText()).isEqualTo("v1alpha1");
    assertThat(csv.at("/spec/install/strategy").asText()).isEqualTo("deployment");
    assertThat(find(csv.at("/spec/installModes"), m -> m.path("type").asText().equals("AllNamespaces"))
        .map(m -> m.path("supported").asBoolean())).contains(true);

    JsonNode deployment = csv.at("/spec/install/spec/deployments/0");
    assertThat(deployment.path("name").asText()).isEqualTo(DEPLOYMENT);
    assertHardenedOperatorPod(deployment.at("/spec/template"));

    JsonNode webhook = csv.at("/spec/webhookdefinitions/0");
    assertThat(webhook.path("type").asText()).isEqualTo("MutatingAdmissionWebhook");
    assertThat(webhook.path("generateName").asText()).isEqualTo("pods.validation.ml.sigstore.dev");
    assertThat(webhook.path("deploymentName").asText()).isEqualTo(DEPLOYMENT);
    assertThat(webhook.path("targetPort").asInt()).isEqualTo(9443);
    assertThat(webhook.path("webhookPath").asText()).isEqualTo("/mutate-v1-pod");
    assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Fail");
    assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
    assertThat(texts(webhook.path("admissionReviewVersions"))).containsExactly("v1");
    assertThat(webhook.at("/objectSelector/matchExpressions/0/key").asText()).isEqualTo(ML_LABEL);
    assertThat(webhook.at("/objectSelector/matchExpressions/0/operator").asText()).isEqualTo("Exists");
  }

  @Test
  void olmClusterServiceVersionStaysInSyncWithTheKustomizeManifests() {
    JsonNode csv = render("config/overlays/olm").ofKind("ClusterServiceVersion").getFirst();
    Manifests production = render("config/overlays/production");

    assertThat(csv.at("/spec/install/spec/clusterPermissions/0/rules"))
        .as("CSV clusterPermissions = config/rbac/role.yaml")
        .isEqualTo(production.one("ClusterRole", MANAGER_ROLE).path("rules"));
    assertThat(csv.at("/spec/install/spec/permissions/0/rules"))
        .as("CSV permissions = config/rbac/leader_election_role.yaml")
        .isEqualTo(production.one("Role", LEADER_ELECTION_ROLE).path("rules"));

    JsonNode csvManager = managerContainer(csv.at("/spec/install/spec/deployments/0"));
    JsonNode productionManager = managerContainer(production.one("Deployment", DEPLOYMENT));
    // OLM mounts its certificate itself, so only the cert volume mount may differ
    assertThat(envByName(csvManager)).as("manager container env").isEqualTo(envByName(productionManager));
    for (String field : List.of("image", "ports", "securityContext", "startupProbe", "livenessProbe",
        "readinessProbe", "resources")) {
      assertThat(csvManager.path(field)).as("manager container %s", field)
          .isEqualTo(productionManager.path(field));
    }
  }

  // ---------------------------------------------------------------- CRD

  @Test
  void crdHasTheUpstreamNamesAndFields() {
    JsonNode crd = render("config/crd").one("CustomResourceDefinition", "modelvalidations.ml.sigstore.dev");

    assertThat(crd.at("/spec/group").asText()).isEqualTo("ml.sigstore.dev");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("ModelValidation");
    assertThat(crd.at("/spec/names/plural").asText()).isEqualTo("modelvalidations");
    assertThat(crd.at("/spec/names/singular").asText()).isEqualTo("modelvalidation");
    assertThat(texts(crd.at("/spec/names/shortNames"))).containsExactly("mv");
    JsonNode version = crd.at("/spec/versions/0");
    assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.path("served").asBoolean()).isTrue();
    assertThat(version.path("storage").asBoolean()).isTrue();
    assertThat(version.at("/subresources/status").isObject()).isTrue();

    JsonNode spec = version.at("/schema/openAPIV3Schema/properties/spec/properties");
    for (String path : List.of(
        "/model/properties/path", "/model/properties/signaturePath", "/model/properties/ignorePaths",
        "/model/properties/ignoreGitPaths", "/model/properties/ignoreUnsignedFiles",
        "/model/properties/allowSymlinks",
        "/config/properties/sigstoreConfig/properties/certificateIdentity",
        "/config/properties/sigstoreConfig/properties/certificateOidcIssuer",
        "/config/properties/pkiConfig/properties/certificateAuthority",
        "/config/properties/publicKeyConfig/properties/keyPath",
        "/config/properties/clientTrustConfig/properties/trustConfigPath",
        "/imagePullPolicy", "/continuousValidation/properties/enabled",
        "/continuousValidation/properties/interval")) {
      assertThat(spec.at(path).isMissingNode()).as("spec%s in the CRD schema", path).isFalse();
    }
    JsonNode status = version.at("/schema/openAPIV3Schema/properties/status/properties");
    for (String field : List.of("conditions", "injectedPodCount", "uninjectedPodCount", "orphanedPodCount",
        "authMethod", "injectedPods", "uninjectedPods", "orphanedPods", "lastUpdated")) {
      assertThat(status.has(field)).as("status.%s in the CRD schema", field).isTrue();
    }
  }

  @Test
  void committedCrdEqualsTheOneGeneratedFromTheJavaClasses() throws IOException {
    Path generated = repoRoot.resolve("operator/target/classes/META-INF/fabric8/" + CRD_FILE);
    assumeTrue(Files.isRegularFile(generated),
        "the CRD is not generated yet (fabric8 crd-generator-maven-plugin not configured or not run)");

    assertThat(Files.readString(repoRoot.resolve("config/crd/bases/" + CRD_FILE)))
        .as("config/crd/bases/%s is stale: run hack/update-crd.sh and commit the result", CRD_FILE)
        .isEqualTo(Files.readString(generated));
  }

  // ---------------------------------------------------------------- examples

  @ParameterizedTest
  @ValueSource(strings = {"signed-model", "tampered-model"})
  void exampleWorkloadIsSelectedAndSeesEveryPathOfItsModelValidation(String example) throws IOException {
    Manifests data = render("examples/" + example);
    Manifests workload = parse(Files.readString(repoRoot.resolve("examples/" + example + "/workload.yaml")));

    JsonNode validation = data.ofKind("ModelValidation").getFirst();
    JsonNode podTemplate = workloadPod(workload.objects().getFirst());
    String namespace = validation.at("/metadata/namespace").asText();
    assertThat(workload.objects().getFirst().at("/metadata/namespace").asText()).isEqualTo(namespace);
    assertThat(data.one("Namespace", namespace)).isNotNull();
    assertThat(podTemplate.at("/metadata/labels").path(ML_LABEL).asText())
        .isEqualTo(validation.at("/metadata/name").asText());

    // the key is held by the ModelValidation (so the pod cannot choose it): the example key
    assertThat(validation.at("/spec/config/publicKeyConfig/keyPath").isMissingNode()).isTrue();
    assertThat(validation.at("/spec/config/publicKeyConfig/keyData").asText())
        .isEqualTo(Files.readString(repoRoot.resolve("examples/keys/signing-key.pub")));
    // the injected verifier gets the pod's mounts: every path of the CR must be under one of them
    JsonNode container = podTemplate.at("/spec/containers/0");
    for (String path : List.of(
        validation.at("/spec/model/path").asText(),
        validation.at("/spec/model/signaturePath").asText())) {
      JsonNode mount = find(container.path("volumeMounts"), m -> isUnder(path, m.path("mountPath").asText()))
          .orElseThrow(() -> new AssertionError("no volume mount in the workload covers " + path));
      JsonNode volume = find(podTemplate.at("/spec/volumes"), v -> v.path("name").equals(mount.path("name")))
          .orElseThrow();
      // and it comes from an object the example creates
      if (volume.has("persistentVolumeClaim")) {
        assertThat(data.find("PersistentVolumeClaim", volume.at("/persistentVolumeClaim/claimName").asText()))
            .isPresent();
      } else {
        assertThat(data.find("ConfigMap", volume.at("/configMap/name").asText())).isPresent();
      }
    }
    // the loading Job fills the same claim the workload reads
    JsonNode job = data.ofKind("Job").getFirst();
    assertThat(job.at("/spec/template/spec/volumes").findValuesAsText("claimName"))
        .containsExactlyElementsOf(podTemplate.at("/spec/volumes").findValuesAsText("claimName"))
        .hasSize(1);
  }

  @Test
  void exampleConfigMapHoldsExactlyTheModelFiles() throws IOException {
    Manifests data = parse(Files.readString(repoRoot.resolve("examples/model-data/configmaps.yaml")));
    String stale = "examples/model-data/configmaps.yaml is stale: run hack/update-example-data.sh";

    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> model = Files.list(repoRoot.resolve("examples/model"))) {
      for (Path file : model.filter(Files::isRegularFile).toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    Map<String, String> modelData = new TreeMap<>(json.convertValue(
        data.one("ConfigMap", "demo-model").path("data"), new TypeReference<Map<String, String>>() { }));
    assertThat(modelData).as(stale).isEqualTo(files);
    assertThat(data.ofKind("ConfigMap")).as(stale).hasSize(1);
  }

  @Test
  void exampleKeysAreAMatchingP256Pair() throws IOException, GeneralSecurityException {
    PrivateKey privateKey = KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(pem(repoRoot.resolve("examples/keys/signing-key.pem"))));
    PublicKey publicKey = exampleVerificationKey();
    assertThat(((ECPublicKey) publicKey).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);

    byte[] message = "model".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(privateKey);
    signer.update(message);
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(publicKey);
    verifier.update(message);
    assertThat(verifier.verify(signer.sign())).isTrue();
  }

  @Test
  void exampleSignatureCoversTheCurrentModelFilesAndWasMadeWithTheExampleKey()
      throws IOException, GeneralSecurityException {
    String bundleText = Files.readString(repoRoot.resolve("examples/model/model.sig"));
    assumeFalse(bundleText.startsWith("PLACEHOLDER"),
        "examples/model/model.sig is still the placeholder (see examples/signed-model/README.md)");

    JsonNode bundle = json.readTree(bundleText);
    assertThat(bundle.path("mediaType").asText()).startsWith("application/vnd.dev.sigstore.bundle");
    JsonNode envelope = bundle.path("dsseEnvelope");
    byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());
    String type = envelope.path("payloadType").asText();
    byte[] pae = pae(type, payload);
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(exampleVerificationKey());
    verifier.update(pae);
    assertThat(verifier.verify(Base64.getDecoder().decode(envelope.at("/signatures/0/sig").asText())))
        .as("model.sig was signed with examples/keys/signing-key.pem")
        .isTrue();

    Map<String, String> signed = new HashMap<>();
    for (JsonNode resource : json.readTree(payload).at("/predicate/resources")) {
      signed.put(resource.path("name").asText(), resource.path("digest").asText());
    }
    Map<String, String> current = new HashMap<>();
    try (Stream<Path> model = Files.list(repoRoot.resolve("examples/model"))) {
      for (Path file : model.filter(Files::isRegularFile).toList()) {
        if (!file.getFileName().toString().equals("model.sig")) {
          current.put(file.getFileName().toString(),
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        }
      }
    }
    assertThat(signed).as("examples/model changed after signing: sign it again").isEqualTo(current);
  }

  // ---------------------------------------------------------------- images and scripts

  @ParameterizedTest
  @ValueSource(strings = {"operator:operator/target/model-validation-operator.jar",
      "model-signing:model-signing-cli/target/model-signing.jar"})
  void containerImagesPackageTheJarAndRunAsUid65532(String imageAndJar) throws IOException {
    String image = imageAndJar.substring(0, imageAndJar.indexOf(':'));
    String jar = imageAndJar.substring(imageAndJar.indexOf(':') + 1);
    List<String> lines = Files.readAllLines(repoRoot.resolve("images/" + image + ".Containerfile"));

    assertThat(lines).anyMatch(line -> line.contains(jar));
    assertThat(lines.stream().filter(line -> line.startsWith("USER ")).reduce((first, second) -> second))
        .as("the final stage runs as the non-root UID 65532")
        .contains("USER 65532:65532");
  }

  @Test
  void e2eScriptUsesTheImagesTheManifestsDeploy() throws IOException {
    String script = Files.readString(repoRoot.resolve("hack/e2e-kind.sh"));

    assertThat(script)
        .contains("OPERATOR_IMAGE=\"${OPERATOR_IMAGE:-" + OPERATOR_IMAGE + "}\"")
        .contains("VERIFIER_IMAGE=\"${VERIFIER_IMAGE:-" + VERIFIER_IMAGE + "}\"")
        .contains("set -euo pipefail");
  }

  // ---------------------------------------------------------------- shared assertions

  private void assertWebhookFollowsConventions(Manifests manifests) {
    JsonNode config = manifests.one("MutatingWebhookConfiguration", WEBHOOK_CONFIG);
    assertThat(config.path("webhooks")).hasSize(1);
    JsonNode webhook = config.at("/webhooks/0");
    assertThat(webhook.path("name").asText()).isEqualTo("pods.validation.ml.sigstore.dev");
    assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Fail");
    assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
    assertThat(webhook.path("reinvocationPolicy").asText()).isEqualTo("IfNeeded");
    assertThat(webhook.path("timeoutSeconds").asInt()).isEqualTo(10);
    assertThat(texts(webhook.path("admissionReviewVersions"))).containsExactly("v1");
    assertThat(webhook.path("rules")).hasSize(1);
    JsonNode rule = webhook.at("/rules/0");
    assertThat(texts(rule.path("apiGroups"))).containsExactly("");
    assertThat(texts(rule.path("apiVersions"))).containsExactly("v1");
    assertThat(texts(rule.path("resources"))).containsExactly("pods", "pods/ephemeralcontainers");
    assertThat(texts(rule.path("operations"))).containsExactly("CREATE", "UPDATE");

    assertThat(expressions(webhook.path("objectSelector")))
        .containsExactly(ML_LABEL + " Exists []");
    assertThat(expressions(webhook.path("namespaceSelector")))
        .containsExactlyInAnyOrder(
            IGNORE_LABEL + " NotIn [true]",
            "kubernetes.io/metadata.name NotIn [" + NAMESPACE + "]");

    // the Service reaches the operator's webhook port
    JsonNode target = webhook.at("/clientConfig/service");
    assertThat(target.path("name").asText()).isEqualTo(WEBHOOK_SERVICE);
    assertThat(target.path("namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(target.path("path").asText()).isEqualTo("/mutate-v1-pod");
    assertThat(target.path("port").asInt()).isEqualTo(443);
    JsonNode service = manifests.one("Service", WEBHOOK_SERVICE);
    assertThat(service.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    JsonNode servicePort = find(service.at("/spec/ports"), p -> p.path("port").asInt() == 443).orElseThrow();
    JsonNode deployment = manifests.one("Deployment", DEPLOYMENT);
    assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
    JsonNode manager = managerContainer(deployment);
    assertThat(containerPort(manager, servicePort.path("targetPort"))).isEqualTo(9443);
    assertThat(envValue(manager, "MODEL_VALIDATION_WEBHOOK_PORT")).contains("9443");
    assertThat(envValue(manager, "MODEL_VALIDATION_WEBHOOK_CONFIG_NAME")).contains(WEBHOOK_CONFIG);
    assertThat(envValue(manager, "MODEL_VALIDATION_WEBHOOK_SERVICE_NAME")).contains(WEBHOOK_SERVICE);
    assertThat(envValue(manager, "MODEL_VALIDATION_TLS_SECRET_NAME")).contains(TLS_SECRET);
  }

  private void assertHardenedOperatorPod(JsonNode template) {
    JsonNode pod = template.path("spec");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(65532);
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo(SERVICE_ACCOUNT);

    JsonNode manager = find(pod.path("containers"), c -> c.path("name").asText().equals("manager"))
        .orElseThrow(() -> new AssertionError("no container named manager"));
    assertThat(manager.path("image").asText()).isEqualTo(OPERATOR_IMAGE);
    JsonNode security = manager.path("securityContext");
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");

    assertThat(manager.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(manager.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(containerPort(manager, manager.at("/livenessProbe/httpGet/port"))).isEqualTo(8081);
    assertThat(containerPort(manager, manager.at("/readinessProbe/httpGet/port"))).isEqualTo(8081);
    assertThat(manager.path("ports").findValues("containerPort").stream().map(JsonNode::asInt))
        .containsExactlyInAnyOrder(9443, 8080, 8081);
    assertThat(manager.at("/resources/requests").size()).isPositive();
    assertThat(manager.at("/resources/limits/memory").isMissingNode()).isFalse();

    JsonNode tmpMount = find(manager.path("volumeMounts"), m -> m.path("mountPath").asText().equals("/tmp"))
        .orElseThrow(() -> new AssertionError("/tmp must be writable (read-only root filesystem)"));
    JsonNode tmp = find(pod.path("volumes"), v -> v.path("name").equals(tmpMount.path("name"))).orElseThrow();
    assertThat(tmp.has("emptyDir")).isTrue();

    List<String> env = StreamSupport.stream(manager.path("env").spliterator(), false)
        .map(e -> e.path("name").asText())
        .toList();
    assertThat(env).containsExactlyInAnyOrderElementsOf(OPERATOR_ENV);
    JsonNode namespaceEnv = find(manager.path("env"),
        e -> e.path("name").asText().equals("MODEL_VALIDATION_NAMESPACE")).orElseThrow();
    assertThat(namespaceEnv.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.namespace");
    assertThat(envValue(manager, "MODEL_VALIDATION_VERIFIER_IMAGE")).contains(VERIFIER_IMAGE);
    assertThat(envValue(manager, "MODEL_VALIDATION_CERT_DIR")).contains(CERT_DIR);
    assertThat(envValue(manager, "MODEL_VALIDATION_METRICS_PORT")).contains("8080");
    assertThat(envValue(manager, "MODEL_VALIDATION_HEALTH_PORT")).contains("8081");
  }

  private void assertBoundToOperator(Manifests manifests, String roleKind, String roleName) {
    String bindingKind = roleKind + "Binding";
    assertThat(manifests.find(roleKind, roleName)).as("%s %s", roleKind, roleName).isPresent();
    assertThat(manifests.ofKind(bindingKind))
        .as("a %s binds %s %s to the operator", bindingKind, roleKind, roleName)
        .anySatisfy(binding -> {
          assertThat(binding.at("/roleRef/kind").asText()).isEqualTo(roleKind);
          assertThat(binding.at("/roleRef/name").asText()).isEqualTo(roleName);
          assertThat(binding.path("subjects")).anySatisfy(subject -> {
            assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
            assertThat(subject.path("name").asText()).isEqualTo(SERVICE_ACCOUNT);
            assertThat(subject.path("namespace").asText()).isEqualTo(NAMESPACE);
          });
        });
  }

  // ---------------------------------------------------------------- helpers

  /** The objects of one kustomize rendering. */
  private record Manifests(List<JsonNode> objects) {

    List<JsonNode> ofKind(String kind) {
      return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
      return ofKind(kind).stream().filter(o -> o.at("/metadata/name").asText().equals(name)).findFirst();
    }

    JsonNode one(String kind, String name) {
      List<JsonNode> matches = ofKind(kind).stream()
          .filter(o -> o.at("/metadata/name").asText().equals(name))
          .toList();
      assertThat(matches).as("exactly one %s %s", kind, name).hasSize(1);
      return matches.getFirst();
    }

    /** Every RBAC rule: Roles, ClusterRoles and the permissions of ClusterServiceVersions. */
    List<JsonNode> rules() {
      List<JsonNode> rules = new ArrayList<>();
      for (JsonNode object : objects) {
        switch (object.path("kind").asText()) {
          case "Role", "ClusterRole" -> object.path("rules").forEach(rules::add);
          case "ClusterServiceVersion" -> {
            for (String kind : List.of("clusterPermissions", "permissions")) {
              object.at("/spec/install/spec/" + kind).forEach(p -> p.path("rules").forEach(rules::add));
            }
          }
          default -> { }
        }
      }
      return rules;
    }
  }

  private Manifests render(String directory) {
    return parse(kustomize(directory));
  }

  private String kustomize(String directory) {
    return renderCache.computeIfAbsent(directory, this::runKustomize);
  }

  private String runKustomize(String directory) {
    try {
      Path stderr = Files.createTempFile("kustomize", ".err");
      try {
        Process process = new ProcessBuilder("kubectl", "kustomize", directory)
            .directory(repoRoot.toFile())
            .redirectError(stderr.toFile())
            .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail("kubectl kustomize %s did not finish", directory);
        }
        assertThat(process.exitValue())
            .as("kubectl kustomize %s failed: %s", directory, Files.readString(stderr).strip())
            .isZero();
        return output;
      } finally {
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Manifests parse(String text) {
    try (var values = yaml.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
      List<JsonNode> objects = new ArrayList<>();
      while (values.hasNext()) {
        JsonNode object = values.next();
        if (object != null && object.isObject() && !object.isEmpty()) {
          objects.add(object);
        }
      }
      return new Manifests(List.copyOf(objects));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode managerContainer(JsonNode deployment) {
    return find(deployment.at("/spec/template/spec/containers"), c -> c.path("name").asText().equals("manager"))
        .orElseThrow(() -> new AssertionError("no container named manager"));
  }

  private static JsonNode volumeNamed(JsonNode deployment, String name) {
    return find(deployment.at("/spec/template/spec/volumes"), v -> v.path("name").asText().equals(name))
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static JsonNode workloadPod(JsonNode workload) {
    return workload.path("kind").asText().equals("Pod") ? workload : workload.at("/spec/template");
  }

  private static Map<String, JsonNode> envByName(JsonNode container) {
    Map<String, JsonNode> env = new TreeMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }

  private static Optional<String> envValue(JsonNode container, String name) {
    return find(container.path("env"), e -> e.path("name").asText().equals(name))
        .map(e -> e.path("value").asText());
  }

  /** The container port a probe or Service targets, by number or by port name. */
  private static int containerPort(JsonNode container, JsonNode port) {
    if (port.isInt()) {
      return port.asInt();
    }
    return find(container.path("ports"), p -> p.path("name").asText().equals(port.asText()))
        .map(p -> p.path("containerPort").asInt())
        .orElseThrow(() -> new AssertionError("no container port named " + port.asText()));
  }

  private static List<String> expressions(JsonNode selector) {
    return StreamSupport.stream(selector.path("matchExpressions").spliterator(), false)
        .map(e -> e.path("key").asText() + " " + e.path("operator").asText() + " " + texts(e.path("values")))
        .toList();
  }

  private static boolean hasResource(JsonNode role, String resource) {
    return StreamSupport.stream(role.path("rules").spliterator(), false)
        .anyMatch(rule -> texts(rule.path("resources")).contains(resource));
  }

  private static Set<String> verbsFor(JsonNode role, String apiGroup, String resource) {
    return grants(role).getOrDefault(apiGroup + "/" + resource, Set.of());
  }

  /** "apiGroup/resource" to the union of the verbs granted on it. */
  private static Map<String, Set<String>> grants(JsonNode role) {
    Map<String, Set<String>> grants = new HashMap<>();
    for (JsonNode rule : role.path("rules")) {
      for (String group : texts(rule.path("apiGroups"))) {
        for (String resource : texts(rule.path("resources"))) {
          grants.computeIfAbsent(group + "/" + resource, k -> new HashSet<>()).addAll(texts(rule.path("verbs")));
        }
      }
    }
    return grants;
  }

  private static boolean isUnder(String path, String directory) {
    String prefix = directory.endsWith("/") ? directory : directory + "/";
    return path.equals(directory) || path.startsWith(prefix);
  }

  private static Optional<JsonNode> find(JsonNode array, Predicate<JsonNode> matches) {
    return StreamSupport.stream(array.spliterator(), false).filter(matches).findFirst();
  }

  private static List<String> texts(JsonNode array) {
    if (array == null || array.isMissingNode() || array.isNull()) {
      return List.of();
    }
    if (!array.isArray()) {
      return List.of(array.asText());
    }
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private PublicKey exampleVerificationKey() throws IOException, GeneralSecurityException {
    return KeyFactory.getInstance("EC")
        .generatePublic(new X509EncodedKeySpec(pem(repoRoot.resolve("examples/keys/signing-key.pub"))));
  }

  private static byte[] pem(Path file) throws IOException {
    String body = Files.readString(file).lines()
        .filter(line -> !line.startsWith("-----"))
        .reduce("", String::concat);
    return Base64.getDecoder().decode(body);
  }

  /** DSSE v1 pre-authentication encoding. */
  private static byte[] pae(String type, byte[] payload) {
    byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
    byte[] header = ("DSSEv1 " + typeBytes.length + " " + type + " " + payload.length + " ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] pae = new byte[header.length + payload.length];
    System.arraycopy(header, 0, pae, 0, header.length);
    System.arraycopy(payload, 0, pae, header.length, payload.length);
    return pae;
  }

  private static Path findRepoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isDirectory(candidate.resolve("config/overlays")) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no repository root (with config/overlays) above " + dir);
  }

  private static boolean kubectlAvailable() {
    try {
      Process process = new ProcessBuilder("kubectl", "version", "--client")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
