package dev.modelvalidation.operator.controller;

import static dev.modelvalidation.operator.controller.TestObjects.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.deploy.RbacRules;
import dev.modelvalidation.operator.metrics.WebhookMetrics;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {

  KubernetesClient client;
  KubernetesMockServer server;

  /** What config/rbac/leader_election_role.yaml grants. */
  static final String[] LEASE_VERBS = {"get", "create", "update", "patch"};

  @Test
  void theLeaderHoldsTheLeaseAndReconciles() throws Exception {
    TestObjects.installCrd(client);
    // JOSDK checks its lease permissions with a SelfSubjectRulesReview, which the CRUD mock cannot answer
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder()
            .withNewMetadata().endMetadata()
            .withNewSpec().withNamespace("model-validation-system").endSpec()
            .withNewStatus().withIncomplete(false)
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
            .withVerbs(LEASE_VERBS).endResourceRule()
            .endStatus().build())
        .always();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
        .withName("model-validation-system").endMetadata().build()).create();
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .checkingCRDAndValidateLocalModel(false)
        .withUseSSAToPatchPrimaryResource(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false)
        .withLeaderElectionConfiguration(new LeaderElectionConfiguration(
            "model-validation-operator-leader", "model-validation-system",
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
            "replica-1", new LeaderCallbacks(() -> {}, () -> {}, id -> {}), false)));
    operator.register(new ModelValidationReconciler(Clock.systemUTC(), WebhookMetrics.NONE, 20));
    operator.start();
    try {
      client.resources(ModelValidation.class).inNamespace("a").resource(TestObjects.sigstore("a", "mv")).create();
      await("reconciled by the leader", () -> {
        ModelValidation mv = client.resources(ModelValidation.class).inNamespace("a").withName("mv").get();
        return mv.getStatus() != null && mv.getStatus().getConditions() != null;
      });
      var lease = client.leases().inNamespace("model-validation-system")
          .withName("model-validation-operator-leader").get();
      assertThat(lease).isNotNull();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-1");
      // JOSDK starts with only these verbs (its startup check above), and fabric8's LeaseLock uses no others
      RbacRules role = RbacRules.of("config/rbac/leader_election_role.yaml");
      for (String verb : LEASE_VERBS) {
        assertThat(role.allows("coordination.k8s.io", "leases", "model-validation-operator-leader", verb)).isTrue();
      }
      assertThat(role.assertGranted(server, "leases")).contains("get", "create").doesNotContain("list", "watch");
    } finally {
      operator.stop();
    }
  }
}
