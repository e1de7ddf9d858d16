package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Desired state: the model, how to verify it, and how the verifier container runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelValidationSpec {

  /** Requests used when {@code spec.resources} does not set them. */
  public static final Map<String, String> DEFAULT_REQUESTS = Map.of("cpu", "100m", "memory", "128Mi");

  /** Limits used when {@code spec.resources} does not set them. */
  public static final Map<String, String> DEFAULT_LIMITS = Map.of("memory", "512Mi");

  @Required
  @JsonPropertyDescription("The model to verify and the verification options.")
  private Model model;

  @Required
  @JsonPropertyDescription("How the signature is verified. Exactly one trust method must be set.")
  private ValidationConfig config;

  @Default("Always")
  @ValidationRule(
      value = "self in ['Always', 'IfNotPresent', 'Never']",
      message = "imagePullPolicy must be Always, IfNotPresent or Never")
  @JsonPropertyDescription("Pull policy of the verifier image. Defaults to Always.")
  private String imagePullPolicy;

  @JsonPropertyDescription(
      "Resources of the verifier container. Unset requests default to cpu 100m, memory 128Mi;"
          + " an unset memory limit defaults to 512Mi.")
  private ResourceRequirements resources;

  @JsonPropertyDescription(
      "Periodic re-verification by a native sidecar (Kubernetes 1.29+) that fails its readiness"
          + " when the model no longer verifies.")
  private ContinuousValidation continuousValidation;

  @Default("true")
  @JsonPropertyDescription(
      "Mount the volumes that hold the model read-only in the workload's containers too."
          + " Defaults to true; set false only if the workload must write next to the model.")
  private Boolean readOnlyModelMounts;

  public ModelValidationSpec() {}

  public Model getModel() {
    return model;
  }

  public void setModel(Model model) {
    this.model = model;
  }

  public ValidationConfig getConfig() {
    return config;
  }

  public void setConfig(ValidationConfig config) {
    this.config = config;
  }

  public String getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(String imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public ContinuousValidation getContinuousValidation() {
    return continuousValidation;
  }

  public void setContinuousValidation(ContinuousValidation continuousValidation) {
    this.continuousValidation = continuousValidation;
  }

  public Boolean getReadOnlyModelMounts() {
    return readOnlyModelMounts;
  }

  public void setReadOnlyModelMounts(Boolean readOnlyModelMounts) {
    this.readOnlyModelMounts = readOnlyModelMounts;
  }

  /** The pull policy, {@code Always} when unset. */
  @JsonIgnore
  public String effectiveImagePullPolicy() {
    return imagePullPolicy == null || imagePullPolicy.isBlank() ? "Always" : imagePullPolicy;
  }

  /** Whether the workload's mounts of the model volumes become read-only (default true). */
  @JsonIgnore
  public boolean effectiveReadOnlyModelMounts() {
    return readOnlyModelMounts == null || readOnlyModelMounts;
  }

  /** Whether continuous validation is on. */
  @JsonIgnore
  public boolean continuousValidationEnabled() {
    return continuousValidation != null && continuousValidation.isEnabled();
  }

  /** The resources with the defaults filled in where the CR leaves them unset (a fresh object). */
  @JsonIgnore
  public ResourceRequirements effectiveResources() {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (resources != null) {
      if (resources.getRequests() != null) {
        requests.putAll(resources.getRequests());
      }
      if (resources.getLimits() != null) {
        limits.putAll(resources.getLimits());
      }
    }
    for (String key : new String[] {"cpu", "memory"}) {
      Quantity defaultRequest = new Quantity(DEFAULT_REQUESTS.get(key));
      Quantity limit = limits.get(key);
      // a request above the limit would be rejected; without a request Kubernetes uses the limit
      if (!requests.containsKey(key)
          && (limit == null
              || Quantity.getAmountInBytes(defaultRequest)
                      .compareTo(Quantity.getAmountInBytes(limit))
                  <= 0)) {
        requests.put(key, defaultRequest);
      }
    }
    if (!limits.containsKey("memory") && DEFAULT_LIMITS.containsKey("memory")) {
      Quantity request = requests.get("memory");
      Quantity defaultLimit = new Quantity(DEFAULT_LIMITS.get("memory"));
      if (request == null
          || Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(defaultLimit)) <= 0) {
        limits.put("memory", defaultLimit);
      }
    }
    ResourceRequirements out = new ResourceRequirements();
    out.setRequests(requests);
    out.setLimits(limits);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelValidationSpec that
        && Objects.equals(model, that.model)
        && Objects.equals(config, that.config)
        && Objects.equals(imagePullPolicy, that.imagePullPolicy)
        && Objects.equals(resources, that.resources)
        && Objects.equals(continuousValidation, that.continuousValidation)
        && Objects.equals(readOnlyModelMounts, that.readOnlyModelMounts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        model, config, imagePullPolicy, resources, continuousValidation, readOnlyModelMounts);
  }
}
