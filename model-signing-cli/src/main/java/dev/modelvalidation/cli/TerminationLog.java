package dev.modelvalidation.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a failure reason goes for Kubernetes to show ({@code --termination-log /dev/termination-log} in the
 * injected init container): the kubelet reads at most 4096 bytes of it into the container's termination
 * message, which the operator reports in the ModelValidation status.
 */
record TerminationLog(Path path) {
  static final TerminationLog NONE = new TerminationLog(null);
  private static final int LIMIT = 4096;
  private static final Path KUBERNETES_DEFAULT = Path.of("/dev/termination-log");

  /**
   * The explicit path if given; otherwise, inside a Kubernetes container (KUBERNETES_SERVICE_HOST is set and the
   * kubelet's {@code /dev/termination-log} is writable), that file; otherwise none.
   */
  static TerminationLog forContainer(Path explicit, java.util.Map<String, String> environment) {
    if (explicit != null) {
      return new TerminationLog(explicit);
    }
    if (environment.containsKey("KUBERNETES_SERVICE_HOST") && Files.isWritable(KUBERNETES_DEFAULT)) {
      return new TerminationLog(KUBERNETES_DEFAULT);
    }
    return NONE;
  }

  void write(String reason) {
    if (path == null) {
      return;
    }
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > LIMIT) {
      bytes = java.util.Arrays.copyOf(bytes, LIMIT);
    }
    try {
      Files.write(path, bytes);
    } catch (IOException | RuntimeException e) {
      // Best effort: the reason is on stderr already.
    }
  }
}
