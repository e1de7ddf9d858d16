package dev.modelvalidation.modelsigning.hashing;

import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * SHA-256 computed by the platform's OpenSSL ({@code libcrypto.so.3}, or OpenSSL 4's {@code libcrypto.so.4}) instead
 * of the JDK.
 *
 * <p>Why: the JDK's SHA-256 is as fast as OpenSSL's only once the C2 compiler has compiled its intrinsic, which costs
 * a short run (a verify of a few GB) about as much CPU as the hashing saves; a native digest runs at the hardware
 * limit from the first byte and lets the CLI run with the C1 compiler only (see {@code bin/model-signing}).
 *
 * <p>The binding needs Java 22 or later (the Foreign Function and Memory API), native access enabled for the class
 * path ({@code --enable-native-access=ALL-UNNAMED}) and a libcrypto; its class is compiled for Java 22 and loaded only
 * there. Anything missing: {@link #load(String)} says why and the JDK's digest is used instead. The
 * system property {@value #PROPERTY} chooses: {@code auto} (the default: native when available), {@code jdk} (never
 * native) or {@code openssl} (native, or fail).
 */
interface NativeSha256 {
  /** System property choosing the SHA-256 implementation of the hashing engine. */
  String PROPERTY = "dev.modelvalidation.sha256";

  /** Set by {@code bin/model-signing} when it runs the JVM with C1 only, counting on OpenSSL. */
  String C1_ONLY_PROPERTY = "dev.modelvalidation.c1-only";

  /** A new hash state, ready for input. */
  State newState();

  /** Whether {@link State#digestFile} reads files: the C library calls are bound with SHA-256, where they can be. */
  boolean readsSmallFiles();

  /** One incremental SHA-256 computation. Not thread-safe. */
  interface State {
    /** Hashes the remaining bytes of a direct (not memory-mapped) buffer and moves its position to its limit. */
    void update(ByteBuffer direct);

    /** Finishes: returns the 32-byte digest and starts a new computation. */
    byte[] digest();

    /**
     * The digest of a whole small file read with the C library ({@code open}, one {@code read} into {@code direct},
     * {@code close}): the way to hash many small files with least CPU. Null when this path does not apply (the C
     * library calls could not be bound; a non-ASCII path; {@code size} not below the buffer's capacity), when the
     * file cannot be opened or read, or when it does not hold exactly {@code size} bytes: the caller then reads it through the JDK, which reports what is wrong. The
     * buffer's contents are overwritten; its position and limit are not used. The state must hold no input yet (new,
     * or just after {@link #digest()}), as the engine's are.
     */
    byte[] digestFile(String path, ByteBuffer direct, int size);
  }

  /** What loading gave: the binding, or why there is none. */
  record Loaded(NativeSha256 sha256, String unavailableReason) {
    boolean available() {
      return sha256 != null;
    }
  }

  /** The choice made by {@value #PROPERTY}: {@code auto} when unset. */
  static String choice() {
    return System.getProperty(PROPERTY, "auto");
  }

  /**
   * Binds to OpenSSL as {@code choice} ({@code auto}, {@code jdk} or {@code openssl}) says. Takes tens of
   * milliseconds (the downcall stubs are generated on first use), so the engine calls it on a background thread.
   *
   * @throws IllegalStateException if the choice is {@code openssl} and it cannot be loaded, or the choice is unknown
   */
  static Loaded load(String choice) {
    switch (choice) {
      case "jdk":
        return new Loaded(null, PROPERTY + "=jdk");
      case "auto", "openssl":
        break;
      default:
        throw new IllegalStateException(
            "Unknown value '" + choice + "' of " + PROPERTY + ": expected auto, jdk or openssl");
    }
    return checked(choice, bind(), Boolean.getBoolean(C1_ONLY_PROPERTY), System.err);
  }

  /**
   * What binding gave, checked against the choice: fails for {@code openssl} without a binding, and warns on {@code
   * err} when the launcher ran the JVM with C1 only ({@code c1Only}) counting on OpenSSL, which is then missing.
   */
  static Loaded checked(String choice, Loaded loaded, boolean c1Only, PrintStream err) {
    if (loaded.available()) {
      return loaded;
    }
    if (choice.equals("openssl")) {
      throw new IllegalStateException(
          "OpenSSL SHA-256 was asked for (" + PROPERTY + "=openssl) but is not available: "
              + loaded.unavailableReason());
    }
    if (c1Only) {
      err.println(
          "model-signing: warning: OpenSSL's SHA-256 is not available ("
              + loaded.unavailableReason()
              + "); the JDK's is slow without the C2 compiler. Set MODEL_SIGNING_JAVA_OPTS=-D"
              + PROPERTY
              + "=jdk to keep C2.");
    }
    return loaded;
  }

  private static Loaded bind() {
    if (Runtime.version().feature() < 22) {
      return new Loaded(null, "needs Java 22 or later, running " + Runtime.version().feature());
    }
    try {
      // Compiled for Java 22 (class file version 66): loaded only after the version check above.
      Class<?> binding = Class.forName(NativeSha256.class.getPackageName() + ".OpenSslSha256");
      // a method handle rather than Method.invoke, whose accessor costs a few milliseconds to generate
      MethodHandle bind =
          MethodHandles.lookup()
              .findStatic(binding, "bind", MethodType.methodType(Loaded.class, boolean.class));
      try {
        return (Loaded) bind.invokeExact(false);
      } catch (VirtualMachineError e) {
        throw e; // out of memory, stack overflow: not a reason to hash with the JDK instead
      } catch (Throwable t) {
        return new Loaded(null, "binding OpenSSL failed: " + t);
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      return new Loaded(null, "the OpenSSL binding is not on the class path (" + e + ")");
    }
  }
}
