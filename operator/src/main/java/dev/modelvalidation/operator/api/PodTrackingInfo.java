package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** One pod in a status list. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodTrackingInfo {

  @Required
  @JsonPropertyDescription("Pod name.")
  private String name;

  @Required
  @JsonPropertyDescription("Pod UID.")
  private String uid;

  @JsonPropertyDescription("When the verifier was injected (RFC 3339).")
  private String injectedAt;

  @JsonPropertyDescription("Why the pod is in this list, e.g. the verifier's termination message.")
  private String message;

  public PodTrackingInfo() {}

  public PodTrackingInfo(String name, String uid, String injectedAt, String message) {
    this.name = name;
    this.uid = uid;
    this.injectedAt = injectedAt;
    this.message = message;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  public String getInjectedAt() {
    return injectedAt;
  }

  public void setInjectedAt(String injectedAt) {
    this.injectedAt = injectedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodTrackingInfo that
        && Objects.equals(name, that.name)
        && Objects.equals(uid, that.uid)
        && Objects.equals(injectedAt, that.injectedAt)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, uid, injectedAt, message);
  }
}
