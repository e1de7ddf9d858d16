package dev.modelvalidation.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ready-check --ready-file PATH --max-age SECONDS}: the readiness probe of a continuous-validation sidecar.
 * Exits 0 only when the ready file exists and was refreshed within the last SECONDS.
 */
final class ReadyCheckCommand extends LeafCommand {
  private ReadyCheckCommand() {}

  static CommandSpec spec() {
    CommandSpec spec =
        new ReadyCheckCommand()
            .newSpec("ready-check", "Exit 0 if the ready file of `verify --repeat-every` is present and recent, else 1.");
    spec.addOption(
        Specs.option("--ready-file", "PATH", Path.class, "The file `verify --ready-file` maintains.")
            .required(true)
            .build());
    spec.addOption(
        Specs.option("--max-age", "SECONDS", long.class, "Oldest acceptable refresh (default: 600).")
            .initialValue(600L)
            .build());
    return spec;
  }

  @Override
  public Integer call() {
    Path readyFile = Specs.value(args(), "--ready-file");
    long maxAgeSeconds = Specs.value(args(), "--max-age");
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
