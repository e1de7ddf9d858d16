package dev.modelvalidation.modelsigning.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenSSL's SHA-256 through the FFM API. The build runs the tests on JDK 25 with native access enabled and
 * {@code .ci/run} installs OpenSSL, so the binding must load here: a failure to load is a failure, not a skip.
 */
class NativeSha256Test {
  private static NativeSha256 openSsl() {
    NativeSha256.Loaded loaded = NativeSha256.load("openssl");
    assertThat(loaded.available()).as("binding: %s", loaded.unavailableReason()).isTrue();
    return loaded.sha256();
  }

  /**
   * The fallbacks, bound here on purpose: the EVP functions, used when libcrypto lacks the low-level ones (or is
   * OpenSSL 4's), and the variadic {@code open}, used where the C library has no {@code __open_2} (not glibc). The
   * binding class is compiled for Java 22, so these Java 21 tests reach it reflectively.
   */
  private static NativeSha256 openSslEvp() throws ReflectiveOperationException {
    Class<?> binding = Class.forName(NativeSha256.class.getPackageName() + ".OpenSslSha256");
    var bind = binding.getDeclaredMethod("bind", boolean.class);
    bind.setAccessible(true);
    NativeSha256.Loaded loaded = (NativeSha256.Loaded) bind.invoke(null, true);
    assertThat(loaded.available()).as("EVP binding: %s", loaded.unavailableReason()).isTrue();
    assertThat(loaded.sha256().toString()).isEqualTo("OpenSSL libcrypto.so.3 SHA-256 (EVP)");
    return loaded.sha256();
  }

  @ParameterizedTest
  @ValueSource(strings = {"low-level", "evp"})
  void matchesTheJdkAroundEveryBlockBoundaryAndInPieces(String binding) throws Exception {
    NativeSha256.State state = (binding.equals("evp") ? openSslEvp() : openSsl()).newState();
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 65_536 + 3, (1 << 20) + 7}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
      // whole, then in three uneven pieces (the state carries partial blocks across updates)
      state.update(ByteBuffer.allocateDirect(size).put(data).flip());
      assertThat(state.digest()).as("%d bytes at once", size).isEqualTo(expected);
      int a = size / 3;
      int b = size - size / 5;
      for (int[] piece : new int[][] {{0, a}, {a, b}, {b, size}}) {
        ByteBuffer direct = ByteBuffer.allocateDirect(piece[1] - piece[0]).put(data, piece[0], piece[1] - piece[0]);
        state.update(direct.flip());
        assertThat(direct.hasRemaining()).isFalse();
      }
      assertThat(state.digest()).as("%d bytes in pieces", size).isEqualTo(expected);
    }
  }

  @Test
  void theContentHasherTakesHeapInputAndBufferSlicesToo() throws Exception {
    ContentHasher hasher = new ContentHasher.Native(openSsl());
    byte[] data = new byte[200_000];
    new Random(3).nextBytes(data);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
    hasher.update(data, 0, 1000);
    hasher.update(ByteBuffer.wrap(data, 1000, 150_000)); // heap buffer bigger than the scratch buffer
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
    hasher.update(direct.position(151_000).slice()); // a direct slice not starting at 0
    assertThat(hasher.digest()).isEqualTo(expected);
    assertThat(hasher.digest()).as("reset after digest").isEqualTo(MessageDigest.getInstance("SHA-256").digest());
  }

  /** A state whose C library calls are bound: on Linux with glibc or musl they always are, with SHA-256. */
  private static NativeSha256.State withFileCalls(NativeSha256 sha256) {
    assertThat(sha256.readsSmallFiles()).as("open/read/close bound with SHA-256").isTrue();
    return sha256.newState();
  }

  @ParameterizedTest
  @ValueSource(strings = {"low-level", "evp"})
  void smallFilesReadByTheCLibraryHashLikeTheJdk(String binding, @TempDir Path dir) throws Exception {
    NativeSha256.State state = withFileCalls(binding.equals("evp") ? openSslEvp() : openSsl());
    ByteBuffer buffer = ByteBuffer.allocateDirect(8192);
    Random random = new Random(11);
    for (int size : new int[] {0, 1, 64, 4096, 8191}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Path file = Files.write(dir.resolve("f-" + size), data);
      assertThat(state.digestFile(file.toString(), buffer, size))
          .as("%d bytes", size)
          .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }
    // the state is left ready for the next file, also after a file it declined
    assertThat(state.digestFile(dir.resolve("missing").toString(), buffer, 3)).isNull();
    assertThat(state.digestFile(dir.resolve("f-64").toString(), buffer, 64)).isNotNull();
  }

  @Test
  void smallFilesTheCLibraryPathDeclinesAreLeftToTheJdk(@TempDir Path dir) throws Exception {
    NativeSha256.State state = withFileCalls(openSsl());
    ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    Path file = Files.write(dir.resolve("model.bin"), new byte[100]);
    String path = file.toString();
    assertThat(state.digestFile(path, buffer, 99)).as("longer than the walk saw").isNull();
    assertThat(state.digestFile(path, buffer, 101)).as("shorter than the walk saw").isNull();
    assertThat(state.digestFile(path, buffer, 4096)).as("does not fit the buffer with a byte to spare").isNull();
    assertThat(state.digestFile(path, ByteBuffer.allocate(4096), 100)).as("heap buffer").isNull();
    assertThat(state.digestFile(dir.resolve("missing").toString(), buffer, 100)).as("cannot be opened").isNull();
    assertThat(state.digestFile(dir.toString(), buffer, 100)).as("a directory: read fails").isNull();
    // a non-ASCII name is left to the JDK, which knows the file name's bytes
    Path named = Files.write(dir.resolve("modèle.bin"), new byte[100]);
    assertThat(state.digestFile(named.toString(), buffer, 100)).isNull();
    // after all of these, the state still hashes correctly
    state.update(ByteBuffer.allocateDirect(3).put(new byte[] {'a', 'b', 'c'}).flip());
    assertThat(state.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[] {'a', 'b', 'c'}));
    assertThat(state.digestFile(path, buffer, 100))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[100]));
  }

  @Test
  void theStateTakesDirectBuffersOnly() {
    NativeSha256.State state = openSsl().newState();
    assertThatThrownBy(() -> state.update(ByteBuffer.allocate(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("direct buffer");
  }

  @Test
  void theChoiceJdkNeverBindsAndAnUnknownChoiceIsRefused() {
    NativeSha256.Loaded jdk = NativeSha256.load("jdk");
    assertThat(jdk.available()).isFalse();
    assertThat(jdk.unavailableReason()).contains("dev.modelvalidation.sha256=jdk");
    assertThatThrownBy(() -> NativeSha256.load("fast"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected auto, jdk or openssl");
    assertThatThrownBy(() -> new HashingEngine(1, "fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dev.modelvalidation.sha256");
  }

  @Test
  void theEngineSaysWhichSha256ItUses() {
    try (HashingEngine auto = new HashingEngine(1, "auto");
        HashingEngine jdk = new HashingEngine(1, "jdk")) {
      assertThat(auto.sha256Implementation()).isEqualTo("OpenSSL libcrypto.so.3 SHA-256");
      assertThat(jdk.sha256Implementation()).isEqualTo("JDK SHA-256 (dev.modelvalidation.sha256=jdk)");
    }
  }

  /** The launcher's C1-only mode counts on OpenSSL: when it is missing after all, the user is told how to keep C2. */
  @Test
  void aMissingBindingUnderC1OnlyIsWarnedAboutAndFailsOnlyWhenRequired() {
    NativeSha256.Loaded missing = new NativeSha256.Loaded(null, "libcrypto.so.3 (OpenSSL 3) cannot be loaded");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stream = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);

    assertThat(NativeSha256.checked("auto", missing, false, stream)).isSameAs(missing);
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();

    assertThat(NativeSha256.checked("auto", missing, true, stream)).isSameAs(missing);
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("model-signing: warning: OpenSSL's SHA-256 is not available (libcrypto.so.3")
        .contains("MODEL_SIGNING_JAVA_OPTS=-Ddev.modelvalidation.sha256=jdk");

    assertThatThrownBy(() -> NativeSha256.checked("openssl", missing, true, stream))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev.modelvalidation.sha256=openssl")
        .hasMessageContaining("cannot be loaded");
  }

  /** EVP contexts are native allocations freed when their state is garbage-collected: many come and go. */
  @Test
  void evpContextsAreFreedWithTheirStates() throws Exception {
    NativeSha256 evp = openSslEvp();
    ByteBuffer abc = ByteBuffer.allocateDirect(3).put(new byte[] {'a', 'b', 'c'}).flip();
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(new byte[] {'a', 'b', 'c'});
    for (int i = 0; i < 20_000; i++) {
      NativeSha256.State state = evp.newState();
      state.update(abc.duplicate());
      assertThat(state.digest()).isEqualTo(expected);
      if (i % 5_000 == 0) {
        System.gc();
      }
    }
  }
}
