package dev.modelvalidation.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CRD that crd-generator-maven-plugin writes from the Java classes at build time. */
class GeneratedCrdTest {

  private static final String RESOURCE = "META-INF/fabric8/modelvalidations.ml.sigstore.dev-v1.yml";
  private static CustomResourceDefinition crd;
  private static JSONSchemaProps spec;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = GeneratedCrdTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      assertThat(in).as("generated CRD on the classpath: " + RESOURCE).isNotNull();
      crd = new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }
    spec = version().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  private static CustomResourceDefinitionVersion version() {
    return crd.getSpec().getVersions().get(0);
  }

  private static List<String> rules(JSONSchemaProps props) {
    return props.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList();
  }

  @Test
  void namesScopeAndStatusSubresource() {
    assertThat(crd.getMetadata().getName()).isEqualTo("modelvalidations.ml.sigstore.dev");
    assertThat(crd.getSpec().getGroup()).isEqualTo("ml.sigstore.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("ModelValidation");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("modelvalidations");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("mv");
    assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
      assertThat(v.getName()).isEqualTo("v1alpha1");
      assertThat(v.getServed()).isTrue();
      assertThat(v.getStorage()).isTrue();
      assertThat(v.getSubresources().getStatus()).isNotNull();
    });
  }

  @Test
  void configHasTheCelRuleForExactlyOneTrustMethod() {
    JSONSchemaProps config = spec.getProperties().get("config");
    assertThat(config.getProperties())
        .containsKeys("sigstoreConfig", "pkiConfig", "publicKeyConfig", "privateKeyConfig",
            "clientTrustConfig");
    assertThat(rules(config))
        .contains(
            "[has(self.sigstoreConfig), has(self.pkiConfig), has(self.publicKeyConfig),"
                + " has(self.privateKeyConfig)].filter(x, x).size() == 1",
            "!has(self.clientTrustConfig) || has(self.sigstoreConfig)");
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("model", "config");
    assertThat(config.getProperties().get("sigstoreConfig").getRequired())
        .containsExactlyInAnyOrder("certificateIdentity", "certificateOidcIssuer");
  }

  @Test
  void everyPathFieldMustBeAbsolute() {
    JSONSchemaProps model = spec.getProperties().get("model");
    JSONSchemaProps config = spec.getProperties().get("config");
    List<JSONSchemaProps> paths =
        List.of(
            model.getProperties().get("path"),
            model.getProperties().get("signaturePath"),
            config.getProperties().get("pkiConfig").getProperties().get("certificateAuthority"),
            config.getProperties().get("publicKeyConfig").getProperties().get("keyPath"),
            config.getProperties().get("privateKeyConfig").getProperties().get("keyPath"),
            config.getProperties().get("clientTrustConfig").getProperties().get("trustConfigPath"));
    for (JSONSchemaProps path : paths) {
      assertThat(path.getPattern()).isEqualTo("^/([^/]+(/[^/]+)*/?)?$");
      Pattern p = Pattern.compile(path.getPattern());
      assertThat(p.matcher("/mnt/models/model.sig").matches()).isTrue();
      // upstream manifests write directories with a trailing slash
      assertThat(p.matcher("/models/llama/").matches()).isTrue();
      assertThat(p.matcher("/").matches()).isTrue();
      assertThat(p.matcher("//").matches()).isFalse();
      assertThat(p.matcher("/models/llama//").matches()).isFalse();
      assertThat(p.matcher("models/llama/").matches()).isFalse();
      assertThat(p.matcher("models/model.sig").matches()).isFalse();
      assertThat(p.matcher("/mnt//models").matches()).isFalse();
      assertThat(p.matcher("s3://bucket/model").matches()).isFalse();
      assertThat(path.getMaxLength()).isEqualTo(4096L);
      assertThat(rules(path)).singleElement().asString().contains("'/../'");
    }
    assertThat(model.getRequired()).containsExactly("path");
  }

  @Test
  void defaultsForTheSwitches() {
    JSONSchemaProps model = spec.getProperties().get("model");
    assertThat(spec.getProperties().get("readOnlyModelMounts").getDefault().asBoolean()).isTrue();
    assertThat(spec.getProperties().get("imagePullPolicy").getDefault().asText()).isEqualTo("Always");
    assertThat(model.getProperties().get("ignoreGitPaths").getDefault().asBoolean()).isTrue();
    assertThat(model.getProperties().get("ignoreUnsignedFiles").getDefault().asBoolean()).isFalse();
    JSONSchemaProps continuous = spec.getProperties().get("continuousValidation");
    assertThat(continuous.getProperties().get("enabled").getDefault().asBoolean()).isFalse();
    JSONSchemaProps interval = continuous.getProperties().get("interval");
    assertThat(interval.getDefault().asText()).isEqualTo("5m");
    assertThat(rules(interval)).containsExactly("self == '' || duration(self) >= duration('1m')");
  }

  @Test
  void statusKeepsUpstreamFieldsAndBoundsItsLists() {
    JSONSchemaProps status =
        version().getSchema().getOpenAPIV3Schema().getProperties().get("status");
    assertThat(status.getProperties())
        .containsKeys("conditions", "observedGeneration", "authMethod", "lastUpdated",
            "injectedPodCount", "uninjectedPodCount", "orphanedPodCount",
            "verifiedPodCount", "failedPodCount", "pendingPodCount");
    for (String list :
        List.of("injectedPods", "uninjectedPods", "orphanedPods", "verifiedPods", "failedPods",
            "pendingPods")) {
      assertThat(status.getProperties().get(list).getMaxItems())
          .as(list)
          .isEqualTo((long) ModelValidationStatus.MAX_LISTED_PODS);
    }
  }
}
