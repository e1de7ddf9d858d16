package dev.modelvalidation.operator.controller;

import static dev.modelvalidation.operator.controller.TestObjects.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.operator.api.ModelValidation;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class InformerLookupTest {

  KubernetesClient client;

  @Test
  void findsModelValidationsFromTheCache() throws Exception {
    TestObjects.installCrd(client);
    var mvs = client.resources(ModelValidation.class);
    mvs.inNamespace("a").resource(TestObjects.sigstore("a", "one")).create();
    mvs.inNamespace("a").resource(TestObjects.sigstore("a", "two")).create();
    mvs.inNamespace("b").resource(TestObjects.sigstore("b", "one")).create();

    try (InformerModelValidationLookup lookup = InformerModelValidationLookup.start(client)) {
      await("cache synced", lookup::hasSynced);
      assertThat(lookup.get("a", "two")).get()
          .satisfies(mv -> assertThat(mv.getSpec().getModel().getPath()).isEqualTo("/data/model"));
      assertThat(lookup.get("a", "three")).isEmpty();
      assertThat(lookup.list("a")).extracting(mv -> mv.getMetadata().getName())
          .containsExactlyInAnyOrder("one", "two");
      assertThat(lookup.list("b")).hasSize(1);
      assertThat(lookup.list("c")).isEmpty();

      // a CR created later appears without any API call by the lookup
      mvs.inNamespace("c").resource(TestObjects.sigstore("c", "late")).create();
      await("new CR cached", () -> lookup.get("c", "late").isPresent());
      mvs.inNamespace("a").withName("one").delete();
      await("deleted CR gone", () -> lookup.get("a", "one").isEmpty());
    }
  }

  @Test
  void namespaceLabelsComeFromTheCache() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("quiet")
        .addToLabels("validation.ml.sigstore.dev/ignore", "true").endMetadata().build()).create();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("plain")
        .endMetadata().build()).create();

    try (InformerNamespaceLookup lookup = InformerNamespaceLookup.start(client)) {
      await("cache synced", lookup::hasSynced);
      assertThat(lookup.labels("quiet")).get()
          .satisfies(l -> assertThat(l).containsEntry("validation.ml.sigstore.dev/ignore", "true"));
      assertThat(lookup.labels("plain")).get().satisfies(l -> assertThat(l).isEmpty());
      assertThat(lookup.labels("missing")).isEmpty();
    }
  }
}
