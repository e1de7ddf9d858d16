package dev.modelvalidation.modelsigning.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.modelsigning.ModelSigningException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HashingEngineTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  @Test
  void knownDigestsOfAbc() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertThat(HEX.formatHex(ContentHasher.digestOf(HashAlgorithm.SHA256, abc)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(HEX.formatHex(ContentHasher.digestOf(HashAlgorithm.BLAKE2B, abc)))
        .isEqualTo(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    assertThat(HEX.formatHex(ContentHasher.digestOf(HashAlgorithm.BLAKE3, abc)))
        .isEqualTo("6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
  }

  @Test
  void algorithmNames() {
    assertThat(HashAlgorithm.fromName("sha256")).isEqualTo(HashAlgorithm.SHA256);
    assertThat(HashAlgorithm.fromName("blake2")).isEqualTo(HashAlgorithm.BLAKE2B);
    assertThat(HashAlgorithm.fromName("blake2b")).isEqualTo(HashAlgorithm.BLAKE2B);
    assertThat(HashAlgorithm.fromName("blake3")).isEqualTo(HashAlgorithm.BLAKE3);
    assertThatThrownBy(() -> HashAlgorithm.fromName("SHA256")).isInstanceOf(IllegalArgumentException.class);
    assertThat(HashAlgorithm.BLAKE2B.jsonName()).isEqualTo("blake2b");
  }

  @Test
  void serializationNamesAndBlake3Fallback() {
    assertThat(Serialization.shards(HashAlgorithm.SHA256, 8).resourceAlgorithm()).isEqualTo("sha256-sharded-8");
    assertThat(Serialization.DEFAULT.resourceAlgorithm()).isEqualTo("sha256");
    Serialization blake3 = Serialization.shards(HashAlgorithm.BLAKE3, 8);
    assertThat(blake3).isEqualTo(Serialization.files(HashAlgorithm.BLAKE3));
    assertThat(blake3.resourceAlgorithm()).isEqualTo("blake3");
    assertThatThrownBy(() -> Serialization.shards(HashAlgorithm.SHA256, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shardRanges() {
    assertThat(HashingEngine.shardStarts(22, 8)).containsExactly(0, 8, 16);
    assertThat(HashingEngine.shardStarts(16, 8)).containsExactly(0, 8);
    assertThat(HashingEngine.shardStarts(8, 8)).containsExactly(0);
    assertThat(HashingEngine.shardStarts(0, 8)).isEmpty();
  }

  /**
   * Sizes around the buffer and read-ahead thresholds, and a big file streamed in many chunks; with OpenSSL's SHA-256
   * ({@code auto}: big units are read) and the JDK's (big units are memory-mapped while every worker is busy).
   */
  @ParameterizedTest
  @CsvSource({"SHA256, auto", "SHA256, openssl", "SHA256, jdk", "BLAKE2B, auto", "BLAKE3, auto"})
  void engineMatchesOneShotDigestsInBothModes(HashAlgorithm algorithm, String sha256) throws Exception {
    long[] sizes = {
      0,
      1,
      4096,
      HashingEngine.SMALL_BUFFER_SIZE - 1,
      HashingEngine.SMALL_BUFFER_SIZE,
      HashingEngine.SMALL_BUFFER_SIZE + 1,
      HashingEngine.BUFFER_SIZE - 1,
      HashingEngine.BUFFER_SIZE,
      HashingEngine.BUFFER_SIZE + 1,
      HashingEngine.STREAM_THRESHOLD - 1,
      HashingEngine.STREAM_THRESHOLD,
      5L * HashingEngine.BUFFER_SIZE + 777,
      // many read-ahead chunks; only for SHA-256 (BouncyCastle's BLAKE is slow and takes the same path)
      algorithm == HashAlgorithm.SHA256 ? 20L * HashingEngine.BUFFER_SIZE + 5 : 0,
      // more than one memory-mapped window
      algorithm == HashAlgorithm.SHA256 ? HashingEngine.MAP_WINDOW + 5 : 0
    };
    List<FileSpec> files = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < sizes.length; i++) {
      byte[] content = new byte[(int) sizes[i]];
      random.nextBytes(content);
      Path p = dir.resolve("f" + i);
      Files.write(p, content);
      files.add(new FileSpec(p, content.length));
      contents.add(content);
    }
    long shard = 7_000_001L; // not aligned with the buffers
    // one thread: every big unit is memory-mapped (no idle core for read-ahead); three: read-ahead and mapping mix
    for (int threads : new int[] {1, 3}) {
      try (HashingEngine engine = new HashingEngine(threads, sha256)) {
        byte[][][] whole = engine.hash(files, Serialization.files(algorithm), ProgressListener.NONE);
        for (int i = 0; i < sizes.length; i++) {
          assertThat(whole[i]).hasNumberOfRows(1);
          assertThat(whole[i][0]).as("file of %d bytes", sizes[i]).isEqualTo(ContentHasher.digestOf(algorithm, contents.get(i)));
        }
        if (algorithm == HashAlgorithm.BLAKE3) {
          continue; // shards with blake3 fall back to files
        }
        byte[][][] sharded = engine.hash(files, Serialization.shards(algorithm, shard), ProgressListener.NONE);
        for (int i = 0; i < sizes.length; i++) {
          byte[] content = contents.get(i);
          long[] starts = HashingEngine.shardStarts(content.length, shard);
          assertThat(sharded[i]).hasNumberOfRows(starts.length);
          for (int s = 0; s < starts.length; s++) {
            int from = (int) starts[s];
            int to = (int) Math.min(starts[s] + shard, content.length);
            assertThat(sharded[i][s]).isEqualTo(ContentHasher.digestOf(algorithm, Arrays.copyOfRange(content, from, to)));
          }
        }
      }
    }
  }

  @Test
  void manySmallFilesOnAnyThreadCountGiveTheSameDigests() throws Exception {
    List<FileSpec> files = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Path p = dir.resolve("small" + i);
      Files.writeString(p, "content " + i);
      files.add(new FileSpec(p, Files.size(p)));
    }
    byte[][][] one;
    byte[][][] four;
    try (HashingEngine engine = new HashingEngine(1)) {
      one = engine.hash(files, Serialization.DEFAULT, ProgressListener.NONE);
    }
    try (HashingEngine engine = new HashingEngine(4)) {
      four = engine.hash(files, Serialization.DEFAULT, ProgressListener.NONE);
    }
    for (int i = 0; i < files.size(); i++) {
      byte[] expected =
          MessageDigest.getInstance("SHA-256").digest(("content " + i).getBytes(StandardCharsets.US_ASCII));
      assertThat(one[i][0]).isEqualTo(expected);
      assertThat(four[i][0]).isEqualTo(expected);
    }
  }

  @Test
  void progressIsCoarseMonotonicAndEndsAtTheTotal() throws Exception {
    List<FileSpec> files = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < 40; i++) {
      Path p = dir.resolve("p" + i);
      byte[] content = new byte[1 << 20];
      Files.write(p, content);
      files.add(new FileSpec(p, content.length));
      total += content.length;
    }
    List<long[]> calls = new CopyOnWriteArrayList<>();
    try (HashingEngine engine = new HashingEngine(2)) {
      engine.hash(files, Serialization.DEFAULT, (done, all) -> calls.add(new long[] {done, all}));
    }
    assertThat(calls).isNotEmpty().hasSizeLessThan(files.size());
    assertThat(calls.get(calls.size() - 1)).containsExactly(total, total);
    for (long[] c : calls) {
      assertThat(c[0]).isBetween(0L, total);
      assertThat(c[1]).isEqualTo(total);
    }
  }

  /**
   * With OpenSSL, small files are tried through the C library once its calls are bound; whichever path reads the
   * file, the error comes from the JDK's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"openssl", "jdk"})
  void aMissingFileIsAOneLineErrorNamingIt(String sha256) throws IOException {
    Path missing = dir.resolve("gone");
    List<FileSpec> files = List.of(new FileSpec(missing, 3));
    try (HashingEngine engine = new HashingEngine(2, sha256)) {
      assertThatThrownBy(() -> engine.hash(files, Serialization.DEFAULT, ProgressListener.NONE))
          .isInstanceOf(ModelSigningException.class)
          .hasMessage("Cannot read file '" + missing + "': no such file");
    }
  }

  /** One thread: the big unit is read (OpenSSL) or memory-mapped (JDK), not read ahead. */
  @ParameterizedTest
  @ValueSource(strings = {"openssl", "jdk"})
  void aBigFileThatShrankIsReported(String sha256) throws IOException {
    Path p = dir.resolve("shrunk-big");
    Files.write(p, new byte[(int) HashingEngine.STREAM_THRESHOLD]);
    List<FileSpec> files = List.of(new FileSpec(p, 3 * HashingEngine.STREAM_THRESHOLD));
    try (HashingEngine engine = new HashingEngine(1, sha256)) {
      assertThatThrownBy(
              () -> engine.hash(files, Serialization.shards(HashAlgorithm.SHA256, 1L << 40), ProgressListener.NONE))
          .isInstanceOf(ModelSigningException.class)
          .hasMessageContaining("changed while it was hashed");
    }
  }

  @Test
  void aFileThatShrankIsReportedInShardMode() throws IOException {
    Path p = dir.resolve("shrunk");
    Files.writeString(p, "12345");
    List<FileSpec> files = List.of(new FileSpec(p, 100));
    try (HashingEngine engine = new HashingEngine(1)) {
      assertThatThrownBy(
              () -> engine.hash(files, Serialization.shards(HashAlgorithm.SHA256, 8), ProgressListener.NONE))
          .isInstanceOf(ModelSigningException.class)
          .hasMessageContaining("changed while it was hashed");
    }
  }

  /**
   * Writes file {@code i} with {@code walkedAndActual[i][1]} random bytes under {@code name.apply(i)} and adds it to
   * {@code files} with the size a walk saw, {@code walkedAndActual[i][0]}; its content goes to {@code contents}.
   */
  private void writeChangedFiles(
      int[][] walkedAndActual, java.util.function.IntFunction<String> name, List<FileSpec> files, List<byte[]> contents)
      throws IOException {
    Random random = new Random(walkedAndActual.length);
    for (int i = 0; i < walkedAndActual.length; i++) {
      byte[] content = new byte[walkedAndActual[i][1]];
      random.nextBytes(content);
      Path p = Files.write(dir.resolve(name.apply(i)), content);
      files.add(new FileSpec(p, walkedAndActual[i][0]));
      contents.add(content);
    }
  }

  /**
   * Files mode hashes to the end of the file, whatever size the walk saw (a short first read is not trusted). With
   * OpenSSL, the C library's read (once bound) declines such files and the JDK's path hashes them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"openssl", "jdk"})
  void filesModeHashesEachFileToItsEndWhateverSizeTheWalkSaw(String sha256) throws Exception {
    int small = HashingEngine.SMALL_BUFFER_SIZE;
    int[][] walkedAndActual = {
      {3, 10}, {100, 5}, {0, 7}, {4096, 4096}, {4096, 4097}, {5, 0}, {small - 1, small + 10}, {small + 10, small - 1}
    };
    List<FileSpec> files = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    writeChangedFiles(walkedAndActual, i -> "changed" + i, files, contents);
    try (HashingEngine engine = new HashingEngine(2, sha256)) {
      byte[][][] digests = engine.hash(files, Serialization.DEFAULT, ProgressListener.NONE);
      for (int i = 0; i < files.size(); i++) {
        assertThat(HEX.formatHex(digests[i][0]))
            .as("walked %d bytes, file has %d", walkedAndActual[i][0], walkedAndActual[i][1])
            .isEqualTo(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(contents.get(i))));
      }
    }
  }

  /**
   * Once the C library reads small files: files whose size changed since the walk, a missing file, a non-ASCII name
   * and a path of another file system are all left to the JDK's path, and every digest is right.
   */
  @Test
  void smallFilesTheCLibraryDeclinesAreHashedByTheJdkPath() throws Exception {
    try (HashingEngine engine = new HashingEngine(2, "openssl")) {
      assertThat(engine.readsSmallFilesWithCLibrary()).isTrue();
      int[][] walkedAndActual = {{100, 100}, {3, 10}, {100, 5}, {4096, 4097}, {0, 0}, {7, 7}};
      List<FileSpec> files = new ArrayList<>();
      List<byte[]> contents = new ArrayList<>();
      writeChangedFiles(walkedAndActual, i -> i == 5 ? "modèle-" + i : "plain-" + i, files, contents);
      // a file in a zip whose path reads like an OS file of the same size: the zip's content must be hashed
      byte[] zipContent = "zip content".getBytes(StandardCharsets.UTF_8);
      Path twin = Files.write(dir.resolve("twin"), "os  content".getBytes(StandardCharsets.UTF_8));
      try (java.nio.file.FileSystem zip =
          java.nio.file.FileSystems.newFileSystem(dir.resolve("archive.zip"), java.util.Map.of("create", "true"))) {
        Path inZip = zip.getPath(twin.toAbsolutePath().toString());
        Files.createDirectories(inZip.getParent());
        Files.write(inZip, zipContent);
        files.add(new FileSpec(inZip, zipContent.length));
        contents.add(zipContent);
        byte[][][] digests = engine.hash(files, Serialization.DEFAULT, ProgressListener.NONE);
        for (int i = 0; i < files.size(); i++) {
          assertThat(HEX.formatHex(digests[i][0]))
              .as("%s", files.get(i).path())
              .isEqualTo(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(contents.get(i))));
        }
      }
      Path gone = dir.resolve("gone-now");
      assertThatThrownBy(() -> engine.hash(List.of(new FileSpec(gone, 3)), Serialization.DEFAULT, ProgressListener.NONE))
          .isInstanceOf(ModelSigningException.class)
          .hasMessage("Cannot read file '" + gone + "': no such file");
    }
  }

  /**
   * {@link HashingEngine#sha256(byte[])} (a manifest's root digest) gives the JDK's SHA-256 before OpenSSL is bound, and
   * the same bytes once a big enough job bound it (or at once in {@code openssl} mode): sizes around the native
   * hasher's 64 KiB scratch buffer and that of a 20,000-resource manifest.
   */
  @ParameterizedTest
  @ValueSource(strings = {"auto", "openssl", "jdk"})
  void sha256OfBytesIsTheSameBeforeAndAfterOpenSslIsBound(String sha256) throws Exception {
    Random random = new Random(11);
    Path big = Files.write(dir.resolve("big"), new byte[(int) HashingEngine.BIND_THRESHOLD + 1]);
    try (HashingEngine engine = new HashingEngine(2, sha256)) {
      for (int round = 0; round < 2; round++) {
        for (int size : new int[] {0, 1, 65_535, 65_536, 65_537, 32 * 20_000}) {
          byte[] data = new byte[size];
          random.nextBytes(data);
          assertThat(HEX.formatHex(engine.sha256(data)))
              .as("round %d, %d bytes", round, size)
              .isEqualTo(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        }
        engine.hash(List.of(new FileSpec(big, Files.size(big))), Serialization.DEFAULT, ProgressListener.NONE);
      }
      if (sha256.equals("openssl")) {
        assertThat(engine.sha256Implementation()).startsWith("OpenSSL");
      }
    }
  }

  /** A batch hashes files while more are added; results come back in the order added, big files included. */
  @Test
  void batchResultsFollowTheOrderOfAdding() throws Exception {
    Random random = new Random(9);
    int[] sizes = {10, (int) HashingEngine.STREAM_THRESHOLD + 3, 0, 4096, (int) HashingEngine.STREAM_THRESHOLD * 2, 1};
    List<byte[]> contents = new ArrayList<>();
    try (HashingEngine engine = new HashingEngine(2);
        HashingEngine.Batch batch = engine.start(Serialization.DEFAULT, ProgressListener.NONE)) {
      for (int round = 0; round < 20; round++) {
        for (int size : sizes) {
          byte[] content = new byte[round == 0 || size < 8192 ? size : 0];
          random.nextBytes(content);
          Path p = dir.resolve("b" + round + "-" + contents.size());
          Files.write(p, content);
          batch.add(new FileSpec(p, content.length));
          contents.add(content);
        }
      }
      byte[][][] digests = batch.finish();
      assertThat(digests.length).isEqualTo(contents.size());
      for (int i = 0; i < contents.size(); i++) {
        assertThat(digests[i][0]).isEqualTo(MessageDigest.getInstance("SHA-256").digest(contents.get(i)));
      }
    }
  }

  /** A walk that fails midway closes its batch unfinished: the hashing stops and the engine stays usable. */
  @Test
  void anUnfinishedBatchStopsAndTheEngineStaysUsable() throws Exception {
    List<FileSpec> files = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Path p = dir.resolve("u" + i);
      Files.write(p, new byte[8192]);
      files.add(new FileSpec(p, 8192));
    }
    try (HashingEngine engine = new HashingEngine(2)) {
      try (HashingEngine.Batch batch = engine.start(Serialization.DEFAULT, ProgressListener.NONE)) {
        files.forEach(batch::add);
      }
      byte[][][] digests = engine.hash(files.subList(0, 3), Serialization.DEFAULT, ProgressListener.NONE);
      assertThat(digests[2][0]).isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[8192]));
    }
  }

  /**
   * A failure in the middle of a file (here the progress listener throws) fails that call; the next call on the same
   * engine must not reuse a hasher still holding part of that file.
   */
  @ParameterizedTest
  @ValueSource(strings = {"openssl", "jdk"})
  void aWorkerThatFailedMidFileDoesNotPassOnAHalfFedHasher(String sha256) throws Exception {
    byte[] content = new byte[40 << 20]; // progress is reported every 16 MiB: twice inside this file
    new Random(5).nextBytes(content);
    Path p = dir.resolve("big");
    Files.write(p, content);
    List<FileSpec> files = List.of(new FileSpec(p, content.length));
    try (HashingEngine engine = new HashingEngine(1, sha256)) {
      ProgressListener failing =
          (done, total) -> {
            throw new IllegalStateException("listener failed");
          };
      assertThatThrownBy(() -> engine.hash(files, Serialization.DEFAULT, failing))
          .isInstanceOf(ModelSigningException.class)
          .hasMessageContaining("listener failed");
      byte[][][] again = engine.hash(files, Serialization.DEFAULT, ProgressListener.NONE);
      assertThat(again[0][0]).isEqualTo(MessageDigest.getInstance("SHA-256").digest(content));
    }
  }

  /** Closing the engine under a batch whose files are not all hashed fails the batch: no missing digest is returned. */
  @Test
  void closingTheEngineUnderAnUnfinishedBatchFailsIt() throws Exception {
    List<FileSpec> files = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Path p = dir.resolve("c" + i);
      Files.write(p, new byte[100]);
      files.add(new FileSpec(p, 100));
    }
    HashingEngine engine = new HashingEngine(1);
    try (HashingEngine.Batch batch = engine.start(Serialization.DEFAULT, ProgressListener.NONE)) {
      files.forEach(batch::add); // the first 32 are handed to the worker at once, the rest wait for finish()
      Thread.sleep(300); // let the worker hash them and wait for more
      engine.close();
      // Normally "Hashing was interrupted" (or a read cut short by the interrupt); whatever the timing, finish() never
      // returns a result with a digest missing.
      byte[][][] digests;
      try {
        digests = batch.finish();
      } catch (ModelSigningException expected) {
        return;
      }
      assertThat(digests).hasNumberOfRows(files.size());
      for (byte[][] d : digests) {
        assertThat(d[0]).isNotNull();
      }
    }
  }

  /**
   * Interrupting the caller while one big file is read ahead stops the hashing; the engine then hashes the same file
   * correctly (a read-ahead cancelled half-way may still write into the interrupted worker's buffers, so that worker
   * is not reused).
   */
  @ParameterizedTest
  @ValueSource(strings = {"openssl", "jdk"})
  void anInterruptedCallLeavesTheEngineCorrect(String sha256) throws Exception {
    byte[] content = new byte[64 << 20];
    new Random(9).nextBytes(content);
    Path p = dir.resolve("big");
    Files.write(p, content);
    List<FileSpec> files = List.of(new FileSpec(p, content.length));
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(content);
    try (HashingEngine engine = new HashingEngine(2, sha256)) {
      for (int attempt = 0; attempt < 5; attempt++) {
        java.util.concurrent.atomic.AtomicReference<Throwable> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller =
            new Thread(
                () -> {
                  try {
                    engine.hash(files, Serialization.DEFAULT, ProgressListener.NONE);
                  } catch (Throwable t) {
                    outcome.set(t);
                  }
                });
        caller.start();
        Thread.sleep(10 + 5 * attempt);
        caller.interrupt();
        caller.join();
        if (outcome.get() != null) {
          assertThat(outcome.get()).isInstanceOf(ModelSigningException.class).hasMessageContaining("interrupted");
        }
        assertThat(engine.hash(files, Serialization.DEFAULT, ProgressListener.NONE)[0][0]).isEqualTo(expected);
      }
    }
  }
}
