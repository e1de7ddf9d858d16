package dev.modelvalidation.modelsigning.hashing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * {@link NativeSha256} through the Foreign Function and Memory API (Java 22+): OpenSSL's {@code SHA256_Init},
 * {@code SHA256_Update} and {@code SHA256_Final} from {@code libcrypto.so.3}, the same assembly (SHA-NI where the CPU
 * has it) as {@code openssl dgst -sha256}.
 *
 * <p>The low-level functions rather than {@code EVP_Digest*}: three downcall stubs instead of six to generate at
 * start, no provider lookup per file, and a context that is plain memory managed by the garbage collector. They are
 * deprecated in OpenSSL 3 but part of the {@code libcrypto.so.3} ABI, which is all this binds to.
 *
 * <p>Input is only ever a direct buffer the engine filled with {@code read} calls, never a memory mapping: a file
 * truncated under a mapping raises SIGBUS, which the JVM turns into an exception in Java code but not in native code.
 */
final class OpenSslSha256 implements NativeSha256 {
  /** {@code sizeof(SHA256_CTX)} is 112 bytes in OpenSSL 3; room to spare costs nothing. */
  private static final long CONTEXT_BYTES = 256;

  private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  private final MethodHandle init;
  private final MethodHandle update;
  private final MethodHandle finish;

  private OpenSslSha256(MethodHandle init, MethodHandle update, MethodHandle finish) {
    this.init = init;
    this.update = update;
    this.finish = finish;
  }

  /**
   * Called reflectively by {@link NativeSha256#load(String)}. The restricted methods are called only once native
   * access has been granted, so the JDK never prints its warning about them.
   */
  @SuppressWarnings("restricted")
  static Loaded bind() {
    if (!OpenSslSha256.class.getModule().isNativeAccessEnabled()) {
      return new Loaded(null, "native access is not enabled (java --enable-native-access=ALL-UNNAMED)");
    }
    SymbolLookup libcrypto;
    try {
      libcrypto = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return new Loaded(null, "libcrypto.so.3 (OpenSSL 3) cannot be loaded: " + e.getMessage());
    }
    var address = ValueLayout.ADDRESS;
    var cInt = ValueLayout.JAVA_INT;
    Linker linker = Linker.nativeLinker();
    try {
      OpenSslSha256 sha256 =
          new OpenSslSha256(
              linker.downcallHandle(function(libcrypto, "SHA256_Init"), FunctionDescriptor.of(cInt, address)),
              linker.downcallHandle(
                  function(libcrypto, "SHA256_Update"),
                  FunctionDescriptor.of(cInt, address, address, ValueLayout.JAVA_LONG)),
              linker.downcallHandle(
                  function(libcrypto, "SHA256_Final"), FunctionDescriptor.of(cInt, address, address)));
      sha256.selfTest();
      return new Loaded(sha256, null);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return new Loaded(null, "libcrypto.so.3 is not usable: " + e.getMessage());
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
  public State newState() {
    return new Context();
  }

  /** A {@code SHA256_CTX} in memory the garbage collector frees with this object, plus the digest output. */
  private final class Context implements State {
    private final MemorySegment context;
    private final MemorySegment out;

    Context() {
      Arena arena = Arena.ofAuto();
      context = arena.allocate(CONTEXT_BYTES, 16);
      out = arena.allocate(32, 16);
      reset();
    }

    @Override
    public void update(ByteBuffer direct) {
      if (!direct.isDirect()) {
        throw new IllegalArgumentException("a direct buffer is required");
      }
      MemorySegment data = MemorySegment.ofBuffer(direct);
      int ok;
      try {
        ok = (int) update.invokeExact(context, data, data.byteSize());
      } catch (Throwable t) {
        throw new IllegalStateException("SHA256_Update failed", t);
      }
      check(ok, "SHA256_Update");
      direct.position(direct.limit());
    }

    @Override
    public byte[] digest() {
      int ok;
      try {
        ok = (int) finish.invokeExact(out, context);
      } catch (Throwable t) {
        throw new IllegalStateException("SHA256_Final failed", t);
      }
      check(ok, "SHA256_Final");
      byte[] digest = out.toArray(ValueLayout.JAVA_BYTE);
      reset();
      return digest;
    }

    private void reset() {
      int ok;
      try {
        ok = (int) init.invokeExact(context);
      } catch (Throwable t) {
        throw new IllegalStateException("SHA256_Init failed", t);
      }
      check(ok, "SHA256_Init");
    }

    private static void check(int ok, String function) {
      if (ok != 1) {
        throw new IllegalStateException(function + " returned " + ok);
      }
    }
  }

  @Override
  public String toString() {
    return "OpenSSL libcrypto.so.3 SHA-256";
  }
}
