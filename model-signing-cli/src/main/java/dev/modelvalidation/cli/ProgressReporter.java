package dev.modelvalidation.cli;

import dev.modelvalidation.modelsigning.hashing.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A progress line on stderr while a large model is hashed, only when stderr is a terminal (silent in pipes,
 * logs and containers). Redraws at most ten times a second and clears itself when done.
 */
final class ProgressReporter implements ProgressListener {
  private static final long MIN_BYTES = 256L << 20;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private long lastDraw;
  private boolean drawn;

  private ProgressReporter(PrintWriter err) {
    this.err = err;
  }

  static Optional<ProgressListener> forStderr(PrintWriter err, ModelSigningCli.LogLevel level) {
    if (!level.showsInfo() || !stderrIsTerminal()) {
      return Optional.empty();
    }
    return Optional.of(new ProgressReporter(err));
  }

  private static boolean stderrIsTerminal() {
    try {
      Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
      String t = target.toString();
      return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty");
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public synchronized void onProgress(long bytesDone, long bytesTotal) {
    if (bytesTotal < MIN_BYTES) {
      return;
    }
    long now = System.nanoTime();
    boolean done = bytesDone >= bytesTotal;
    if (!done && drawn && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    if (done) {
      if (drawn) {
        err.print("\r\033[K");
        err.flush();
      }
      return;
    }
    drawn = true;
    err.printf("\rHashing model: %5.1f%% of %.2f GB", 100.0 * bytesDone / bytesTotal, bytesTotal / 1e9);
    err.flush();
  }
}
