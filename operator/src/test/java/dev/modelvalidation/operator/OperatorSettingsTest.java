package dev.modelvalidation.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void defaultsFollowTheConventions() {
    OperatorSettings s = OperatorSettings.fromEnvironment(Map.of(), false);
    assertThat(s.tlsMode()).isEqualTo(OperatorSettings.TlsMode.CERT_MANAGER);
    assertThat(s.certDir()).isEqualTo(Path.of("/tmp/k8s-webhook-server/serving-certs"));
    assertThat(s.webhookPort()).isEqualTo(9443);
    assertThat(s.metricsPort()).isEqualTo(8080);
    assertThat(s.healthPort()).isEqualTo(8081);
    assertThat(s.namespace()).isEqualTo("model-validation-system");
    assertThat(s.webhookConfigName()).isEqualTo("model-validation-mutating-webhook-configuration");
    assertThat(s.webhookServiceName()).isEqualTo("model-validation-webhook-service");
    assertThat(s.tlsSecretName()).isEqualTo("model-validation-webhook-server-cert");
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.verifierImage()).isEqualTo("ghcr.io/modelvalidation/model-signing:0.1.0");
    assertThat(s.local()).isFalse();
  }

  @Test
  void readsEveryVariable() {
    OperatorSettings s = OperatorSettings.fromEnvironment(Map.of(
        "MODEL_VALIDATION_TLS_MODE", "self-managed",
        "MODEL_VALIDATION_WEBHOOK_PORT", "10443",
        "MODEL_VALIDATION_NAMESPACE", "mv",
        "MODEL_VALIDATION_LEADER_ELECTION", "false",
        "MODEL_VALIDATION_CERT_DIR", "/certs",
        "MODEL_VALIDATION_CONTINUOUS_SIDECAR", "true"), false);
    assertThat(s.tlsMode()).isEqualTo(OperatorSettings.TlsMode.SELF_MANAGED);
    assertThat(s.webhookPort()).isEqualTo(10443);
    assertThat(s.namespace()).isEqualTo("mv");
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.certDir()).isEqualTo(Path.of("/certs"));
    assertThat(s.continuousSidecar()).isEqualTo("true");
  }

  @Test
  void localModeTurnsLeaderElectionOffUnlessAsked() {
    assertThat(OperatorSettings.fromEnvironment(Map.of(), true).leaderElection()).isFalse();
    assertThat(OperatorSettings.fromEnvironment(Map.of("MODEL_VALIDATION_LOCAL", "true"), false).local()).isTrue();
    assertThat(OperatorSettings.fromEnvironment(
        Map.of("MODEL_VALIDATION_LEADER_ELECTION", "true"), true).leaderElection()).isTrue();
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("MODEL_VALIDATION_TLS_MODE", "acme"), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MODEL_VALIDATION_TLS_MODE");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("MODEL_VALIDATION_METRICS_PORT", "http"), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MODEL_VALIDATION_METRICS_PORT");
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("MODEL_VALIDATION_LEADER_ELECTION", "maybe"), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MODEL_VALIDATION_LEADER_ELECTION");
  }
}
