package dev.modelvalidation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The continuous-validation sidecar's loop and its readiness probe, as the operator injects them. */
class ContinuousValidationCliTest {
  @Test
  void readyFileFollowsTheModelAndTheProbeFollowsTheReadyFile(@TempDir Path tmp) throws Exception {
    Path model = GoldenSignaturesCliTest.copy(CliBehaviourTest.KEY_GOLDEN, tmp.resolve("model"));
    Path ready = tmp.resolve("status/ready");
    Thread sidecar = startSidecar(model, ready, 1);
    try {
      waitFor(() -> Files.exists(ready));
      assertThat(CliRun.of("ready-check", "--ready-file", ready, "--max-age", "60").exitCode()).isZero();

      Files.writeString(model.resolve("signme-2"), "changed after start");
      waitFor(() -> !Files.exists(ready));
      CliRun probe = CliRun.of("ready-check", "--ready-file", ready, "--max-age", "60");
      assertThat(probe.exitCode()).isEqualTo(1);
      assertThat(probe.err()).startsWith("Not ready: ").hasLineCount(1);
    } finally {
      sidecar.interrupt();
      sidecar.join(10_000);
    }
    assertThat(sidecar.isAlive()).isFalse();
  }

  /**
   * As the operator runs it: the one-shot init container leaves the ready file when the model verifies (and removes
   * it when not), and the sidecar that starts right after counts that as its first check, so the model is not
   * hashed a second time at pod start; its own first check comes one interval later.
   */
  @Test
  void aOneShotVerificationLeavesTheReadyFileAndTheSidecarWaitsAnIntervalBeforeItsFirstCheck(@TempDir Path tmp)
      throws Exception {
    Path model = GoldenSignaturesCliTest.copy(CliBehaviourTest.KEY_GOLDEN, tmp.resolve("model"));
    Path ready = tmp.resolve("status/ready");
    Object[] verify = {"verify", "key", "--signature", model.resolve("model.sig"), "--public-key",
        CliRun.CERTS.resolve("signing-key-pub.pem"), "--ready-file", ready, model};
    assertThat(CliRun.of(verify).exitCode()).isZero();
    assertThat(ready).exists();

    // the model changes right after the start-up check: the sidecar notices only at its first own check
    Files.writeString(model.resolve("signme-2"), "changed after the start-up check");
    long started = System.nanoTime();
    Thread sidecar = startSidecar(model, ready, 3);
    try {
      Thread.sleep(1500);
      assertThat(ready).as("no check before one interval").exists();
      waitFor(() -> !Files.exists(ready));
      assertThat((System.nanoTime() - started) / 1_000_000).as("ms to the sidecar's first check").isGreaterThan(2000);
    } finally {
      sidecar.interrupt();
      sidecar.join(10_000);
    }

    // and a failing one-shot check removes it
    Files.createFile(ready);
    assertThat(CliRun.of(verify).exitCode()).isEqualTo(1);
    assertThat(ready).doesNotExist();
  }

  @Test
  void staleReadyFileIsNotReady(@TempDir Path tmp) throws Exception {
    Path ready = Files.createFile(tmp.resolve("ready"));
    Files.setLastModifiedTime(ready, FileTime.from(Instant.now().minusSeconds(3600)));

    CliRun run = CliRun.of("ready-check", "--ready-file", ready, "--max-age", "120");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("old");
  }

  /** The watch sidecar's command, as the operator injects it, on a thread of its own (interrupt it to stop). */
  private static Thread startSidecar(Path model, Path ready, int intervalSeconds) {
    Thread sidecar =
        new Thread(
            () ->
                CliRun.of("verify", "key", "--signature", model.resolve("model.sig"), "--public-key",
                    CliRun.CERTS.resolve("signing-key-pub.pem"), "--repeat-every", String.valueOf(intervalSeconds),
                    "--ready-file", ready, model));
    sidecar.start();
    return sidecar;
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertThat(condition.getAsBoolean()).as("condition reached within 10 s").isTrue();
  }
}
