package dev.modelvalidation.modelsigning.hashing;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hashes files (or their shards) in parallel on a fixed pool of threads.
 *
 * <p>Work split: every file ({@code files}) or every byte range ({@code shards}) is one unit. Units go through a
 * {@link Batch}: small ones are hashed as soon as they are added (while the model walk is still finding files), big
 * ones once every file is known, largest first, so one huge file starts early on one thread while the others drain
 * the rest. One SHA-256 stream cannot be split, so a single big file in {@code files} mode runs on one thread as fast
 * as that thread can hash.
 *
 * <p>SHA-256: OpenSSL's ({@link NativeSha256}, Java 22+) once a job has {@value #BIND_THRESHOLD} bytes to hash, else
 * the JDK's intrinsic. From then on every unit of every job of this engine waits for the binding: the JDK's digest
 * is fast only once C2 has compiled it, and the launcher runs C1 alone when OpenSSL hashes (measured on 20,000 files
 * of 4 KiB: hashing with the JDK while OpenSSL was being bound took a third of all CPU and saved no time).
 *
 * <p>I/O: small units are read with positional reads into a per-worker direct buffer (64 KiB for files below that,
 * else 2 MiB) and fed to the hasher; a file that fits the buffer takes one read when it is exactly the size the walk
 * saw. With OpenSSL, small files of the default file system are opened, read and closed by the C library instead
 * ({@link NativeSha256.State#digestFile}), falling back to this path for anything unexpected. Big units (at least
 * {@value #STREAM_THRESHOLD} bytes) hashed while a core would otherwise idle (fewer units left than threads, e.g. one
 * big file) are double-buffered: an I/O thread reads the next 2 MiB chunk while the worker hashes the current one, so
 * the hashing thread does nothing but hash. Big units hashed while there is work for every worker (many big files, or
 * shards) are read in {@value #READ_CHUNK}-byte pieces that are hashed while still in the core's cache (OpenSSL), or
 * memory-mapped (JDK, which copies from the mapping anyway). Memory is bounded: a 64 KiB and two 2 MiB direct
 * buffers per worker, allocated when first needed and reused across units and calls, plus mapped windows of clean
 * page-cache pages.
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
  /**
   * Each worker has two direct read buffers of this size (allocated on first use); smaller files are read in one call,
   * those below {@link #SMALL_BUFFER_SIZE} into a buffer of that size.
   */
  static final int BUFFER_SIZE = 2 << 20;
  /**
   * Files below this size are read into a worker's small buffer: the big ones are allocated only when a bigger unit
   * comes (the JDK zeroes a new direct buffer, 1,024 page faults per 4 MiB: ~15 ms of CPU a worker on this VM).
   */
  static final int SMALL_BUFFER_SIZE = 64 << 10;
  /** Units at least this big are double-buffered: the next chunk is read on an I/O thread while one is hashed. */
  static final long STREAM_THRESHOLD = 2L * BUFFER_SIZE;
  /** Small units are handed to the workers in groups of this many. */
  private static final int HANDOFF_SIZE = 32;
  /** OpenSSL's SHA-256 is bound once a job has this many bytes to hash (binding costs about 40 ms of CPU). */
  static final long BIND_THRESHOLD = 1 << 20;
  /** Read size of {@link #hashRead}: small enough that the data is still in the core's cache when it is hashed. */
  static final int READ_CHUNK = 256 << 10;
  /** Size of one memory-mapped window in {@link #hashMapped}. */
  static final long MAP_WINDOW = 64L << 20;
  /** Progress is reported after about this many bytes per worker. */
  private static final long PROGRESS_STEP = 16L << 20;

  private final int threads;
  private final ExecutorService pool;
  private final ExecutorService io;
  private final ConcurrentLinkedQueue<Worker> idleWorkers = new ConcurrentLinkedQueue<>();
  /**
   * OpenSSL's SHA-256 (see {@link NativeSha256}), bound on an I/O thread once a job has {@value #BIND_THRESHOLD}
   * bytes of SHA-256 to hash: binding costs about 40 ms of CPU, more than the JDK's digest needs for a small model.
   */
  private final FutureTask<NativeSha256.Loaded> nativeSha256;
  private final AtomicBoolean nativeSha256Started = new AtomicBoolean();
  /** {@code openssl}: bound at once; hashing waits for it and fails without it. */
  private final boolean nativeSha256Required;

  /** A pool sized to the machine ({@code Runtime.availableProcessors()}). */
  public HashingEngine() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * A pool of {@code threads} threads. SHA-256 is OpenSSL's where it can be bound (see {@link NativeSha256}), unless
   * the system property {@code dev.modelvalidation.sha256} says {@code jdk}.
   */
  public HashingEngine(int threads) {
    this(threads, NativeSha256.choice());
  }

  /** {@code sha256}: {@code auto} (OpenSSL when available), {@code jdk} or {@code openssl} (OpenSSL or fail). */
  HashingEngine(int threads, String sha256) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (!List.of("auto", "jdk", "openssl").contains(sha256)) {
      throw new IllegalArgumentException(
          "Unknown value '" + sha256 + "' of " + NativeSha256.PROPERTY + ": expected auto, jdk or openssl");
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
    this.nativeSha256 = new FutureTask<>(() -> NativeSha256.load(sha256));
    this.nativeSha256Required = sha256.equals("openssl");
    if (nativeSha256Required) {
      bindNativeSha256();
    }
  }

  /**
   * Which SHA-256 this engine hashes file contents with: {@code "OpenSSL libcrypto.so.3 SHA-256"}, or {@code "JDK
   * SHA-256"} with the reason OpenSSL is not used. Waits for the binding to finish loading.
   */
  public String sha256Implementation() {
    try {
      NativeSha256.Loaded loaded = boundNativeSha256();
      return loaded.available() ? loaded.sha256().toString() : "JDK SHA-256 (" + loaded.unavailableReason() + ")";
    } catch (ModelSigningException e) {
      return "none: " + e.getMessage();
    }
  }

  /**
   * The SHA-256 of {@code data}, e.g. a manifest's root digest: OpenSSL's if this engine has bound it already (a job
   * with enough bytes to hash did), else the JDK's. Does not wait for a binding in progress.
   */
  public byte[] sha256(byte[] data) {
    NativeSha256.Loaded loaded =
        nativeSha256.state() == java.util.concurrent.Future.State.SUCCESS ? nativeSha256.resultNow() : null;
    if (loaded != null && loaded.available()) {
      ContentHasher hasher = new ContentHasher.Native(loaded.sha256());
      hasher.update(data, 0, data.length);
      return hasher.digest();
    }
    return ContentHasher.digestOf(HashAlgorithm.SHA256, data);
  }

  /** For tests: whether small files are read by the C library (see {@link NativeSha256#readsSmallFiles}). */
  boolean readsSmallFilesWithCLibrary() throws ModelSigningException {
    NativeSha256.Loaded loaded = boundNativeSha256();
    return loaded.available() && loaded.sha256().readsSmallFiles();
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
    long total = files.stream().mapToLong(FileSpec::size).sum();
    try (Batch batch = new Batch(new Job(serialization, progress, total))) {
      for (FileSpec file : files) {
        batch.add(file);
      }
      return batch.finish();
    }
  }

  /**
   * Starts a batch: files added to it are hashed while more are being found (the model walk runs alongside the
   * hashing). Close it, also after {@link Batch#finish()}; closing an unfinished batch stops its hashing.
   */
  public Batch start(Serialization serialization, ProgressListener progress) {
    return new Batch(new Job(serialization, progress, -1));
  }

  /**
   * Files to hash, added by one producer thread while the engine's workers hash them. Units smaller than {@value
   * #STREAM_THRESHOLD} bytes are hashed as soon as they are added; bigger ones wait for {@link #finish()} and then go
   * largest first, so one huge file starts early on one thread while the others drain the rest.
   */
  public final class Batch implements AutoCloseable {
    private final Job job;
    private final List<byte[][]> results = new ArrayList<>();
    private final List<Unit> deferred = new ArrayList<>();
    /** Small units not handed to the workers yet. */
    private final List<Unit> waiting = new ArrayList<>(HANDOFF_SIZE);
    private final List<Future<?>> workers = new ArrayList<>(threads);
    private boolean finished;

    private Batch(Job job) {
      this.job = job;
    }

    /** Adds a file; its digests come back from {@link #finish()} at the index of this call (0, 1, 2, …). */
    public void add(FileSpec file) {
      if (finished) {
        throw new IllegalStateException("batch already finished");
      }
      long total = job.totalKnown ? job.total.get() : job.total.addAndGet(file.size());
      if (total >= BIND_THRESHOLD && job.serialization.hash() == HashAlgorithm.SHA256) {
        bindNativeSha256();
      }
      byte[][] out;
      if (job.sharded) {
        long[] starts = shardStarts(file.size(), job.serialization.shardSize());
        out = new byte[starts.length][];
        for (int s = 0; s < starts.length; s++) {
          long len = Math.min(job.serialization.shardSize(), file.size() - starts[s]);
          submit(new Unit(file.path(), out, s, starts[s], len, false));
        }
      } else {
        out = new byte[1][];
        submit(new Unit(file.path(), out, 0, 0, file.size(), true));
      }
      results.add(out);
    }

    private void submit(Unit unit) {
      if (unit.length() >= STREAM_THRESHOLD) {
        deferred.add(unit);
        return;
      }
      waiting.add(unit);
      if (waiting.size() >= HANDOFF_SIZE) {
        handOff();
      }
    }

    /**
     * Queues the waiting small units in one go: a worker is woken at most once per group rather than once per file.
     */
    private void handOff() {
      if (waiting.isEmpty()) {
        return;
      }
      int wanted = Math.min(threads, waiting.size() + job.queue.size());
      while (workers.size() < wanted) {
        try {
          workers.add(pool.submit(() -> runWorker(job)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          job.stop.set(true);
          throw new IllegalStateException("this hashing engine has been closed", e);
        }
      }
      job.unfinished.addAndGet(waiting.size());
      job.queue.addAll(waiting);
      waiting.clear();
    }

    /**
     * Waits for every added file to be hashed.
     *
     * @return for each added file, in the order added, its digests: exactly one for {@code files}; one per shard in
     *     offset order for {@code shards} (none for a 0-byte file)
     * @throws ModelSigningException naming the file when one cannot be read or changed size while being read
     */
    public byte[][][] finish() throws ModelSigningException {
      if (finished) {
        throw new IllegalStateException("batch already finished");
      }
      finished = true;
      deferred.sort(LONGEST_FIRST);
      waiting.addAll(deferred);
      handOff();
      for (int i = 0; i < workers.size(); i++) {
        job.queue.add(Unit.END);
      }
      try {
        for (Future<?> f : workers) {
          f.get();
        }
      } catch (InterruptedException e) {
        job.stop.set(true);
        workers.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        throw new ModelSigningException("Hashing was interrupted");
      } catch (ExecutionException e) {
        job.stop.set(true);
        throw new ModelSigningException("Hashing failed: " + e.getCause(), e.getCause());
      } catch (java.util.concurrent.CancellationException e) {
        job.stop.set(true);
        throw new ModelSigningException("Hashing was interrupted: the hashing engine was closed");
      }
      if (job.failure.get() != null) {
        throw job.failure.get();
      }
      if (job.progress != ProgressListener.NONE) {
        job.progress.onProgress(job.done.get(), job.total.get());
      }
      return results.toArray(new byte[0][][]);
    }

    /** Stops an unfinished batch: queued units are dropped and the workers return once their current unit ends. */
    @Override
    public void close() {
      if (finished) {
        return;
      }
      finished = true;
      job.stop.set(true);
      waiting.clear();
      job.queue.clear();
      for (int i = 0; i < workers.size(); i++) {
        job.queue.add(Unit.END);
      }
      for (Future<?> f : workers) {
        awaitQuietly(f);
      }
    }
  }

  private void runWorker(Job job) {
    Worker worker = idleWorkers.poll();
    if (worker == null) {
      worker = new Worker();
    }
    worker.pending = 0;
    boolean clean = false;
    try {
      HashAlgorithm algorithm = job.serialization.hash();
      while (true) {
        Unit unit;
        try {
          unit = job.queue.take();
        } catch (InterruptedException e) {
          // the engine is closing: the units still queued will not be hashed, so the batch must not succeed
          job.fail(new ModelSigningException("Hashing was interrupted"));
          Thread.currentThread().interrupt();
          break;
        }
        if (unit == Unit.END) {
          break;
        }
        if (job.stop.get()) {
          continue; // drain to the end marker without hashing
        }
        if (!hashOne(worker, job, algorithm, unit)) {
          return; // not clean: the worker is dropped
        }
      }
      clean = true;
    } catch (RuntimeException | Error e) {
      job.stop.set(true); // the caller reports it; stop the other workers early
      throw e;
    } finally {
      if (worker.pending > 0) {
        job.done.addAndGet(worker.pending);
      }
      if (clean) {
        idleWorkers.offer(worker); // else a hasher may hold part of a file: never reuse it
      }
    }
  }

  /**
   * Hashes one unit into its output slot, or records its failure in the job. A method of its own, not the body of
   * {@link #runWorker}'s loop: with the C1 compiler alone, a loop runs interpreted until it has turned tens of thousands
   * of times, while a method is compiled after a few hundred calls (measured on 20,000 small files).
   *
   * @return false when the worker must not be used again (a read-ahead it started may still be writing its buffers)
   */
  private boolean hashOne(Worker worker, Job job, HashAlgorithm algorithm, Unit unit) {
    ContentHasher hasher = null;
    try {
      hasher = hasherFor(worker, algorithm);
      unit.out()[unit.shard()] = hashUnit(worker, job, hasher, unit.path(), unit);
    } catch (java.io.InterruptedIOException e) {
      job.fail(new ModelSigningException("Hashing was interrupted", e));
      Thread.currentThread().interrupt();
      return false;
    } catch (IOException e) {
      hasher.digest(); // reset for the next unit
      job.fail(new ModelSigningException("Cannot read file '" + unit.path() + "': " + reason(e), e));
    } catch (ModelSigningException e) {
      job.fail(e);
    } finally {
      job.unfinished.decrementAndGet();
    }
    return true;
  }

  /**
   * The worker's hasher for a unit: OpenSSL's SHA-256 once its binding has started (waiting for it to finish), the
   * JDK's before that (a model below {@value #BIND_THRESHOLD} bytes) or when the binding failed.
   */
  private ContentHasher hasherFor(Worker worker, HashAlgorithm algorithm) throws ModelSigningException {
    if (algorithm == HashAlgorithm.SHA256 && nativeSha256Started.get()) {
      NativeSha256.Loaded loaded = loadedNativeSha256();
      if (loaded.available()) {
        return worker.nativeHasher(loaded.sha256());
      }
    }
    return worker.hasher(algorithm);
  }

  /** Starts binding OpenSSL's SHA-256 on an I/O thread, once. */
  private void bindNativeSha256() {
    if (nativeSha256Started.compareAndSet(false, true)) {
      try {
        io.execute(nativeSha256);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        nativeSha256.cancel(false); // closed engine
      }
    }
  }

  /** Starts the binding if a job has not, and waits for it. */
  private NativeSha256.Loaded boundNativeSha256() throws ModelSigningException {
    bindNativeSha256();
    return loadedNativeSha256();
  }

  private NativeSha256.Loaded loadedNativeSha256() throws ModelSigningException {
    try {
      return nativeSha256.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the engine is closing
      throw new ModelSigningException("Hashing was interrupted");
    } catch (ExecutionException e) {
      throw new ModelSigningException(e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.CancellationException e) {
      return new NativeSha256.Loaded(null, "this hashing engine has been closed");
    }
  }

  /** Hashes one unit and returns its digest. */
  private byte[] hashUnit(Worker worker, Job job, ContentHasher hasher, Path path, Unit unit) throws IOException {
    if (hasher instanceof ContentHasher.Native nativeHasher
        && unit.toEof()
        && unit.length() < BUFFER_SIZE
        && path.getFileSystem() == DEFAULT_FILE_SYSTEM) { // a zip or in-memory path names no OS file
      // small files through the C library's open/read/close; any surprise, and the JDK's path below reads it again
      byte[] digest = nativeHasher.digestFile(path.toString(), worker.readBuffer(unit.length()), (int) unit.length());
      if (digest != null) {
        worker.progress(job, unit.length());
        return digest;
      }
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long end = unit.toEof() ? Long.MAX_VALUE : unit.start() + unit.length();
      if (unit.length() < STREAM_THRESHOLD) {
        return hashDirect(worker, job, channel, hasher, unit, end);
      }
      long hashed;
      // Read-ahead on an I/O thread only pays while a core would otherwise idle (fewer units in flight than
      // threads, e.g. one big file); with every worker busy, reading in the hashing thread costs less CPU. Counting
      // the units not finished yet (this one included), not just the busy ones, keeps the first units of a model with
      // plenty of work on the cheaper path even before every worker has started.
      if (job.unfinished.get() < threads) {
        hashed = hashStreamed(worker, job, channel, hasher, unit.start(), end);
      } else if (hasher instanceof ContentHasher.Native) {
        hashed = hashRead(worker, job, channel, hasher, unit.start(), end);
      } else {
        hashed = hashMapped(worker, job, channel, hasher, unit.start(), end);
      }
      checkComplete(unit, hashed);
      return hasher.digest();
    }
  }

  /** A shard must be hashed to its end; a {@code files} unit is hashed to the end of the file, whatever its size. */
  private static void checkComplete(Unit unit, long hashed) throws EOFException {
    if (!unit.toEof() && hashed < unit.length()) {
      throw new EOFException("the file changed while it was hashed (it is shorter than when the model was read)");
    }
  }

  /**
   * Small units: synchronous positional reads into the worker's buffer for their size ({@link Worker#readBuffer}).
   * Returns the digest.
   */
  private static byte[] hashDirect(
      Worker worker, Job job, FileChannel channel, ContentHasher hasher, Unit unit, long end) throws IOException {
    ByteBuffer buffer = worker.readBuffer(unit.length());
    long start = unit.start();
    long pos = start;
    if (unit.toEof() && unit.length() < buffer.capacity()) {
      // Ask for one byte more than the walked size: getting exactly that size back is a short read, which for a
      // regular file means end of file, so the usual second read that only finds the end is not needed (it costs
      // a system call per file, which shows with many small files). Anything else continues below.
      buffer.clear().limit((int) unit.length() + 1);
      int n = channel.read(buffer, start);
      buffer.flip();
      if (Math.max(n, 0) == unit.length()) {
        hasher.update(buffer);
        worker.progress(job, unit.length());
        return hasher.digest();
      }
      if (n > 0) {
        hasher.update(buffer);
        worker.progress(job, n);
        pos += n;
      }
    }
    pos = readAndHash(worker, job, channel, hasher, buffer, pos, end);
    checkComplete(unit, pos - start);
    return hasher.digest();
  }

  /**
   * Reads from {@code pos} into {@code buffer} and hashes each fill, until {@code end}, the end of the file or a
   * stopped job. Returns the position reached.
   */
  private static long readAndHash(
      Worker worker, Job job, FileChannel channel, ContentHasher hasher, ByteBuffer buffer, long pos, long end)
      throws IOException {
    while (pos < end && !job.stop.get()) {
      long requested = Math.min(buffer.capacity(), end - pos);
      int n = fill(channel, buffer, pos, end);
      pos += n;
      hasher.update(buffer);
      worker.progress(job, n);
      if (n < requested) {
        break; // fill() stops short only at end of file
      }
    }
    return pos;
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
   * Big units while every worker is busy, hashed by OpenSSL: reads of {@value #READ_CHUNK} bytes, each hashed while it
   * is still in the core's cache. Not memory-mapped: a file truncated under a mapping raises SIGBUS, which the JVM
   * turns into an error in Java code (see {@link #hashMapped}) but not in native code.
   */
  private static long hashRead(
      Worker worker, Job job, FileChannel channel, ContentHasher hasher, long start, long end) throws IOException {
    return readAndHash(worker, job, channel, hasher, worker.readChunk(), start, end) - start;
  }

  /**
   * Big units: double-buffered. The next chunk is read on an I/O thread while this thread hashes the current one, so
   * the hashing thread does nothing but hash, and memory stays at two fixed buffers per worker.
   */
  private long hashStreamed(
      Worker worker, Job job, FileChannel channel, ContentHasher hasher, long start, long end) throws IOException {
    ByteBuffer[] buffers = worker.bigBuffers();
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
    // tasks that never started would leave their futures, and whoever waits on them, waiting forever
    for (Runnable task : pool.shutdownNow()) {
      cancelNeverRun(task);
    }
    for (Runnable task : io.shutdownNow()) {
      cancelNeverRun(task);
    }
  }

  private static void cancelNeverRun(Runnable task) {
    if (task instanceof Future<?> future) {
      future.cancel(false);
    }
  }

  /**
   * Units by length, longest first. A class, not {@code Comparator.comparingLong(...)}: that one is a serializable
   * lambda, whose call site the AOT cache does not hold, and linking it took 5-13 ms of every run.
   */
  private static final Comparator<Unit> LONGEST_FIRST = new LongestFirst();

  private static final class LongestFirst implements Comparator<Unit> {
    @Override
    public int compare(Unit a, Unit b) {
      return Long.compare(b.length(), a.length());
    }
  }

  /** A byte range of a file to hash; its digest goes to {@code out[shard]}. */
  private record Unit(Path path, byte[][] out, int shard, long start, long length, boolean toEof) {
    /** Tells a worker that no more units come. */
    static final Unit END = new Unit(Path.of(""), new byte[0][], 0, 0, 0, false);
  }

  private static final class Job {
    final Serialization serialization;
    final boolean sharded;
    final ProgressListener progress;
    final LinkedBlockingQueue<Unit> queue = new LinkedBlockingQueue<>();
    /** Bytes to hash; grows while files are added unless known from the start. */
    final AtomicLong total = new AtomicLong();
    final boolean totalKnown;
    /** Units handed to the workers and not finished yet. */
    final AtomicInteger unfinished = new AtomicInteger();
    final AtomicLong done = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicReference<ModelSigningException> failure = new AtomicReference<>();

    /** {@code knownTotal}: the bytes to hash when known in advance, else negative (the total grows with each add). */
    Job(Serialization serialization, ProgressListener progress, long knownTotal) {
      this.serialization = serialization;
      this.sharded = serialization.method() == Serialization.Method.SHARDS;
      this.progress = progress == null ? ProgressListener.NONE : progress;
      this.totalKnown = knownTotal >= 0;
      this.total.set(Math.max(knownTotal, 0));
    }

    void report(long bytes) {
      long now = done.addAndGet(bytes);
      if (progress != ProgressListener.NONE) {
        long all = total.get();
        progress.onProgress(Math.min(now, all), all);
      }
    }

    void fail(ModelSigningException e) {
      failure.compareAndSet(null, e);
      stop.set(true);
    }
  }

  private static final int PAGE = 4096;
  private static final FileSystem DEFAULT_FILE_SYSTEM = FileSystems.getDefault();

  /**
   * Per-thread state reused across units: read buffers (allocated on first use), one hasher per algorithm, unreported
   * progress.
   */
  private static final class Worker {
    private ByteBuffer small;
    private ByteBuffer[] big;
    private ByteBuffer readChunk;
    final EnumMap<HashAlgorithm, ContentHasher> hashers = new EnumMap<>(HashAlgorithm.class);
    ContentHasher nativeSha256;
    long pending;

    void progress(Job job, long bytes) {
      pending += bytes;
      if (pending >= PROGRESS_STEP) {
        job.report(pending);
        pending = 0;
      }
    }

    /**
     * The buffer to read a unit of {@code length} bytes into: room for the whole unit plus one byte (the read that
     * finds the end of the file) when it is below {@link #BUFFER_SIZE}.
     */
    ByteBuffer readBuffer(long length) {
      if (length < SMALL_BUFFER_SIZE) {
        if (small == null) {
          small = pageAligned(SMALL_BUFFER_SIZE);
        }
        return small;
      }
      return bigBuffers()[0];
    }

    /** The two {@link #BUFFER_SIZE} buffers of {@link #hashStreamed}. */
    ByteBuffer[] bigBuffers() {
      if (big == null) {
        big = new ByteBuffer[] {pageAligned(BUFFER_SIZE), pageAligned(BUFFER_SIZE)};
        readChunk = big[0].slice(0, READ_CHUNK); // while the limit is still the capacity
      }
      return big;
    }

    /** The start of the first big buffer, for {@link #hashRead}. */
    ByteBuffer readChunk() {
      bigBuffers();
      return readChunk;
    }

    ContentHasher hasher(HashAlgorithm algorithm) {
      return hashers.computeIfAbsent(algorithm, HashAlgorithm::newHasher);
    }

    /**
     * A direct buffer starting on a page boundary. {@code allocateDirect} returns malloc'd memory 16 bytes past one,
     * and the kernel's copy into a misaligned buffer is several times slower on some CPUs (measured on this AMD EPYC
     * VM: reads of 256 KiB from the page cache at 1.6 GB/s instead of 5 GB/s).
     */
    private static ByteBuffer pageAligned(int size) {
      return ByteBuffer.allocateDirect(size + PAGE).alignedSlice(PAGE).limit(size).slice();
    }

    ContentHasher nativeHasher(NativeSha256 sha256) {
      if (nativeSha256 == null) {
        nativeSha256 = new ContentHasher.Native(sha256);
      }
      return nativeSha256;
    }
  }
}
