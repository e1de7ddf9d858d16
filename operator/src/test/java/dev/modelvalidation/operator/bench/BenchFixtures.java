package dev.modelvalidation.operator.bench;

import dev.modelvalidation.operator.api.Model;
import dev.modelvalidation.operator.api.ModelValidation;
import dev.modelvalidation.operator.api.ModelValidationSpec;
import dev.modelvalidation.operator.api.SigstoreConfig;
import dev.modelvalidation.operator.api.ValidationConfig;
import dev.modelvalidation.operator.webhook.ModelValidationLookup;
import java.util.List;
import java.util.Optional;

/** One ModelValidation held in memory and AdmissionReview requests for pods that use it. */
public final class BenchFixtures {

  public static final String NAMESPACE = "team-a";
  public static final String MV_NAME = "bert";

  private BenchFixtures() {}

  /** A Sigstore ModelValidation for /data/model. */
  public static ModelValidation modelValidation() {
    ModelValidation mv = new ModelValidation();
    mv.getMetadata().setName(MV_NAME);
    mv.getMetadata().setNamespace(NAMESPACE);
    mv.getMetadata().setGeneration(1L);
    mv.getMetadata().setUid("0b7c7c1e-1111-4222-8333-944455556666");
    ModelValidationSpec spec = new ModelValidationSpec();
    spec.setModel(new Model("/data/model"));
    ValidationConfig config = new ValidationConfig();
    config.setSigstoreConfig(new SigstoreConfig("jane@example.com", "https://accounts.google.com"));
    spec.setConfig(config);
    mv.setSpec(spec);
    return mv;
  }

  /** A lookup answering with just {@link #modelValidation()}. */
  public static ModelValidationLookup lookup() {
    ModelValidation mv = modelValidation();
    return new ModelValidationLookup() {
      @Override
      public Optional<ModelValidation> get(String namespace, String name) {
        return NAMESPACE.equals(namespace) && MV_NAME.equals(name) ? Optional.of(mv) : Optional.empty();
      }

      @Override
      public List<ModelValidation> list(String namespace) {
        return NAMESPACE.equals(namespace) ? List.of(mv) : List.of();
      }
    };
  }

  /**
   * An AdmissionReview v1 CREATE request for a pod (a typical Deployment pod: one container, the
   * model on a PVC mounted at /data), labelled for {@code labelValue} (null: unlabelled).
   */
  public static String review(String uid, String podName, String labelValue) {
    String labels = labelValue == null
        ? "{\"app\": \"demo\"}"
        : "{\"app\": \"demo\", \"validation.ml.sigstore.dev/ml\": \"" + labelValue + "\"}";
    return """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "%s",
           "kind": {"group": "", "version": "v1", "kind": "Pod"},
           "resource": {"group": "", "version": "v1", "resource": "pods"},
           "namespace": "%s", "operation": "CREATE",
           "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller"},
           "object": {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"generateName": "%s-", "namespace": "%s", "labels": %s},
             "spec": {
               "containers": [{"name": "app", "image": "registry.example/app:1",
                 "resources": {"requests": {"cpu": "1", "memory": "1Gi"}},
                 "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
               "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "models"}}]}},
           "oldObject": null, "dryRun": false}}"""
        .formatted(uid, NAMESPACE, podName, NAMESPACE, labels);
  }
}
