package dev.modelvalidation.modelsigning.hashing;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * <p>I/O: units are read with positional reads into a per-worker direct buffer and fed to the hasher (the JDK's
 * intrinsic SHA-256 for {@code sha256}). Big units (at least {@value #STREAM_THRESHOLD} bytes) hashed while a core
 * would otherwise idle (one big file) are double-buffered: an I/O thread reads the next 2 MiB chunk while the worker
 * hashes the current one, so the hashing thread does nothing but hash. Big units hashed while every worker is busy
 * (many big files, or shards) are memory-mapped instead, which saves a copy when no core is idle. Memory is bounded and independent of the garbage collector: two 2 MiB direct buffers per worker, reused
 * across units and calls.
 *
 * <p>Why not memory-mapping: measured on the 2-core VM this was built on (2 GiB file, SHA-256, page cache warm), the
 * hashing thread reaches about 1.75 GB/s with read-ahead (the SHA-NI limit is about 1.8 GB/s), against about 1.5 GB/s
 * with a plain mapping (page faults on the hashing thread), 1.75 GB/s with a mapping pre-faulted by another thread but
 * unmapped only by the garbage collector (unbounded mapped memory on big models), and 1.6 GB/s with deterministically
 * unmapped {@code Arena} mappings (Java 22+). Total CPU was about the same for all of them.
 *
 * <p>Thread-safe: concurrent {@link #hash} calls share the pool.
 */
public final class HashingEngine implements AutoCloseable {
  /** Each worker has two direct read buffers of this size; smaller files are read in one call. */
  static final int BUFFER_SIZE = 2 << 20;
  /** Units at least this big are double-buffered: the next chunk is read on an I/O thread while one is hashed. */
  static final long STREAM_THRESHOLD = 2L * BUFFER_SIZE;
  /** Size of one memory-mapped window in {@link #hashMapped}. */
  static final long MAP_WINDOW = 64L << 20;
  /** Progress is reported after about this many bytes per worker. */
  private static final long PROGRESS_STEP = 16L << 20;

  private final int threads;
  private final ExecutorService pool;
  private final ExecutorService io;
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
    AtomicInteger ioCounter = new AtomicInteger();
    this.io =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "model-hasher-io-" + ioCounter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
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
    try {
      for (int w = 0; w < workers; w++) {
        futures.add(pool.submit(() -> runWorker(job)));
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      job.stop.set(true);
      throw new IllegalStateException("this hashing engine has been closed", e);
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
    worker.pending = 0;
    try {
      ContentHasher hasher = worker.hasher(job.algorithm);
      while (!job.stop.get()) {
        int next = job.next.getAndIncrement();
        if (next >= job.order.length) {
          break;
        }
        Unit unit = job.order[next];
        Path path = job.files.get(unit.file()).path();
        job.busy.incrementAndGet();
        try {
          hashUnit(worker, job, hasher, path, unit);
          job.results[unit.file()][unit.shard()] = hasher.digest();
        } catch (IOException e) {
          hasher.digest(); // reset for the next unit
          job.fail(new ModelSigningException("Cannot read file '" + path + "': " + reason(e), e));
        } finally {
          job.busy.decrementAndGet();
        }
      }
    } catch (RuntimeException | Error e) {
      job.stop.set(true); // the caller reports it; stop the other workers early
      throw e;
    } finally {
      if (worker.pending > 0) {
        job.done.addAndGet(worker.pending);
      }
      idleWorkers.offer(worker);
    }
  }

  private void hashUnit(Worker worker, Job job, ContentHasher hasher, Path path, Unit unit) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long end = unit.toEof() ? Long.MAX_VALUE : unit.start() + unit.length();
      long hashed;
      // Read-ahead on an I/O thread only pays while a core would otherwise idle (fewer units in flight than
      // threads, e.g. one big file); with every worker busy, reading in the hashing thread costs less CPU.
      if (unit.length() >= STREAM_THRESHOLD && job.busy.get() < threads) {
        hashed = hashStreamed(worker, job, channel, hasher, unit.start(), end);
      } else if (unit.length() >= STREAM_THRESHOLD) {
        hashed = hashMapped(worker, job, channel, hasher, unit.start(), end);
      } else {
        hashed = hashDirect(worker, job, channel, hasher, unit.start(), end);
      }
      if (!unit.toEof() && hashed < unit.length()) {
        throw new EOFException(
            "the file changed while it was hashed (it is shorter than when the model was read)");
      }
    }
  }

  /** Small units: synchronous positional reads into the worker's first buffer. */
  private static long hashDirect(
      Worker worker, Job job, FileChannel channel, ContentHasher hasher, long start, long end) throws IOException {
    ByteBuffer buffer = worker.buffers[0];
    long pos = start;
    while (pos < end) {
      long requested = Math.min(buffer.capacity(), end - pos);
      int n = fill(channel, buffer, pos, end);
      pos += n;
      hasher.update(buffer);
      worker.progress(job, n);
      if (n < requested) {
        break; // fill() stops short only at end of file
      }
    }
    return pos - start;
  }

  /**
   * Big units while every worker is busy: memory-mapped windows, hashed straight from the page cache. With no core
   * to spare for read-ahead this saves the copy into a read buffer (measured on 16 × 128 MiB on 2 cores: 0.64 s
   * against 0.75 s with reads). Mappings are released by the garbage collector; they hold only clean page-cache
   * pages, which the kernel can always reclaim.
   */
  private static long hashMapped(
      Worker worker, Job job, FileChannel channel, ContentHasher hasher, long start, long end) throws IOException {
    long limit = Math.min(end, channel.size());
    long pos = start;
    try {
      while (pos < limit && !job.stop.get()) {
        long length = Math.min(MAP_WINDOW, limit - pos);
        hasher.update(channel.map(FileChannel.MapMode.READ_ONLY, pos, length));
        pos += length;
        worker.progress(job, length);
      }
    } catch (InternalError e) {
      // the JVM's answer to SIGBUS: the file was truncated under the mapping
      throw new EOFException("the file changed while it was hashed (it is shorter than when the model was read)");
    }
    return pos - start;
  }

  /**
   * Big units: double-buffered. The next chunk is read on an I/O thread while this thread hashes the current one, so
   * the hashing thread does nothing but hash, and memory stays at two fixed buffers per worker.
   */
  private long hashStreamed(
      Worker worker, Job job, FileChannel channel, ContentHasher hasher, long start, long end) throws IOException {
    ByteBuffer[] buffers = worker.buffers;
    long pos = start;
    int current = 0;
    Future<Integer> next = readAhead(channel, buffers[0], pos, end);
    try {
      while (next != null) {
        int n = await(next);
        next = null;
        if (n == 0) {
          break;
        }
        pos += n;
        if (pos < end && !job.stop.get()) {
          next = readAhead(channel, buffers[1 - current], pos, end);
        }
        hasher.update(buffers[current]);
        worker.progress(job, n);
        current = 1 - current;
      }
    } finally {
      if (next != null) {
        awaitQuietly(next); // never hand the buffer back while a read into it is still running
      }
    }
    return pos - start;
  }

  private Future<Integer> readAhead(FileChannel channel, ByteBuffer buffer, long pos, long end) {
    return io.submit(() -> fill(channel, buffer, pos, end));
  }

  /** Reads from {@code pos} until the buffer is full, {@code end} is reached or EOF; flips it; returns the count. */
  private static int fill(FileChannel channel, ByteBuffer buffer, long pos, long end) throws IOException {
    buffer.clear();
    if (end - pos < buffer.capacity()) {
      buffer.limit((int) (end - pos));
    }
    long p = pos;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, p);
      if (n < 0) {
        break;
      }
      p += n;
    }
    buffer.flip();
    return (int) (p - pos);
  }

  private static int await(Future<Integer> future) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
          future.cancel(true);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException(String.valueOf(e.getCause()), e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
          throw new java.io.InterruptedIOException("hashing was interrupted");
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void awaitQuietly(Future<?> future) {
    if (future == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        future.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
        break; // the unit already failed or stopped; this task's outcome no longer matters
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
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
    io.shutdownNow();
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
    /** Units being hashed right now. */
    final AtomicInteger busy = new AtomicInteger();
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

  /** Per-thread state reused across units: two read buffers, one hasher per algorithm, unreported progress. */
  private static final class Worker {
    final ByteBuffer[] buffers = {ByteBuffer.allocateDirect(BUFFER_SIZE), ByteBuffer.allocateDirect(BUFFER_SIZE)};
    final EnumMap<HashAlgorithm, ContentHasher> hashers = new EnumMap<>(HashAlgorithm.class);
    long pending;

    void progress(Job job, long bytes) {
      pending += bytes;
      if (pending >= PROGRESS_STEP) {
        job.report(pending);
        pending = 0;
      }
    }

    ContentHasher hasher(HashAlgorithm algorithm) {
      return hashers.computeIfAbsent(algorithm, HashAlgorithm::newHasher);
    }
  }
}
