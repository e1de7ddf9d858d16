package dev.modelvalidation.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ready-check --ready-file PATH --max-age SECONDS}: the readiness probe of a continuous-validation sidecar.
 * Exits 0 only when the ready file exists and was refreshed within the last SECONDS.
 */
@Command(
    name = "ready-check",
    mixinStandardHelpOptions = true,
    description = "Exit 0 if the ready file of `verify --repeat-every` is present and recent, else 1.")
final class ReadyCheckCommand extends LeafCommand {
  @Option(names = "--ready-file", required = true, paramLabel = "PATH", description = "The file `verify --ready-file` maintains.")
  Path readyFile;

  @Option(names = "--max-age", paramLabel = "SECONDS", description = "Oldest acceptable refresh (default: 600).")
  long maxAgeSeconds = 600;

  @Override
  public Integer call() {
    CommandContext context = context();
    return Outcome.run(
        context,
        null,
        "Not ready",
        () -> {
          if (!Files.exists(readyFile)) {
            throw new IllegalArgumentException("the model has not verified (no " + readyFile + ")");
          }
          Duration age = Duration.between(Files.getLastModifiedTime(readyFile).toInstant(), Instant.now());
          if (age.toSeconds() > maxAgeSeconds) {
            throw new IllegalArgumentException(
                "the last successful verification is " + age.toSeconds() + " s old (limit " + maxAgeSeconds + " s)");
          }
        });
  }
}
