package dev.modelvalidation.operator;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's settings, read from {@code MODEL_VALIDATION_*} environment variables (every one has a
 * default; see {@link #fromEnvironment(Map, boolean)}).
 *
 * @param verifierImage image of the injected verifier
 * @param tlsMode where the webhook's serving certificate comes from
 * @param certDir directory with {@code tls.crt} / {@code tls.key} (cert-manager mode)
 * @param webhookPort HTTPS port of the admission webhook
 * @param metricsPort HTTP port of {@code /metrics}
 * @param healthPort HTTP port of {@code /healthz} and {@code /readyz}
 * @param namespace the operator's namespace (leader-election lease, TLS secret)
 * @param webhookConfigName the MutatingWebhookConfiguration whose caBundle is managed (self-managed)
 * @param webhookServiceName the webhook Service (DNS names of the self-managed certificate)
 * @param tlsSecretName the Secret holding the self-managed certificate
 * @param leaderElection whether only the leader reconciles
 * @param continuousSidecar {@code auto}, {@code true} or {@code false} (passed to the webhook)
 * @param local development mode: current kubeconfig, webhook on https://localhost with a generated
 *     self-signed certificate
 */
public record OperatorSettings(
    String verifierImage,
    TlsMode tlsMode,
    Path certDir,
    int webhookPort,
    int metricsPort,
    int healthPort,
    String namespace,
    String webhookConfigName,
    String webhookServiceName,
    String tlsSecretName,
    boolean leaderElection,
    String continuousSidecar,
    boolean local) {

  public static final String DEFAULT_VERIFIER_IMAGE = "ghcr.io/modelvalidation/model-signing:0.1.0";
  public static final String DEFAULT_NAMESPACE = "model-validation-system";
  public static final Path DEFAULT_CERT_DIR = Path.of("/tmp/k8s-webhook-server/serving-certs");
  public static final String DEFAULT_WEBHOOK_CONFIG_NAME =
      "model-validation-mutating-webhook-configuration";
  public static final String DEFAULT_WEBHOOK_SERVICE_NAME = "model-validation-webhook-service";
  public static final String DEFAULT_TLS_SECRET_NAME = "model-validation-webhook-server-cert";
  /** Name of the leader-election Lease in the operator namespace. */
  public static final String LEASE_NAME = "model-validation-operator-leader";

  /** Where the webhook's serving certificate comes from. */
  public enum TlsMode {
    /** {@code tls.crt}/{@code tls.key} files in the cert dir (mounted cert-manager secret), reloaded. */
    CERT_MANAGER("cert-manager"),
    /** The operator creates CA + certificate, keeps them in a Secret and patches the caBundle. */
    SELF_MANAGED("self-managed"),
    /** No webhook server at all. */
    NONE("none");

    private final String value;

    TlsMode(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }

    static TlsMode parse(String text) {
      for (TlsMode m : values()) {
        if (m.value.equals(text.trim().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "MODEL_VALIDATION_TLS_MODE must be cert-manager, self-managed or none, not '" + text + "'");
    }
  }

  public OperatorSettings {
    Objects.requireNonNull(verifierImage, "verifierImage");
    Objects.requireNonNull(tlsMode, "tlsMode");
    Objects.requireNonNull(certDir, "certDir");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(webhookConfigName, "webhookConfigName");
    Objects.requireNonNull(webhookServiceName, "webhookServiceName");
    Objects.requireNonNull(tlsSecretName, "tlsSecretName");
    Objects.requireNonNull(continuousSidecar, "continuousSidecar");
  }

  /**
   * Reads the settings from the environment.
   *
   * @param env the environment ({@code System.getenv()})
   * @param localFlag {@code --local} was given ({@code MODEL_VALIDATION_LOCAL=true} does the same)
   * @throws IllegalArgumentException naming the variable, for a malformed value
   */
  public static OperatorSettings fromEnvironment(Map<String, String> env, boolean localFlag) {
    boolean local = localFlag || bool(env, "MODEL_VALIDATION_LOCAL", false);
    TlsMode mode = TlsMode.parse(text(env, "MODEL_VALIDATION_TLS_MODE", "cert-manager"));
    String sidecar = text(env, "MODEL_VALIDATION_CONTINUOUS_SIDECAR", "auto").toLowerCase(Locale.ROOT);
    if (!sidecar.equals("auto") && !sidecar.equals("true") && !sidecar.equals("false")) {
      throw new IllegalArgumentException(
          "MODEL_VALIDATION_CONTINUOUS_SIDECAR must be auto, true or false, not '" + sidecar + "'");
    }
    return new OperatorSettings(
        text(env, "MODEL_VALIDATION_VERIFIER_IMAGE", DEFAULT_VERIFIER_IMAGE),
        mode,
        Path.of(text(env, "MODEL_VALIDATION_CERT_DIR", DEFAULT_CERT_DIR.toString())),
        port(env, "MODEL_VALIDATION_WEBHOOK_PORT", 9443),
        port(env, "MODEL_VALIDATION_METRICS_PORT", 8080),
        port(env, "MODEL_VALIDATION_HEALTH_PORT", 8081),
        text(env, "MODEL_VALIDATION_NAMESPACE", DEFAULT_NAMESPACE),
        text(env, "MODEL_VALIDATION_WEBHOOK_CONFIG_NAME", DEFAULT_WEBHOOK_CONFIG_NAME),
        text(env, "MODEL_VALIDATION_WEBHOOK_SERVICE_NAME", DEFAULT_WEBHOOK_SERVICE_NAME),
        text(env, "MODEL_VALIDATION_TLS_SECRET_NAME", DEFAULT_TLS_SECRET_NAME),
        bool(env, "MODEL_VALIDATION_LEADER_ELECTION", !local),
        sidecar,
        local);
  }

  private static String text(Map<String, String> env, String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    String v = text(env, name, "");
    if (v.isEmpty()) {
      return fallback;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, not '" + v + "'");
    };
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String v = text(env, name, "");
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      int p = Integer.parseInt(v);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(name + " must be a port number 1-65535, not '" + v + "'");
  }
}
