package dev.modelvalidation.operator.controller;

import dev.modelvalidation.operator.api.Model;
import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.api.ModelValidationSpec;
import dev.modelvalidation.operator.api.PkiConfig;
import dev.modelvalidation.operator.api.SigstoreConfig;
import dev.modelvalidation.operator.api.ValidationConfig;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Resources for the controller tests. */
final class TestObjects {

  private TestObjects() {}

  /** Registers the generated CRD with the (mock) API server. */
  static void installCrd(KubernetesClient client) throws Exception {
    try (InputStream in =
        TestObjects.class.getResourceAsStream("/META-INF/fabric8/modelvalidations.ml.sigstore.dev-v1.yml")) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  static ModelValidation sigstore(String namespace, String name) {
    ValidationConfig config = new ValidationConfig();
    config.setSigstoreConfig(new SigstoreConfig("jane@example.com", "https://accounts.google.com"));
    return mv(namespace, name, new Model("/data/model"), config);
  }

  static ModelValidation mv(String namespace, String name, Model model, ValidationConfig config) {
    ModelValidation mv = new ModelValidation();
    mv.getMetadata().setName(name);
    mv.getMetadata().setNamespace(namespace);
    ModelValidationSpec spec = new ModelValidationSpec();
    spec.setModel(model);
    spec.setConfig(config);
    mv.setSpec(spec);
    return mv;
  }

  /** Both sigstore and PKI: two trust methods. */
  static ModelValidation twoMethods(String namespace, String name) {
    ModelValidation mv = sigstore(namespace, name);
    mv.getSpec().getConfig().setPkiConfig(new PkiConfig("/keys/ca.pem"));
    return mv;
  }

  /**
   * A pod labelled for {@code mvName}, injected (init container model-validation) with the given
   * verifier status (null: not started yet).
   */
  static Pod injectedPod(String namespace, String name, String mvName, ContainerStatus verifier) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("validation.ml.sigstore.dev/ml", mvName)
            .addToAnnotations("validation.ml.sigstore.dev/model-validation", mvName)
            .addToAnnotations("validation.ml.sigstore.dev/injected-at", "2026-11-23T10:00:00Z")
            .endMetadata()
            .withNewSpec()
            .addNewInitContainer().withName("model-validation").withImage("verifier").endInitContainer()
            .addNewContainer().withName("app").withImage("app").endContainer()
            .endSpec();
    if (verifier != null) {
      b.withNewStatus().withPhase("Pending").withInitContainerStatuses(verifier).endStatus();
    }
    return b.build();
  }

  static Pod uninjectedPod(String namespace, String name, String labelValue) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels("validation.ml.sigstore.dev/ml", labelValue)
        .endMetadata()
        .withNewSpec()
        .addNewContainer().withName("app").withImage("app").endContainer()
        .endSpec()
        .build();
  }

  static ContainerStatus exited(int code, String message) {
    return new ContainerStatusBuilder()
        .withName("model-validation")
        .withImage("verifier")
        .withImageID("")
        .withReady(false)
        .withRestartCount(0)
        .withNewState()
        .withNewTerminated()
        .withExitCode(code)
        .withMessage(message)
        .withReason(code == 0 ? "Completed" : "Error")
        .endTerminated()
        .endState()
        .build();
  }

  static ContainerStatus running() {
    return new ContainerStatusBuilder()
        .withName("model-validation")
        .withImage("verifier")
        .withImageID("")
        .withReady(false)
        .withRestartCount(0)
        .withNewState().withNewRunning().endRunning().endState()
        .build();
  }

  /** Waits (bounded) until the condition holds; fails with the message otherwise. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  static List<String> names(List<dev.modelvalidation.operator.api.PodTrackingInfo> infos) {
    return infos == null ? List.of() : infos.stream().map(i -> i.getName()).toList();
  }
}
