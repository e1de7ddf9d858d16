package dev.modelvalidation.operator.webhook;

import java.util.Locale;

/**
 * Whether continuous validation may use a native sidecar (an init container with
 * {@code restartPolicy: Always}), from {@code MODEL_VALIDATION_CONTINUOUS_SIDECAR}.
 *
 * <p>{@link #AUTO} enables it from Kubernetes 1.29, where the SidecarContainers feature is on by
 * default. On 1.28 the feature is alpha and off unless the gate is set; there the API server drops
 * the {@code restartPolicy} field and the never-ending watch loop would block the pod as a plain
 * init container. So 1.28 with the gate on needs {@link #ENABLED}.
 */
public enum SidecarSupport {
  AUTO,
  ENABLED,
  DISABLED;

  /**
   * Parses {@code auto}, {@code true} or {@code false} (case-insensitive; blank means auto).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static SidecarSupport parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "true" -> ENABLED;
      case "false" -> DISABLED;
      default ->
          throw new IllegalArgumentException(
              "MODEL_VALIDATION_CONTINUOUS_SIDECAR must be auto, true or false, not '" + value + "'");
    };
  }

  /**
   * Whether native sidecars are used on a cluster whose API server reports this version.
   *
   * @param major the server's major version, e.g. {@code "1"}
   * @param minor the server's minor version, e.g. {@code "29"} or {@code "29+"} (GKE/EKS style)
   */
  public boolean resolve(String major, String minor) {
    return switch (this) {
      case ENABLED -> true;
      case DISABLED -> false;
      case AUTO -> {
        int maj = leadingInt(major);
        int min = leadingInt(minor);
        yield maj > 1 || (maj == 1 && min >= 29);
      }
    };
  }

  private static int leadingInt(String s) {
    if (s == null) {
      return -1;
    }
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    return i == 0 || i > 9 ? -1 : Integer.parseInt(s.substring(0, i));
  }
}
