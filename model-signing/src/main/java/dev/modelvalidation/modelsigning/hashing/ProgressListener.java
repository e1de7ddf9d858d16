package dev.modelvalidation.modelsigning.hashing;

/**
 * Told how many content bytes have been hashed so far. Called from worker threads at a coarse granularity (about every
 * few MiB of progress and once at the end), so implementations must be thread-safe and cheap. While the model walk is
 * still finding files, {@code bytesTotal} counts only the files found so far.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores progress. */
  ProgressListener NONE = (bytesDone, bytesTotal) -> {};

  void onProgress(long bytesDone, long bytesTotal);
}
