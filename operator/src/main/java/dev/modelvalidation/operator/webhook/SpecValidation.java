package dev.modelvalidation.operator.webhook;

import dev.modelvalidation.modelsigning.ModelSigningException;
import dev.modelvalidation.modelsigning.keys.PemKeys;
import dev.modelvalidation.modelsigning.signature.KeySignatureVerifier;
import dev.modelvalidation.modelsigning.sigstore.SigstoreTrust;
import dev.modelvalidation.operator.api.ClientTrustConfig;
import dev.modelvalidation.operator.api.ContinuousValidation;
import dev.modelvalidation.operator.api.Model;
import dev.modelvalidation.operator.api.ModelValidationSpec;
import dev.modelvalidation.operator.api.PkiConfig;
import dev.modelvalidation.operator.api.PublicKeyConfig;
import dev.modelvalidation.operator.api.ValidationConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a ModelValidation spec again in code (the CRD's OpenAPI and CEL rules may be missing, e.g. on
 * an old CRD or an API server without CEL). The controller uses the same checks for the InvalidConfig
 * condition.
 */
public final class SpecValidation {

  /** {@code status.authMethod} values. */
  public static final String AUTH_SIGSTORE = "sigstore";

  public static final String AUTH_PKI = "pki";
  public static final String AUTH_PUBLIC_KEY = "public-key";

  private static final Pattern ABSOLUTE = Pattern.compile(Model.ABSOLUTE_PATH_PATTERN);
  private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
  private static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  private SpecValidation() {}

  /** The first problem that makes the spec unusable, as one sentence; empty if it is usable. */
  public static Optional<String> firstProblem(ModelValidationSpec spec) {
    if (spec == null) {
      return Optional.of("spec is missing");
    }
    Model model = spec.getModel();
    if (model == null || model.getPath() == null) {
      return Optional.of("spec.model.path is required");
    }
    Optional<String> p =
        checkPath("spec.model.path", model.getPath())
            .or(() -> checkOptionalPath("spec.model.signaturePath", model.getSignaturePath()));
    if (p.isPresent()) {
      return p;
    }
    if (model.getIgnorePaths() != null) {
      for (String ignore : model.getIgnorePaths()) {
        if (ignore == null || ignore.isBlank()) {
          return Optional.of("spec.model.ignorePaths must not contain empty entries");
        }
        if (hasDotSegment(ignore)) {
          return Optional.of(
              "spec.model.ignorePaths entry '" + ignore + "' must not contain . or .. segments");
        }
      }
    }
    ValidationConfig config = spec.getConfig();
    if (config == null) {
      return Optional.of("spec.config is required");
    }
    int methods = config.trustMethodCount();
    if (methods != 1) {
      return Optional.of(
          ValidationConfig.EXACTLY_ONE_METHOD_MESSAGE + " (found " + methods + ")");
    }
    if (config.getPublicKeyConfig() != null && config.getPrivateKeyConfig() != null) {
      return Optional.of("set publicKeyConfig or its old name privateKeyConfig, not both");
    }
    if (config.getSigstoreConfig() != null) {
      var s = config.getSigstoreConfig();
      if (isBlank(s.getCertificateIdentity()) || isBlank(s.getCertificateOidcIssuer())) {
        return Optional.of(
            "spec.config.sigstoreConfig needs certificateIdentity and certificateOidcIssuer");
      }
    } else if (config.getPkiConfig() != null) {
      PkiConfig pki = config.getPkiConfig();
      p =
          checkPathOrData(
              "spec.config.pkiConfig",
              "certificateAuthority",
              pki.getCertificateAuthority(),
              "certificateAuthorityData",
              pki.getCertificateAuthorityData(),
              PkiConfig.MAX_CERTIFICATE_AUTHORITY_DATA,
              data -> PemKeys.parseCertificates(data, "certificateAuthorityData"));
    } else {
      String field = config.getPublicKeyConfig() != null ? "publicKeyConfig" : "privateKeyConfig";
      PublicKeyConfig key = config.effectivePublicKeyConfig();
      p =
          checkPathOrData(
              "spec.config." + field,
              "keyPath",
              key.getKeyPath(),
              "keyData",
              key.getKeyData(),
              PublicKeyConfig.MAX_KEY_DATA,
              data -> new KeySignatureVerifier(PemKeys.parsePublicKey(data, "keyData")));
    }
    if (p.isPresent()) {
      return p;
    }
    if (config.getClientTrustConfig() != null) {
      if (config.getSigstoreConfig() == null) {
        return Optional.of("clientTrustConfig applies only to sigstoreConfig");
      }
      ClientTrustConfig trust = config.getClientTrustConfig();
      p =
          checkPathOrData(
              "spec.config.clientTrustConfig",
              "trustConfigPath",
              trust.getTrustConfigPath(),
              "trustConfigData",
              trust.getTrustConfigData(),
              ClientTrustConfig.MAX_TRUST_CONFIG_DATA,
              data -> SigstoreTrust.fromClientTrustConfig(data.getBytes(StandardCharsets.UTF_8), "trustConfigData"));
      if (p.isPresent()) {
        return p;
      }
    }
    if (spec.getImagePullPolicy() != null && !PULL_POLICIES.contains(spec.getImagePullPolicy())) {
      return Optional.of(
          "spec.imagePullPolicy must be Always, IfNotPresent or Never, not '"
              + spec.getImagePullPolicy()
              + "'");
    }
    ContinuousValidation cv = spec.getContinuousValidation();
    if (cv != null && cv.isEnabled()) {
      Duration interval;
      try {
        interval = cv.intervalDuration();
      } catch (IllegalArgumentException e) {
        return Optional.of(e.getMessage());
      }
      if (interval.compareTo(MIN_INTERVAL) < 0) {
        return Optional.of("spec.continuousValidation.interval must be at least 1m");
      }
    }
    return Optional.empty();
  }

  /** {@code sigstore}, {@code pki}, {@code public-key}, or {@code unknown}. */
  public static String authMethod(ValidationConfig config) {
    if (config == null) {
      return "unknown";
    }
    if (config.getSigstoreConfig() != null) {
      return AUTH_SIGSTORE;
    }
    if (config.getPkiConfig() != null) {
      return AUTH_PKI;
    }
    if (config.effectivePublicKeyConfig() != null) {
      return AUTH_PUBLIC_KEY;
    }
    return "unknown";
  }

  /** Reads trust material the way the verifier will, failing as it would. */
  @FunctionalInterface
  private interface TrustParser {
    void parse(String data) throws ModelSigningException;
  }

  /**
   * Exactly one of a path in the pod ({@code pathField}) and the material itself ({@code dataField}) in the object at
   * {@code config}; a path must be usable, the material must read as the verifier reads it.
   */
  private static Optional<String> checkPathOrData(
      String config,
      String pathField,
      String path,
      String dataField,
      String data,
      int maxBytes,
      TrustParser parser) {
    if ((path == null) == (data == null)) {
      return Optional.of(config + " needs exactly one of " + pathField + " and " + dataField);
    }
    if (path != null) {
      return checkPath(config + "." + pathField, path);
    }
    // the CRD limits characters; the verifier gets the data as an environment variable, which Linux limits in bytes
    int bytes = data.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxBytes) {
      return Optional.of(
          config + "." + dataField + " is " + bytes + " bytes of UTF-8, more than the " + maxBytes + " it may hold");
    }
    try {
      parser.parse(data);
      return Optional.empty();
    } catch (ModelSigningException | RuntimeException e) {
      return Optional.of(config + "." + dataField + " is not usable: " + e.getMessage());
    }
  }

  private static Optional<String> checkOptionalPath(String field, String path) {
    return path == null ? Optional.empty() : checkPath(field, path);
  }

  private static Optional<String> checkPath(String field, String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of(field + " is required");
    }
    if (!ABSOLUTE.matcher(path).matches()) {
      return Optional.of(
          field + " must be an absolute path without empty segments, not '"
              + path + "'");
    }
    if (hasDotSegment(path)) {
      return Optional.of(field + " must not contain . or .. segments: '" + path + "'");
    }
    if (path.length() > Model.MAX_PATH_LENGTH) {
      return Optional.of(field + " is longer than " + Model.MAX_PATH_LENGTH + " characters");
    }
    return Optional.empty();
  }

  static boolean hasDotSegment(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
