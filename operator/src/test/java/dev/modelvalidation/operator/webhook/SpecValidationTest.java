package dev.modelvalidation.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.api.ModelValidationSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecValidationTest {

  private static ModelValidationSpec spec(String json) {
    return Fixtures.mv("ns", "x", json).getSpec();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"model\": {\"path\": \"/m\"}, \"config\": {}}"
            + " | exactly one of sigstoreConfig, pkiConfig, publicKeyConfig (or privateKeyConfig) must be set (found 0)",
        "{\"model\": {\"path\": \"/m\"}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"},"
            + " \"publicKeyConfig\": {\"keyPath\": \"/k\"}}}"
            + " | exactly one of sigstoreConfig, pkiConfig, publicKeyConfig (or privateKeyConfig) must be set (found 2)",
        "{\"model\": {\"path\": \"/m\"}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"ca.pem\"}}}"
            + " | spec.config.pkiConfig.certificateAuthority must be an absolute path",
        "{\"model\": {\"path\": \"/m//x\"}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | spec.model.path must be an absolute path without empty segments",
        "{\"model\": {\"path\": \"/m//\"}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | spec.model.path must be an absolute path without empty segments",
        "{\"model\": {\"path\": \"m/\"}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | spec.model.path must be an absolute path",
        "{\"model\": {\"path\": \"/m/../\"}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | spec.model.path must not contain . or .. segments",
        "{\"model\": {\"path\": \"/m\", \"signaturePath\": \"/m/./s\"}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | spec.model.signaturePath must not contain . or .. segments",
        "{\"model\": {\"path\": \"/m\", \"ignorePaths\": [\"../etc\"]}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | spec.model.ignorePaths entry '../etc' must not contain . or .. segments",
        "{\"model\": {\"path\": \"/m\"}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"},"
            + " \"clientTrustConfig\": {\"trustConfigPath\": \"/t\"}}}"
            + " | clientTrustConfig applies only to sigstoreConfig",
        "{\"model\": {\"path\": \"/m\"}, \"config\": {\"sigstoreConfig\": {\"certificateIdentity\": \"a\"}}}"
            + " | spec.config.sigstoreConfig needs certificateIdentity and certificateOidcIssuer",
        "{\"model\": {\"path\": \"/m\"}, \"imagePullPolicy\": \"Sometimes\", \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | spec.imagePullPolicy must be Always, IfNotPresent or Never",
        "{\"model\": {\"path\": \"/m\"}, \"continuousValidation\": {\"enabled\": true, \"interval\": \"30s\"},"
            + " \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | spec.continuousValidation.interval must be at least 1m",
        "{\"model\": {\"path\": \"/m\"}, \"continuousValidation\": {\"enabled\": true, \"interval\": \"soon\"},"
            + " \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | continuousValidation.interval 'soon' is not a duration",
        "{\"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}} | spec.model.path is required",
        "{\"model\": {\"path\": \"/m\", \"ignorePaths\": [null]}, \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}"
            + " | spec.model.ignorePaths must not contain empty entries",
      })
  void reportsTheFirstProblem(String json, String expected) {
    assertThat(SpecValidation.firstProblem(spec(json))).get().asString().startsWith(expected);
  }

  private static final java.nio.file.Path KEYS = java.nio.file.Path.of("../examples/keys");

  private static String withConfig(String config) {
    return "{\"model\": {\"path\": \"/m\"}, \"config\": {" + config + "}}";
  }

  private static String quoted(String text) throws Exception {
    return Fixtures.JSON.writeValueAsString(text);
  }

  /** Trust material held by the ModelValidation itself must read as the verifier reads it. */
  @Test
  void trustMaterialInTheSpecIsCheckedAsTheVerifierReadsIt() throws Exception {
    String key = java.nio.file.Files.readString(KEYS.resolve("signing-key.pub"));
    assertThat(SpecValidation.firstProblem(spec(withConfig("\"publicKeyConfig\": {\"keyData\": " + quoted(key) + "}"))))
        .isEmpty();
    assertThat(SpecValidation.firstProblem(spec(withConfig(
            "\"publicKeyConfig\": {\"keyData\": " + quoted(key) + ", \"keyPath\": \"/k.pem\"}"))))
        .hasValue("spec.config.publicKeyConfig needs exactly one of keyPath and keyData");
    assertThat(SpecValidation.firstProblem(spec(withConfig("\"privateKeyConfig\": {}"))))
        .hasValue("spec.config.privateKeyConfig needs exactly one of keyPath and keyData");
    assertThat(SpecValidation.firstProblem(spec(withConfig("\"publicKeyConfig\": {\"keyData\": \"not a key\"}"))))
        .get().asString().startsWith("spec.config.publicKeyConfig.keyData is not usable: ");
    // a private key is not a public key
    String privateKey = java.nio.file.Files.readString(KEYS.resolve("signing-key.pem"));
    assertThat(SpecValidation.firstProblem(spec(withConfig(
            "\"publicKeyConfig\": {\"keyData\": " + quoted(privateKey) + "}"))))
        .get().asString().startsWith("spec.config.publicKeyConfig.keyData is not usable: ");
    assertThat(SpecValidation.firstProblem(spec(withConfig(
            "\"pkiConfig\": {\"certificateAuthorityData\": " + quoted(key) + "}"))))
        .get().asString().startsWith("spec.config.pkiConfig.certificateAuthorityData is not usable: ")
        .contains("No PEM certificate");
    assertThat(SpecValidation.firstProblem(spec(withConfig(Fixtures.SIGSTORE_CONFIG
            + ", \"clientTrustConfig\": {\"trustConfigData\": \"{}\"}"))))
        .get().asString().startsWith("spec.config.clientTrustConfig.trustConfigData is not usable: ");
  }

  /**
   * The data reaches the verifier as an environment variable, which Linux caps at 128 KiB: the CRD's maxLength counts
   * characters, so text whose UTF-8 is longer than the limit is refused here, before a pod could fail to start.
   */
  @Test
  void trustMaterialLongerInUtf8ThanAnEnvironmentVariableMayBeIsRefused() throws Exception {
    String json = "{\"comment\": \"" + "é".repeat(60_000) + "\"}"; // 60,015 characters, 120,015 bytes
    assertThat(json.length()).isLessThan(dev.modelvalidation.operator.api.ClientTrustConfig.MAX_TRUST_CONFIG_DATA);
    assertThat(SpecValidation.firstProblem(spec(withConfig(Fixtures.SIGSTORE_CONFIG
            + ", \"clientTrustConfig\": {\"trustConfigData\": " + quoted(json) + "}"))))
        .hasValue("spec.config.clientTrustConfig.trustConfigData is 120015 bytes of UTF-8, more than the 120000 it"
            + " may hold");
  }

  @Test
  void acceptsEachTrustMethodAndNamesIt() {
    Map<String, String> configs =
        Map.of(
            "sigstore", "{" + Fixtures.SIGSTORE_CONFIG + "}",
            "pki", "{\"pkiConfig\": {\"certificateAuthority\": \"/ca.pem\"}}",
            "public-key", "{\"publicKeyConfig\": {\"keyPath\": \"/k.pem\"}}");
    configs.forEach((method, config) -> {
      ModelValidationSpec s = spec("{\"model\": {\"path\": \"/m\"}, \"config\": " + config + "}");
      assertThat(SpecValidation.firstProblem(s)).isEmpty();
      assertThat(SpecValidation.authMethod(s.getConfig())).isEqualTo(method);
    });
    ModelValidationSpec legacy =
        spec("{\"model\": {\"path\": \"/m\"}, \"config\": {\"privateKeyConfig\": {\"keyPath\": \"/k.pem\"}}}");
    assertThat(SpecValidation.firstProblem(legacy)).isEmpty();
    assertThat(SpecValidation.authMethod(legacy.getConfig())).isEqualTo("public-key");
    assertThat(legacy.getConfig().effectivePublicKeyConfig().getKeyPath()).isEqualTo("/k.pem");
  }

  @Test
  void intervalsParseLikeGoDurations() {
    ModelValidationSpec s =
        spec("{\"model\": {\"path\": \"/m\"}, \"continuousValidation\": {\"enabled\": true, \"interval\": \"1h30m\"},"
            + " \"config\": {\"pkiConfig\": {\"certificateAuthority\": \"/ca\"}}}");
    assertThat(s.getContinuousValidation().intervalDuration()).hasSeconds(5400);
    assertThat(new dev.modelvalidation.operator.api.ContinuousValidation(true, null).intervalDuration())
        .hasMinutes(5);
    assertThat(new dev.modelvalidation.operator.api.ContinuousValidation(true, "1.5m").intervalDuration())
        .hasSeconds(90);
  }

  @Test
  void configHashFollowsTheSpecOnly() {
    ModelValidation a = Fixtures.sigstore("ns", "a");
    ModelValidation sameSpec = Fixtures.sigstore("other", "b");
    assertThat(ConfigHash.of(a.getSpec())).hasSize(16).isEqualTo(ConfigHash.of(sameSpec.getSpec()));
    ModelValidation otherIdentity =
        Fixtures.mv("ns", "a",
            Fixtures.JSON.valueToTree(a.getSpec()).toString().replace("jane@", "john@"));
    assertThat(ConfigHash.of(otherIdentity.getSpec())).isNotEqualTo(ConfigHash.of(a.getSpec()));
  }

  @Test
  void sidecarSupportResolvesFromTheServerVersion() {
    assertThat(SidecarSupport.parse(null)).isEqualTo(SidecarSupport.AUTO);
    assertThat(SidecarSupport.parse("TRUE")).isEqualTo(SidecarSupport.ENABLED);
    assertThat(SidecarSupport.parse("false")).isEqualTo(SidecarSupport.DISABLED);
    assertThatThrownBy(() -> SidecarSupport.parse("yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MODEL_VALIDATION_CONTINUOUS_SIDECAR");
    assertThat(SidecarSupport.AUTO.resolve("1", "28")).isFalse();
    assertThat(SidecarSupport.AUTO.resolve("1", "29+")).isTrue();
    assertThat(SidecarSupport.AUTO.resolve("1", "33")).isTrue();
    assertThat(SidecarSupport.AUTO.resolve(null, null)).isFalse();
    assertThat(SidecarSupport.ENABLED.resolve("1", "28")).isTrue();
    assertThat(SidecarSupport.DISABLED.resolve("1", "33")).isFalse();
  }

  @Test
  void settingsFromTheEnvironment() {
    WebhookSettings s =
        WebhookSettings.fromEnvironment(
            Map.of("MODEL_VALIDATION_VERIFIER_IMAGE", "registry.local/verifier:2",
                "MODEL_VALIDATION_NAMESPACE", "mv-ops",
                "MODEL_VALIDATION_CONTINUOUS_SIDECAR", "auto"),
            "1", "30");
    assertThat(s.verifierImage()).isEqualTo("registry.local/verifier:2");
    assertThat(s.operatorNamespace()).isEqualTo("mv-ops");
    assertThat(s.nativeSidecars()).isTrue();
    WebhookSettings d = WebhookSettings.fromEnvironment(Map.of(), "1", "28");
    assertThat(d).isEqualTo(WebhookSettings.defaults(false));
  }
}
