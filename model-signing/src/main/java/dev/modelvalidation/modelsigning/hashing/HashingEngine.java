package dev.modelvalidation.modelsigning.hashing;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hashes files (or their shards) in parallel on a fixed pool of threads.
 *
 * <p>Work split: every file ({@code files}) or every byte range ({@code shards}) is one unit. Units are sorted by size,
 * largest first, and the workers pull them from a shared counter, so one huge file starts at once on one thread while
 * the others drain the small ones. One SHA-256 stream cannot be split, so a single big file in {@code files} mode runs
 * on one thread as fast as that thread can hash.
 *
 * <p>I/O: small files are read with one or two {@code read} calls into a per-worker direct buffer; big SHA-256 files
 * are memory-mapped in windows of {@value #MAP_WINDOW} bytes and fed to the intrinsic {@code MessageDigest} without
 * copies. Memory is bounded: one small direct buffer per worker, and at most one mapped window per worker at a time.
 * Each worker keeps its hashers and buffers across units and calls.
 *
 * <p>Thread-safe: concurrent {@link #hash} calls share the pool.
 */
public final class HashingEngine implements AutoCloseable {
  /** Read buffer per worker; files up to this size are read in one call. */
  static final int BUFFER_SIZE = 1 << 20;
  /** Files at least this big are memory-mapped (SHA-256 only). */
  static final long MAP_THRESHOLD = 8L << 20;
  /** Size of one mapped window. */
  static final long MAP_WINDOW = 64L << 20;
  /** Progress is reported after about this many bytes per worker. */
  private static final long PROGRESS_STEP = 16L << 20;

  private final int threads;
  private final ExecutorService pool;
  private final ConcurrentLinkedQueue<Worker> idleWorkers = new ConcurrentLinkedQueue<>();

  /** A pool sized to the machine ({@code Runtime.availableProcessors()}). */
  public HashingEngine() {
    this(Runtime.getRuntime().availableProcessors());
  }

  public HashingEngine(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "model-hasher-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.pool = Executors.newFixedThreadPool(threads, factory);
  }

  public int threads() {
    return threads;
  }

  /**
   * Start offsets of the shards of a file of {@code size} bytes: {@code 0, shard, 2·shard, …} strictly below size. A
   * 0-byte file has no shards. The end of shard {@code i} is {@code min(start + shard, size)}.
   */
  public static long[] shardStarts(long size, long shardSize) {
    if (size <= 0) {
      return new long[0];
    }
    long count = (size - 1) / shardSize + 1;
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many shards: " + count);
    }
    long[] starts = new long[(int) count];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = i * shardSize;
    }
    return starts;
  }

  /**
   * Hashes every file.
   *
   * @return for each file (same index as {@code files}), its digests: exactly one for {@code files}; one per shard in
   *     offset order for {@code shards} (none for a 0-byte file)
   * @throws ModelSigningException naming the file when one cannot be read or changed size while being read
   */
  public byte[][][] hash(List<FileSpec> files, Serialization serialization, ProgressListener progress)
      throws ModelSigningException {
    boolean sharded = serialization.method() == Serialization.Method.SHARDS;
    byte[][][] results = new byte[files.size()][][];
    List<Unit> units = new ArrayList<>(files.size());
    long total = 0;
    for (int i = 0; i < files.size(); i++) {
      FileSpec file = files.get(i);
      total += file.size();
      if (sharded) {
        long[] starts = shardStarts(file.size(), serialization.shardSize());
        results[i] = new byte[starts.length][];
        for (int s = 0; s < starts.length; s++) {
          long len = Math.min(serialization.shardSize(), file.size() - starts[s]);
          units.add(new Unit(i, s, starts[s], len, false));
        }
      } else {
        results[i] = new byte[1][];
        units.add(new Unit(i, 0, 0, file.size(), true));
      }
    }
    if (units.isEmpty()) {
      return results;
    }
    Unit[] order = units.toArray(new Unit[0]);
    Arrays.sort(order, Comparator.comparingLong(Unit::length).reversed());
    Job job = new Job(files, order, results, serialization.hash(), progress, total);
    int workers = Math.min(threads, order.length);
    List<Future<?>> futures = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      futures.add(pool.submit(() -> runWorker(job)));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      job.stop.set(true);
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new ModelSigningException("Hashing was interrupted");
    } catch (ExecutionException e) {
      job.stop.set(true);
      throw new ModelSigningException("Hashing failed: " + e.getCause(), e.getCause());
    }
    if (job.failure.get() != null) {
      throw job.failure.get();
    }
    if (progress != ProgressListener.NONE) {
      progress.onProgress(job.done.get(), total);
    }
    return results;
  }

  private void runWorker(Job job) {
    Worker worker = idleWorkers.poll();
    if (worker == null) {
      worker = new Worker();
    }
    long pending = 0;
    try {
      ContentHasher hasher = worker.hasher(job.algorithm);
      while (!job.stop.get()) {
        int next = job.next.getAndIncrement();
        if (next >= job.order.length) {
          break;
        }
        Unit unit = job.order[next];
        Path path = job.files.get(unit.file()).path();
        try {
          long read = hashUnit(worker, hasher, path, unit);
          job.results[unit.file()][unit.shard()] = hasher.digest();
          pending += read;
          if (pending >= PROGRESS_STEP) {
            job.report(pending);
            pending = 0;
          }
        } catch (IOException e) {
          hasher.digest(); // reset for the next job
          job.fail(new ModelSigningException("Cannot read file '" + path + "': " + reason(e), e));
        }
      }
    } finally {
      if (pending > 0) {
        job.done.addAndGet(pending);
      }
      idleWorkers.offer(worker);
    }
  }

  private static long hashUnit(Worker worker, ContentHasher hasher, Path path, Unit unit) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      if (unit.toEof()) {
        if (hasher instanceof ContentHasher.Jdk && unit.length() >= MAP_THRESHOLD) {
          return hashMapped(channel, hasher, 0, channel.size());
        }
        return hashToEof(worker.buffer, channel, hasher);
      }
      if (hasher instanceof ContentHasher.Jdk && unit.length() >= MAP_THRESHOLD) {
        if (channel.size() < unit.start() + unit.length()) {
          throw new EOFException("the file changed while it was hashed (it is shorter than when the model was read)");
        }
        return hashMapped(channel, hasher, unit.start(), unit.length());
      }
      return hashRange(worker.buffer, channel, hasher, unit.start(), unit.length());
    }
  }

  private static long hashToEof(ByteBuffer buffer, FileChannel channel, ContentHasher hasher) throws IOException {
    long total = 0;
    while (true) {
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        return total;
      }
      total += n;
      buffer.flip();
      hasher.update(buffer);
    }
  }

  private static long hashRange(ByteBuffer buffer, FileChannel channel, ContentHasher hasher, long start, long length)
      throws IOException {
    long pos = start;
    long end = start + length;
    while (pos < end) {
      buffer.clear();
      if (end - pos < buffer.capacity()) {
        buffer.limit((int) (end - pos));
      }
      int n = channel.read(buffer, pos);
      if (n < 0) {
        throw new EOFException(
            "the file changed while it was hashed (it is shorter than when the model was read)");
      }
      pos += n;
      buffer.flip();
      hasher.update(buffer);
    }
    return length;
  }

  private static long hashMapped(FileChannel channel, ContentHasher hasher, long start, long length)
      throws IOException {
    long pos = start;
    long end = start + length;
    while (pos < end) {
      long window = Math.min(MAP_WINDOW, end - pos);
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, pos, window);
      hasher.update(mapped);
      pos += window;
    }
    return length;
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** Stops the threads. Hashing calls in progress fail. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  private record Unit(int file, int shard, long start, long length, boolean toEof) {}

  private static final class Job {
    final List<FileSpec> files;
    final Unit[] order;
    final byte[][][] results;
    final HashAlgorithm algorithm;
    final ProgressListener progress;
    final long total;
    final AtomicInteger next = new AtomicInteger();
    final AtomicLong done = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicReference<ModelSigningException> failure = new AtomicReference<>();

    Job(
        List<FileSpec> files,
        Unit[] order,
        byte[][][] results,
        HashAlgorithm algorithm,
        ProgressListener progress,
        long total) {
      this.files = files;
      this.order = order;
      this.results = results;
      this.algorithm = algorithm;
      this.progress = progress;
      this.total = total;
    }

    void report(long bytes) {
      long now = done.addAndGet(bytes);
      if (progress != ProgressListener.NONE) {
        progress.onProgress(Math.min(now, total), total);
      }
    }

    void fail(ModelSigningException e) {
      failure.compareAndSet(null, e);
      stop.set(true);
    }
  }

  /** Per-thread state reused across units: the read buffer and one hasher per algorithm. */
  private static final class Worker {
    final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    final EnumMap<HashAlgorithm, ContentHasher> hashers = new EnumMap<>(HashAlgorithm.class);

    ContentHasher hasher(HashAlgorithm algorithm) {
      return hashers.computeIfAbsent(algorithm, HashAlgorithm::newHasher);
    }
  }
}
