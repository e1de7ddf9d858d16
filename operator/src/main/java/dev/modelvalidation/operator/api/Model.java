package dev.modelvalidation.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** The model inside the pod and the options the verifier uses to hash it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Model {

  /**
   * An absolute path without empty segments; one trailing slash is allowed (upstream manifests write directories as
   * {@code /models/llama/}) and removed wherever the path is used ({@link #trimTrailingSlash}).
   */
  public static final String ABSOLUTE_PATH_PATTERN = "^/([^/]+(/[^/]+)*/?)?$";

  /** Longest path accepted (keeps the CEL cost estimate of the path rules small). */
  public static final int MAX_PATH_LENGTH = 4096;

  /** CEL rule on a path field: no "." or ".." segment. */
  public static final String NO_DOT_SEGMENTS_RULE =
      "!self.contains('/../') && !self.endsWith('/..') && !self.contains('/./')"
          + " && !self.endsWith('/.')";

  /** Message of {@link #NO_DOT_SEGMENTS_RULE}. */
  public static final String NO_DOT_SEGMENTS_MESSAGE = "path must not contain . or .. segments";

  @Required
  @Pattern(ABSOLUTE_PATH_PATTERN)
  @Size(max = MAX_PATH_LENGTH)
  @ValidationRule(value = NO_DOT_SEGMENTS_RULE, message = NO_DOT_SEGMENTS_MESSAGE)
  @JsonPropertyDescription(
      "Absolute path of the model (a directory or a single file) inside the workload's containers.")
  private String path;

  @Pattern(ABSOLUTE_PATH_PATTERN)
  @Size(max = MAX_PATH_LENGTH)
  @ValidationRule(value = NO_DOT_SEGMENTS_RULE, message = NO_DOT_SEGMENTS_MESSAGE)
  @JsonPropertyDescription("Absolute path of the signature bundle. Defaults to <path>/model.sig.")
  private String signaturePath;

  @Size(max = 256)
  @JsonPropertyDescription(
      "Paths to leave out of verification: absolute, or relative to the model path;"
          + " no . or .. segments.")
  private List<String> ignorePaths;

  @Default("true")
  @JsonPropertyDescription("Ignore .git, .gitattributes, .github and .gitignore. Defaults to true.")
  private Boolean ignoreGitPaths;

  @Default("false")
  @JsonPropertyDescription("Accept files in the model that the signature does not cover.")
  private Boolean ignoreUnsignedFiles;

  @Default("false")
  @JsonPropertyDescription("Follow symbolic links inside the model (needed if it was signed so).")
  private Boolean allowSymlinks;

  public Model() {}

  public Model(String path) {
    this.path = path;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getSignaturePath() {
    return signaturePath;
  }

  public void setSignaturePath(String signaturePath) {
    this.signaturePath = signaturePath;
  }

  public List<String> getIgnorePaths() {
    return ignorePaths;
  }

  public void setIgnorePaths(List<String> ignorePaths) {
    // not List.copyOf: a null entry must reach SpecValidation, not fail deserialization
    this.ignorePaths =
        ignorePaths == null ? null : Collections.unmodifiableList(new ArrayList<>(ignorePaths));
  }

  public Boolean getIgnoreGitPaths() {
    return ignoreGitPaths;
  }

  public void setIgnoreGitPaths(Boolean ignoreGitPaths) {
    this.ignoreGitPaths = ignoreGitPaths;
  }

  public Boolean getIgnoreUnsignedFiles() {
    return ignoreUnsignedFiles;
  }

  public void setIgnoreUnsignedFiles(Boolean ignoreUnsignedFiles) {
    this.ignoreUnsignedFiles = ignoreUnsignedFiles;
  }

  public Boolean getAllowSymlinks() {
    return allowSymlinks;
  }

  public void setAllowSymlinks(Boolean allowSymlinks) {
    this.allowSymlinks = allowSymlinks;
  }

  /** The model path without a trailing slash ({@code /} stays {@code /}). */
  @JsonIgnore
  public String effectivePath() {
    return trimTrailingSlash(path);
  }

  /** The signature path without a trailing slash, {@code <path>/model.sig} when unset. */
  @JsonIgnore
  public String effectiveSignaturePath() {
    if (signaturePath != null && !signaturePath.isBlank()) {
      return trimTrailingSlash(signaturePath);
    }
    return path.endsWith("/") ? path + "model.sig" : path + "/model.sig";
  }

  /** {@code path} without trailing slashes; {@code /} and null stay as they are. */
  public static String trimTrailingSlash(String path) {
    if (path == null) {
      return null;
    }
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Model that
        && Objects.equals(path, that.path)
        && Objects.equals(signaturePath, that.signaturePath)
        && Objects.equals(ignorePaths, that.ignorePaths)
        && Objects.equals(ignoreGitPaths, that.ignoreGitPaths)
        && Objects.equals(ignoreUnsignedFiles, that.ignoreUnsignedFiles)
        && Objects.equals(allowSymlinks, that.allowSymlinks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        path, signaturePath, ignorePaths, ignoreGitPaths, ignoreUnsignedFiles, allowSymlinks);
  }
}
