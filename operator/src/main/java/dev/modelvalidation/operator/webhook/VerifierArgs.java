package dev.modelvalidation.operator.webhook;

import dev.modelvalidation.operator.api.Model;
import dev.modelvalidation.operator.api.ModelValidationSpec;
import dev.modelvalidation.operator.api.ValidationConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the injected containers (command {@code model-signing}).
 *
 * <p>One-shot verification (init container {@code model-validation}), a drop-in for Python
 * model_signing's CLI:
 *
 * <pre>
 * verify &lt;sigstore|key|certificate&gt; --signature &lt;sig&gt; [method flags]
 *        [--ignore-paths P]... [--no-ignore-git-paths] [--ignore-unsigned-files] [--allow-symlinks]
 *        &lt;model path&gt;
 * </pre>
 *
 * with method flags {@code --identity I --identity-provider U [--trust-config P]} (sigstore), {@code
 * --public-key P} (key) or {@code --certificate-chain P} (certificate). Trust material the ModelValidation holds
 * itself is passed in an environment variable ({@link #environment}) named by {@code --trust-config-env}, {@code
 * --public-key-env} or {@code --certificate-chain-env} instead. Relative ignore paths are
 * resolved against the model path, because the CLI resolves them against its working directory.
 *
 * <p>Continuous validation (native sidecar {@code model-validation-watch}) runs the same arguments
 * plus two options that the Java CLI adds:
 *
 * <ul>
 *   <li>{@code --repeat-every <seconds>}: verify at once, then again every that many seconds
 *       (counted from the end of the previous run), forever; a failed verification is reported on
 *       stderr and does not end the process;
 *   <li>{@code --ready-file <path>}: after each successful run create the file (or update its
 *       modification time); after each failed run delete it. The one-shot init container gets it too, and
 *       the sidecar counts a ready file younger than the interval as its first run.
 * </ul>
 *
 * Its readiness probe runs {@code model-signing ready-check --ready-file <path> --max-age <seconds>},
 * which exits 0 only if the file exists and was modified at most that many seconds ago.
 */
public final class VerifierArgs {

  private VerifierArgs() {}

  /** The arguments of the one-shot verifier. The spec must be valid ({@link SpecValidation}). */
  public static List<String> oneShot(ModelValidationSpec spec) {
    Model model = spec.getModel();
    ValidationConfig config = spec.getConfig();
    List<String> args = new ArrayList<>();
    args.add("verify");
    if (config.getSigstoreConfig() != null) {
      args.add("sigstore");
      args.add("--signature");
      args.add(model.effectiveSignaturePath());
      args.add("--identity");
      args.add(config.getSigstoreConfig().getCertificateIdentity());
      args.add("--identity-provider");
      args.add(config.getSigstoreConfig().getCertificateOidcIssuer());
      if (config.getClientTrustConfig() != null) {
        addTrust(
            args,
            "--trust-config",
            config.getClientTrustConfig().getTrustConfigPath(),
            config.getClientTrustConfig().getTrustConfigData(),
            WebhookConstants.ENV_TRUST_CONFIG);
      }
    } else if (config.getPkiConfig() != null) {
      args.add("certificate");
      args.add("--signature");
      args.add(model.effectiveSignaturePath());
      addTrust(
          args,
          "--certificate-chain",
          config.getPkiConfig().getCertificateAuthority(),
          config.getPkiConfig().getCertificateAuthorityData(),
          WebhookConstants.ENV_CA_CERTIFICATES);
    } else if (config.effectivePublicKeyConfig() != null) {
      args.add("key");
      args.add("--signature");
      args.add(model.effectiveSignaturePath());
      addTrust(
          args,
          "--public-key",
          config.effectivePublicKeyConfig().getKeyPath(),
          config.effectivePublicKeyConfig().getKeyData(),
          WebhookConstants.ENV_PUBLIC_KEY);
    } else {
      throw new IllegalArgumentException("spec.config has no trust method");
    }
    if (model.getIgnorePaths() != null) {
      for (String ignore : model.getIgnorePaths()) {
        args.add("--ignore-paths");
        args.add(absoluteIgnorePath(model.effectivePath(), ignore));
      }
    }
    if (Boolean.FALSE.equals(model.getIgnoreGitPaths())) {
      args.add("--no-ignore-git-paths");
    }
    if (Boolean.TRUE.equals(model.getIgnoreUnsignedFiles())) {
      args.add("--ignore-unsigned-files");
    }
    if (Boolean.TRUE.equals(model.getAllowSymlinks())) {
      args.add("--allow-symlinks");
    }
    args.add(model.effectivePath());
    return List.copyOf(args);
  }

  /**
   * {@code option path}, or {@code option-env variable} when the ModelValidation holds the material itself ({@code
   * data}): {@link #environment} puts it into that variable.
   */
  private static void addTrust(List<String> args, String option, String path, String data, String variable) {
    if (data != null) {
      args.add(option + "-env");
      args.add(variable);
    } else {
      args.add(option);
      args.add(Model.trimTrailingSlash(path));
    }
  }

  /**
   * The one-shot arguments plus {@code --ready-file}, for a pod with continuous validation: a passing start-up check
   * leaves the ready file, which the sidecar counts as its first check (the model is not hashed twice at start).
   */
  public static List<String> oneShotWithReadyFile(ModelValidationSpec spec) {
    return beforeModelPath(oneShot(spec), "--ready-file", WebhookConstants.WATCH_READY_FILE);
  }

  /** The arguments of the continuous-validation sidecar. */
  public static List<String> watch(ModelValidationSpec spec, long intervalSeconds) {
    return beforeModelPath(
        oneShot(spec),
        "--repeat-every",
        Long.toString(intervalSeconds),
        "--ready-file",
        WebhookConstants.WATCH_READY_FILE);
  }

  /** {@code args} with {@code extra} inserted before the last argument, the model path. */
  private static List<String> beforeModelPath(List<String> args, String... extra) {
    List<String> out = new ArrayList<>(args.subList(0, args.size() - 1));
    out.addAll(List.of(extra));
    out.add(args.get(args.size() - 1));
    return List.copyOf(out);
  }

  /**
   * The environment of the injected containers: the trust material the ModelValidation holds itself ({@code keyData},
   * {@code certificateAuthorityData}, {@code trustConfigData}), which the arguments name with {@code --*-env}.
   */
  public static java.util.Map<String, String> environment(ModelValidationSpec spec) {
    ValidationConfig config = spec.getConfig();
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    if (config.effectivePublicKeyConfig() != null && config.effectivePublicKeyConfig().getKeyData() != null) {
      env.put(WebhookConstants.ENV_PUBLIC_KEY, config.effectivePublicKeyConfig().getKeyData());
    }
    if (config.getPkiConfig() != null && config.getPkiConfig().getCertificateAuthorityData() != null) {
      env.put(WebhookConstants.ENV_CA_CERTIFICATES, config.getPkiConfig().getCertificateAuthorityData());
    }
    if (config.getClientTrustConfig() != null && config.getClientTrustConfig().getTrustConfigData() != null) {
      env.put(WebhookConstants.ENV_TRUST_CONFIG, config.getClientTrustConfig().getTrustConfigData());
    }
    return java.util.Collections.unmodifiableMap(env);
  }

  /** The sidecar's readiness probe command. */
  public static List<String> readyCheck(long maxAgeSeconds) {
    return List.of(
        WebhookConstants.VERIFIER_COMMAND,
        "ready-check",
        "--ready-file",
        WebhookConstants.WATCH_READY_FILE,
        "--max-age",
        Long.toString(maxAgeSeconds));
  }

  /** An ignore path as the CLI must get it: absolute (relative ones are under the model path). */
  static String absoluteIgnorePath(String modelPath, String ignore) {
    if (ignore.startsWith("/")) {
      return ignore;
    }
    String relative = ignore;
    while (relative.endsWith("/") && relative.length() > 1) {
      relative = relative.substring(0, relative.length() - 1);
    }
    return modelPath.equals("/") ? "/" + relative : modelPath + "/" + relative;
  }
}
