package dev.modelvalidation.operator.webhook;

/** Names shared by the webhook, the controller, the deployment files and the docs. */
public final class WebhookConstants {

  /** Prefix of every label and annotation the operator reads or writes. */
  public static final String PREFIX = "validation.ml.sigstore.dev/";

  /** Pod label: the ModelValidation to enforce, or {@code "true"} for the only one in the namespace. */
  public static final String POD_LABEL = PREFIX + "ml";

  /** Label value (upstream's first release) meaning "the only ModelValidation in the namespace". */
  public static final String POD_LABEL_ONLY_ONE = "true";

  /** Namespace label: {@code "true"} means the webhook never touches the namespace's pods. */
  public static final String NAMESPACE_IGNORE_LABEL = PREFIX + "ignore";

  /** Pod annotation: the ModelValidation's name. */
  public static final String ANNOTATION_MODEL_VALIDATION = PREFIX + "model-validation";

  /** Pod annotation: the ModelValidation's metadata.generation at injection. */
  public static final String ANNOTATION_GENERATION = PREFIX + "generation";

  /** Pod annotation: {@link ConfigHash} of the ModelValidation's spec at injection. */
  public static final String ANNOTATION_CONFIG_HASH = PREFIX + "config-hash";

  /** Pod annotation: RFC 3339 time of injection. */
  public static final String ANNOTATION_INJECTED_AT = PREFIX + "injected-at";

  /** Pod annotation: who injected (the operator's name). */
  public static final String ANNOTATION_INJECTED_BY = PREFIX + "injected-by";

  /**
   * Pod annotation: how the model is re-verified while the pod runs: {@code sidecar} (native sidecar
   * {@link #WATCH_CONTAINER}), or {@code unsupported} when the CR asks for it but native sidecars are
   * off for this cluster (then only the one-shot init container verifies).
   */
  public static final String ANNOTATION_CONTINUOUS_VALIDATION = PREFIX + "continuous-validation";

  /** The one-shot verifier init container. */
  public static final String VERIFIER_CONTAINER = "model-validation";

  /** The continuous-validation native sidecar (an init container with restartPolicy Always). */
  public static final String WATCH_CONTAINER = "model-validation-watch";

  /** The emptyDir volume where the sidecar keeps its ready file. */
  public static final String WATCH_STATUS_VOLUME = "model-validation-status";

  /** Where {@link #WATCH_STATUS_VOLUME} is mounted in the sidecar. */
  public static final String WATCH_STATUS_DIR = "/var/run/model-validation";

  /** The sidecar's ready file: present while the last verification succeeded. */
  public static final String WATCH_READY_FILE = WATCH_STATUS_DIR + "/ready";

  /** Environment variables of the injected containers holding a ModelValidation's own trust material. */
  public static final String ENV_PUBLIC_KEY = "MODEL_VALIDATION_PUBLIC_KEY";

  public static final String ENV_CA_CERTIFICATES = "MODEL_VALIDATION_CA_CERTIFICATES";
  public static final String ENV_TRUST_CONFIG = "MODEL_VALIDATION_TRUST_CONFIG";

  /** The verifier's executable. */
  public static final String VERIFIER_COMMAND = "model-signing";

  /** The webhook's HTTP path. */
  public static final String MUTATE_PATH = "/mutate-v1-pod";

  /** Default operator namespace. */
  public static final String DEFAULT_OPERATOR_NAMESPACE = "model-validation-system";

  /** Default verifier image. */
  public static final String DEFAULT_VERIFIER_IMAGE = "ghcr.io/modelvalidation/model-signing:0.1.0";

  /** Value of {@link #ANNOTATION_INJECTED_BY}. */
  public static final String DEFAULT_INJECTED_BY = "model-validation-operator";

  private WebhookConstants() {}
}
