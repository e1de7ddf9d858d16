package dev.modelvalidation.operator.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.operator.api.ModelValidation;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Test data: ModelValidations and pods as the API server would send them. */
final class Fixtures {

  static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  static final String SIGSTORE_CONFIG =
      """
      "sigstoreConfig": {"certificateIdentity": "jane@example.com",
                         "certificateOidcIssuer": "https://accounts.google.com"}""";

  private Fixtures() {}

  /** A ModelValidation whose spec is given as JSON. */
  static ModelValidation mv(String namespace, String name, String specJson) {
    String json =
        """
        {"apiVersion": "ml.sigstore.dev/v1alpha1", "kind": "ModelValidation",
         "metadata": {"name": "%s", "namespace": "%s", "generation": 3, "uid": "u-%s"},
         "spec": %s}"""
            .formatted(name, namespace, name, specJson);
    return read(json, ModelValidation.class);
  }

  /** Model at /data/model with a Sigstore config. */
  static ModelValidation sigstore(String namespace, String name) {
    return mv(
        namespace,
        name,
        """
        {"model": {"path": "/data/model"}, "config": {%s}}"""
            .formatted(SIGSTORE_CONFIG));
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Pod pod(String json) {
    return read(json, Pod.class);
  }

  /**
   * A single-container pod mounting volume "data" at /data, with the given label value (null: no
   * label).
   */
  static String simplePod(String name, String labelValue) {
    String labels =
        labelValue == null
            ? "{\"app\": \"demo\"}"
            : "{\"app\": \"demo\", \"validation.ml.sigstore.dev/ml\": \"" + labelValue + "\"}";
    return """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "%s", "namespace": "team-a", "labels": %s},
         "spec": {
           "containers": [{"name": "app", "image": "registry.example/app:1",
                           "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
           "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "models"}}]}}"""
        .formatted(name, labels);
  }

  /** An AdmissionReview v1 request for a pod. */
  static String review(String uid, String namespace, String operation, String podJson) {
    return review(uid, namespace, operation, podJson, null);
  }

  /** An AdmissionReview v1 request for a pod, with the pod before the change (UPDATE). */
  static String review(String uid, String namespace, String operation, String podJson, String oldPodJson) {
    return review(uid, namespace, operation, podJson, oldPodJson, null);
  }

  /** An AdmissionReview v1 request for a pod or one of its subresources. */
  static String review(
      String uid, String namespace, String operation, String podJson, String oldPodJson, String subResource) {
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1");
    review.put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", uid);
    ObjectNode kind = request.putObject("kind");
    kind.put("group", "");
    kind.put("version", "v1");
    kind.put("kind", "Pod");
    ObjectNode resource = request.putObject("resource");
    resource.put("group", "");
    resource.put("version", "v1");
    resource.put("resource", "pods");
    if (subResource != null) {
      request.put("subResource", subResource);
    }
    request.put("namespace", namespace);
    request.put("operation", operation);
    request.putObject("userInfo").put("username", "system:serviceaccount:kube-system:replicaset-controller");
    request.set("object", tree(podJson));
    if (oldPodJson == null) {
      request.putNull("oldObject");
    } else {
      request.set("oldObject", tree(oldPodJson));
    }
    request.put("dryRun", false);
    try {
      return JSON.writeValueAsString(review);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A ModelValidationLookup over a map, as an informer cache would answer. */
  static final class MapLookup implements ModelValidationLookup {
    private final Map<String, ModelValidation> byKey = new ConcurrentHashMap<>();

    MapLookup add(ModelValidation mv) {
      byKey.put(mv.getMetadata().getNamespace() + "/" + mv.getMetadata().getName(), mv);
      return this;
    }

    void clear() {
      byKey.clear();
    }

    @Override
    public Optional<ModelValidation> get(String namespace, String name) {
      return Optional.ofNullable(byKey.get(namespace + "/" + name));
    }

    @Override
    public List<ModelValidation> list(String namespace) {
      List<ModelValidation> out = new ArrayList<>();
      byKey.values().stream()
          .filter(m -> namespace.equals(m.getMetadata().getNamespace()))
          .forEach(out::add);
      return out;
    }
  }
}
