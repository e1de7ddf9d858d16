package dev.modelvalidation.modelsigning.hashing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link NativeSha256} through the Foreign Function and Memory API (Java 22+): OpenSSL's SHA-256, the same assembly
 * (SHA-NI where the CPU has it) as {@code openssl dgst -sha256}.
 *
 * <p>First choice: {@code SHA256_Init}, {@code SHA256_Update} and {@code SHA256_Final} of {@code libcrypto.so.3}:
 * one downcall stub (shared with the C library calls, see {@link #STEP}) to generate at start, no provider lookup per
 * file, and a context that is plain memory managed
 * by the garbage collector. They are deprecated in OpenSSL 3 but part of the {@code libcrypto.so.3} ABI. A library
 * built without them ({@code no-deprecated}), or OpenSSL 4's {@code libcrypto.so.4}, is used through {@code
 * EVP_DigestInit_ex}/{@code Update}/{@code Final_ex} with a fetched SHA-256 and an {@code EVP_MD_CTX} freed when
 * its state is garbage-collected. Both are adapted to the same three calls, so one {@link Context} serves both.
 *
 * <p>Input is only ever a direct buffer the engine filled with {@code read} calls, never a memory mapping: a file
 * truncated under a mapping raises SIGBUS, which the JVM turns into an exception in Java code but not in native code.
 */
@SuppressWarnings("restricted") // every restricted call happens after bind() checked that native access is enabled
final class OpenSslSha256 implements NativeSha256 {
  /** {@code sizeof(SHA256_CTX)} is 112 bytes in OpenSSL 3; room to spare costs nothing. */
  private static final long CONTEXT_BYTES = 256;

  private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;
  private static final ValueLayout C_INT = ValueLayout.JAVA_INT;
  /** The one call shape of the three SHA-256 steps (see {@link #init}). */
  private static final FunctionDescriptor STEP =
      FunctionDescriptor.of(C_INT, ADDRESS, ADDRESS, ValueLayout.JAVA_LONG);

  /*
   * The three steps all have the call shape of SHA256_Update, (pointer, pointer, size_t) -> int: the JDK generates a
   * downcall stub and adapter per shape (~7 ms each when a run starts), and adapting a handle's shape costs as much.
   * SHA256_Init(ctx) and SHA256_Final(md, ctx) get trailing arguments they ignore, and EVP's NULL pointer arguments
   * are passed as a 0 of that size: every 64-bit C calling convention the JDK supports passes these in registers
   * cleaned up by the caller. They are all called through one constant handle ({@link StepCall}) that takes the
   * function's address first.
   */
  /** {@code (context, initArgument, 0) -> int}: starts a computation. */
  private final MemorySegment init;
  /** {@code (context, data, length) -> int}. */
  private final MemorySegment update;
  /** {@code (digest, context, 0)}, or {@code (context, digest, 0)} for EVP, {@code -> int}: writes the digest. */
  private final MemorySegment finish;
  /** NULL for {@code SHA256_Init}; the fetched {@code EVP_MD} for {@code EVP_DigestInit_ex}. */
  private final MemorySegment initArgument;
  /** Whether {@link #finish} takes the context first ({@code EVP_DigestFinal_ex}). */
  private final boolean finishTakesContextFirst;
  /** A new context whose native memory lives as long as the returned segment is reachable. */
  private final Supplier<MemorySegment> newContext;
  private final String name;
  /** The C library's {@code open}, {@code read} and {@code close} for {@link State#digestFile}; null where missing. */
  private final FileCalls files;

  private OpenSslSha256(
      MemorySegment init,
      MemorySegment initArgument,
      MemorySegment update,
      MemorySegment finish,
      boolean finishTakesContextFirst,
      Supplier<MemorySegment> newContext,
      String name,
      FileCalls files) {
    this.init = init;
    this.initArgument = initArgument;
    this.update = update;
    this.finish = finish;
    this.finishTakesContextFirst = finishTakesContextFirst;
    this.newContext = newContext;
    this.name = name;
    this.files = files;
  }

  /**
   * The downcall of every {@link #STEP}-shaped function, its address passed first: one handle in a constant, which the
   * C1 compiler (all the launcher runs when OpenSSL hashes) inlines through; a handle per function, in fields, was
   * called through its chain of lambda forms on every call. Loaded only by {@link #bind}, after the native access
   * check.
   */
  private static final class StepCall {
    private static final MethodHandle CALL = Linker.nativeLinker().downcallHandle(STEP);

    static int call(MemorySegment function, MemorySegment first, MemorySegment second, long third) throws Throwable {
      return (int) CALL.invokeExact(function, first, second, third);
    }
  }

  /**
   * {@code open(path, O_RDONLY | O_CLOEXEC)}, {@code read(fd, buffer, count)} and {@code close(fd)} of the C library:
   * for a small file, three calls instead of the JDK's {@code FileChannel} open, read and close (measured on 20,000
   * files of 4 KiB: ~11 instead of ~13 µs of CPU a file once compiled, and far less code for C1 to compile first).
   * Bound with SHA-256 and in its call shape where the C library allows (glibc): no downcall stub of their own, so
   * binding them costs 1 to 4 ms instead of the ~100 ms of CPU that three more stubs took on a thread of their own
   * while the model was walked.
   */
  private record FileCalls(MemorySegment open, MethodHandle variadicOpen, MemorySegment read, MemorySegment close) {
    /** {@code O_RDONLY | O_CLOEXEC}: the same values on every Linux architecture the JDK runs on. */
    static final int FLAGS = 0x80000;

    /**
     * Null where the C library's functions cannot be bound (not Linux: the engine reads with Java then). {@code
     * portableOpen}: the variadic {@code open} even where glibc's {@code __open_2} is found (for the tests).
     */
    static FileCalls bind(Linker linker, boolean portableOpen) {
      if (!System.getProperty("os.name", "").equals("Linux")) {
        return null;
      }
      try {
        return bindLinux(linker, portableOpen);
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        return null; // a call shape this platform's linker does not take
      }
    }

    private static FileCalls bindLinux(Linker linker, boolean portableOpen) {
      SymbolLookup libc = linker.defaultLookup();
      var read = libc.find("read");
      var close = libc.find("close");
      var open2 = portableOpen ? java.util.Optional.<MemorySegment>empty() : libc.find("__open_2");
      var open = open2.isPresent() ? open2 : libc.find("open");
      if (open.isEmpty() || read.isEmpty() || close.isEmpty()) {
        return null;
      }
      // read(fd, buffer, count) and close(fd) in the SHA-256 steps' call shape (see STEP): a file descriptor passed
      // in a pointer-sized argument is the same register holding the same small non-negative value; read returns a
      // ssize_t of at most the buffer's size, read as its low 32 bits (-1 stays -1); close ignores the extra
      // arguments. glibc's __open_2(path, flags), the non-variadic open that _FORTIFY_SOURCE builds call, fits that
      // shape too; elsewhere (musl) open is variadic and gets a stub of its own, with 0 as the mode C would promote.
      MethodHandle variadicOpen =
          open2.isPresent()
              ? null
              : linker.downcallHandle(
                  open.get(), FunctionDescriptor.of(C_INT, ADDRESS, C_INT, C_INT), Linker.Option.firstVariadicArg(2));
      return new FileCalls(open.get(), variadicOpen, read.get(), close.get());
    }

    /** The new file descriptor, or -1. */
    int openReadOnly(MemorySegment path) throws Throwable {
      return variadicOpen == null
          ? StepCall.call(open, path, MemorySegment.ofAddress(FLAGS), 0L)
          : (int) variadicOpen.invokeExact(path, FLAGS, 0);
    }

    /** Bytes read, 0 at end of file, or -1. */
    int read(int fd, MemorySegment buffer, long count) throws Throwable {
      return StepCall.call(read, MemorySegment.ofAddress(fd), buffer, count);
    }

    void close(int fd) throws Throwable {
      int ignored = StepCall.call(close, MemorySegment.ofAddress(fd), MemorySegment.NULL, 0L);
    }
  }

  /**
   * Called through a method handle by {@link NativeSha256#load(String)} ({@code fallbacksOnly} false) and by the
   * tests ({@code true}: skip the preferred functions, the low-level SHA-256 ones and glibc's {@code __open_2}, to
   * exercise the fallbacks, EVP and the variadic {@code open}). The restricted methods are called only once native
   * access has been granted, so the JDK never prints its warning about them.
   */
  static Loaded bind(boolean fallbacksOnly) {
    if (!OpenSslSha256.class.getModule().isNativeAccessEnabled()) {
      return new Loaded(null, "native access is not enabled (java --enable-native-access=ALL-UNNAMED)");
    }
    List<String> problems = new ArrayList<>();
    Linker linker = Linker.nativeLinker();
    FileCalls files = FileCalls.bind(linker, fallbacksOnly);
    for (String library : List.of("libcrypto.so.3", "libcrypto.so.4")) {
      SymbolLookup libcrypto;
      try {
        libcrypto = SymbolLookup.libraryLookup(library, Arena.global());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        problems.add(library + " cannot be loaded");
        continue;
      }
      List<Binding> bindings =
          fallbacksOnly || !library.endsWith(".3")
              ? List.of(OpenSslSha256::evp)
              : List.of(OpenSslSha256::lowLevel, OpenSslSha256::evp);
      for (Binding binding : bindings) {
        try {
          OpenSslSha256 sha256 = binding.bind(linker, libcrypto, library, files);
          sha256.selfTest();
          return new Loaded(sha256, null);
        } catch (IllegalArgumentException | IllegalStateException e) {
          problems.add(library + ": " + e.getMessage());
        }
      }
    }
    return new Loaded(null, "no usable OpenSSL libcrypto (" + String.join("; ", problems) + ")");
  }

  /** One way of binding SHA-256 in a loaded libcrypto. */
  @FunctionalInterface
  private interface Binding {
    OpenSslSha256 bind(Linker linker, SymbolLookup libcrypto, String library, FileCalls files);
  }

  private static OpenSslSha256 lowLevel(
      Linker linker, SymbolLookup libcrypto, String library, FileCalls files) {
    return new OpenSslSha256(
        function(libcrypto, "SHA256_Init"),
        MemorySegment.NULL,
        function(libcrypto, "SHA256_Update"),
        function(libcrypto, "SHA256_Final"),
        false,
        () -> Arena.ofAuto().allocate(CONTEXT_BYTES, 16),
        "OpenSSL " + library + " SHA-256",
        files);
  }

  private static OpenSslSha256 evp(Linker linker, SymbolLookup libcrypto, String library, FileCalls files) {
    MethodHandle fetch =
        linker.downcallHandle(
            function(libcrypto, "EVP_MD_fetch"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    MethodHandle newCtx =
        linker.downcallHandle(function(libcrypto, "EVP_MD_CTX_new"), FunctionDescriptor.of(ADDRESS));
    MethodHandle freeCtx =
        linker.downcallHandle(function(libcrypto, "EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS));
    // EVP_DigestInit_ex(ctx, md, NULL engine), EVP_DigestUpdate(ctx, data, count), EVP_DigestFinal_ex(ctx, out, NULL)
    MemorySegment init = function(libcrypto, "EVP_DigestInit_ex");
    MemorySegment update = function(libcrypto, "EVP_DigestUpdate");
    MemorySegment finalEx = function(libcrypto, "EVP_DigestFinal_ex");
    MemorySegment md;
    try {
      md = (MemorySegment) fetch.invokeExact(
          MemorySegment.NULL, Arena.global().allocateFrom("SHA256"), MemorySegment.NULL);
    } catch (Throwable t) {
      throw new IllegalStateException("EVP_MD_fetch failed: " + t, t);
    }
    if (md.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("EVP_MD_fetch found no SHA256");
    }
    Supplier<MemorySegment> contexts =
        () -> {
          MemorySegment ctx;
          try {
            ctx = (MemorySegment) newCtx.invokeExact();
          } catch (Throwable t) {
            throw new IllegalStateException("EVP_MD_CTX_new failed", t);
          }
          if (ctx.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("EVP_MD_CTX_new returned NULL");
          }
          return ctx.reinterpret(0, Arena.ofAuto(), segment -> free(freeCtx, segment));
        };
    return new OpenSslSha256(
        init, md, update, finalEx, true, contexts, "OpenSSL " + library + " SHA-256 (EVP)", files);
  }

  private static void free(MethodHandle freeCtx, MemorySegment ctx) {
    try {
      freeCtx.invokeExact(ctx);
    } catch (Throwable t) {
      throw new IllegalStateException("EVP_MD_CTX_free failed", t);
    }
  }

  private static MemorySegment function(SymbolLookup library, String name) {
    return library.find(name).orElseThrow(() -> new IllegalArgumentException("no symbol " + name));
  }

  /** The FIPS 180-2 "abc" vector, so a library that is not what it claims never hashes a model. */
  private void selfTest() {
    State state = newState();
    ByteBuffer abc = ByteBuffer.allocateDirect(3).put(new byte[] {'a', 'b', 'c'}).flip();
    state.update(abc);
    if (!HexFormat.of().formatHex(state.digest()).equals(ABC_SHA256)) {
      throw new IllegalStateException("SHA256(\"abc\") self-test failed");
    }
  }

  @Override
  public boolean readsSmallFiles() {
    return files != null;
  }

  @Override
  public State newState() {
    return new Context();
  }

  /**
   * A native context freed when this object is garbage-collected, plus the digest output and, for {@link
   * #digestFile}, room for a path and the whole of the last two read buffers as segments.
   */
  private final class Context implements State {
    /** Longer paths (rare; Linux allows 4095 bytes) go through the JDK. */
    private static final int PATH_BYTES = 1024;

    private final MemorySegment context;
    private final MemorySegment out;
    /**
     * Views of {@link #out} and {@link #path} as buffers: their bulk copies are a few calls deep, where the segments'
     * {@code toArray}, {@code copy} and {@code set} go through layers that C1 does not flatten (measured on 20,000
     * files: about 5 % of all CPU).
     */
    private final ByteBuffer outBuffer;
    private MemorySegment path;
    private ByteBuffer pathBuffer;
    /** The segments of the (at most two: small and big) read buffers seen, so none is made again per file. */
    private ByteBuffer lastBuffer;
    private MemorySegment lastBufferSegment;
    private ByteBuffer otherBuffer;
    private MemorySegment otherBufferSegment;

    Context() {
      context = newContext.get();
      out = Arena.ofAuto().allocate(32, 16);
      outBuffer = out.asByteBuffer();
      reset();
    }

    @Override
    public byte[] digestFile(String file, ByteBuffer direct, int size) {
      if (files == null || !direct.isDirect() || size < 0 || size >= direct.capacity() || !cString(file)) {
        return null;
      }
      if (direct != lastBuffer) {
        ByteBuffer previous = lastBuffer;
        MemorySegment previousSegment = lastBufferSegment;
        lastBufferSegment =
            direct == otherBuffer ? otherBufferSegment : MemorySegment.ofBuffer(direct.duplicate().clear());
        lastBuffer = direct;
        otherBuffer = previous;
        otherBufferSegment = previousSegment;
      }
      MemorySegment data = lastBufferSegment;
      long n;
      try {
        int fd = files.openReadOnly(path);
        if (fd < 0) {
          return null; // the JDK then reports why
        }
        try {
          // one byte more than expected: getting exactly the expected size back means end of file
          n = files.read(fd, data, size + 1L);
        } finally {
          files.close(fd);
        }
      } catch (Throwable t) {
        throw new IllegalStateException("open/read/close of '" + file + "' failed", t);
      }
      if (n != size) {
        return null; // changed, or a read error: the JDK's path reads it again and says what it found
      }
      int ok;
      try {
        ok = StepCall.call(update, context, data, n);
      } catch (Throwable t) {
        throw new IllegalStateException(name + ": update failed", t);
      }
      check(ok, "update");
      return digest();
    }

    /**
     * Writes {@code file} into {@link #path} as a NUL-terminated string, if it is ASCII (every Linux file name
     * encoding maps ASCII to the same bytes; any other name goes through the JDK, which knows its raw bytes).
     */
    private boolean cString(String file) {
      int length = file.length();
      if (length == 0 || length >= PATH_BYTES) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        char c = file.charAt(i);
        if (c == 0 || c >= 0x80) {
          return false;
        }
      }
      if (path == null) {
        path = Arena.ofAuto().allocate(PATH_BYTES);
        pathBuffer = path.asByteBuffer();
      }
      pathBuffer.put(0, file.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(length, (byte) 0);
      return true;
    }

    @Override
    public void update(ByteBuffer direct) {
      if (!direct.isDirect()) {
        throw new IllegalArgumentException("a direct buffer is required");
      }
      MemorySegment data = MemorySegment.ofBuffer(direct);
      int ok;
      try {
        ok = StepCall.call(update, context, data, data.byteSize());
      } catch (Throwable t) {
        throw new IllegalStateException(name + ": update failed", t);
      }
      check(ok, "update");
      direct.position(direct.limit());
    }

    @Override
    public byte[] digest() {
      int ok;
      try {
        ok =
            finishTakesContextFirst
                ? StepCall.call(finish, context, out, 0L)
                : StepCall.call(finish, out, context, 0L);
      } catch (Throwable t) {
        throw new IllegalStateException(name + ": final failed", t);
      }
      check(ok, "final");
      byte[] digest = new byte[32];
      outBuffer.get(0, digest);
      reset();
      return digest;
    }

    private void reset() {
      int ok;
      try {
        ok = StepCall.call(init, context, initArgument, 0L);
      } catch (Throwable t) {
        throw new IllegalStateException(name + ": init failed", t);
      }
      check(ok, "init");
    }

    private void check(int ok, String step) {
      if (ok != 1) {
        throw new IllegalStateException(name + ": " + step + " returned " + ok);
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
