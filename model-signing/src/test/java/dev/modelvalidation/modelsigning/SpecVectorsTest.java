package dev.modelvalidation.modelsigning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.modelsigning.hashing.HashAlgorithm;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.manifest.ResourceDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serialization and statement goldens of Python's repo (spec §15.1, §15.2) and the ordering vector (§15.3). */
class SpecVectorsTest {
  private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static ModelHasher hasher;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    hasher = new ModelHasher(2);
  }

  @AfterAll
  static void stop() {
    hasher.close();
  }

  /** As the goldens were made: symlinks allowed, no ignores at all. */
  private static Manifest hash(Path model, Serialization serialization) throws ModelSigningException {
    return hasher.hash(model, new HashingOptions(serialization, List.of(), false, true));
  }

  private static Serialization small() {
    return Serialization.shards(HashAlgorithm.SHA256, 8);
  }

  private static List<String> lines(Manifest m) {
    return m.resources().stream().map(r -> r.name() + ":" + r.digestHex()).toList();
  }

  @Test
  void sampleModelFile() throws Exception {
    Path model = SpecFixtures.sampleModelFile(dir);
    Manifest files = hash(model, Serialization.DEFAULT);
    assertThat(files.modelName()).isEqualTo("file_model");
    assertThat(files.resources()).hasSize(1);
    assertThat(files.resources().get(0).name()).isEqualTo(".");
    assertThat(files.resources().get(0).algorithm()).isEqualTo("sha256");
    assertThat(files.resources().get(0).digestHex()).startsWith("3aab065c").endsWith("719b");
    assertThat(files.rootDigestHex()).startsWith("002d162f867c5eee");

    Manifest shard = hash(model, Serialization.shards(HashAlgorithm.SHA256, Serialization.DEFAULT_SHARD_SIZE));
    assertThat(shard.resources()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo(".:0:22");
      assertThat(r.algorithm()).isEqualTo("sha256-sharded-1000000000");
      assertThat(r.digestHex()).startsWith("3aab065c");
    });
    assertThat(shard.rootDigestHex()).isEqualTo(files.rootDigestHex());

    Manifest smallShards = hash(model, small());
    assertThat(lines(smallShards))
        .hasSize(3)
        .satisfies(l -> assertThat(l.get(0)).startsWith(".:0:8:a37010c9"))
        .satisfies(l -> assertThat(l.get(1)).startsWith(".:8:16:bd762002"))
        .satisfies(l -> assertThat(l.get(2)).startsWith(".:16:22:a791e1e8"));
    assertThat(smallShards.resources()).allMatch(r -> r.algorithm().equals("sha256-sharded-8"));
    assertThat(smallShards.rootDigestHex()).startsWith("57d54248751a5178");
  }

  /**
   * The worked example again with a hasher that has bound OpenSSL's SHA-256 first (a model above the binding
   * threshold): the root digest, then computed by OpenSSL, is the same. Where no libcrypto can be bound, both are the
   * JDK's.
   */
  @Test
  void sampleModelFolderRootIsTheSameOnceOpenSslHashes() throws Exception {
    Path big = Files.createDirectories(dir.resolve("big"));
    Files.write(big.resolve("weights.bin"), new byte[3 << 20]);
    Files.write(big.resolve("config.json"), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (ModelHasher fresh = new ModelHasher(2)) {
      Manifest first = fresh.hash(big, new HashingOptions(Serialization.DEFAULT, List.of(), false, true));
      assertThat(first.rootDigest())
          .isEqualTo(Manifest.inGivenOrder(first.modelName(), first.resources(), first.serialization()).rootDigest());
      Manifest files =
          fresh.hash(SpecFixtures.sampleModelFolder(dir), new HashingOptions(Serialization.DEFAULT, List.of(), false, true));
      assertThat(files.rootDigestHex()).isEqualTo("143cc682e555951649f18e2761c3d526d2502996f5e32dc187ef7f8a614f8df7");
    }
  }

  @Test
  void sampleModelFolder() throws Exception {
    Path model = SpecFixtures.sampleModelFolder(dir);
    Manifest files = hash(model, Serialization.DEFAULT);
    assertThat(files.modelName()).isEqualTo("sample_model");
    assertThat(files.resources())
        .extracting(ResourceDigest::name)
        .containsExactly("d0/f00", "d0/f01", "d0/f02", "d1/f10", "d1/f11", "d1/f12", "f0", "f1", "f2", "f3");
    assertThat(files.resources().get(0).digestHex()).startsWith("fdd89253");
    assertThat(files.resources().get(9).digestHex()).startsWith("912bcf5e");
    assertThat(files.rootDigestHex()).isEqualTo("143cc682e555951649f18e2761c3d526d2502996f5e32dc187ef7f8a614f8df7");

    Manifest shard = hash(model, Serialization.shards(HashAlgorithm.SHA256, Serialization.DEFAULT_SHARD_SIZE));
    assertThat(shard.resources()).extracting(ResourceDigest::name).contains("d0/f00:0:23", "f3:0:24");
    assertThat(shard.rootDigestHex()).isEqualTo(files.rootDigestHex());

    Manifest smallShards = hash(model, small());
    assertThat(smallShards.resources()).hasSize(30);
    assertThat(smallShards.resources().subList(0, 3))
        .extracting(ResourceDigest::name)
        .containsExactly("d0/f00:0:8", "d0/f00:8:16", "d0/f00:16:23");
    assertThat(smallShards.rootDigestHex()).startsWith("2139af57fd2a4f32");
  }

  @Test
  void deepModelFolder() throws Exception {
    Path model = SpecFixtures.deepModelFolder(dir);
    Manifest files = hash(model, Serialization.DEFAULT);
    assertThat(files.resources())
        .extracting(ResourceDigest::name)
        .containsExactly("d0/d1/d2/d3/d4/f0", "d0/d1/d2/d3/d4/f1", "d0/d1/d2/d3/d4/f2", "d0/d1/d2/d3/d4/f3");
    assertThat(files.rootDigestHex()).startsWith("18b5a45fe7983f71");
    Manifest smallShards = hash(model, small());
    assertThat(smallShards.resources()).hasSize(8);
    assertThat(smallShards.rootDigestHex()).startsWith("fe81b684c60474ce");
  }

  @Test
  void emptyFileModel() throws Exception {
    Path model = SpecFixtures.emptyModelFile(dir);
    Manifest files = hash(model, Serialization.DEFAULT);
    assertThat(lines(files)).containsExactly(".:" + EMPTY);
    assertThat(files.rootDigestHex()).startsWith("5df6e0e2761359d3");
    for (Serialization s : List.of(Serialization.shards(HashAlgorithm.SHA256, Serialization.DEFAULT_SHARD_SIZE), small())) {
      Manifest shard = hash(model, s);
      assertThat(shard.resources()).isEmpty();
      assertThat(shard.rootDigestHex()).isEqualTo(EMPTY);
    }
  }

  @Test
  void folderWithEmptyFile() throws Exception {
    Path model = SpecFixtures.modelFolderWithEmptyFile(dir);
    assertThat(lines(hash(model, Serialization.DEFAULT))).containsExactly("empty_file:" + EMPTY);
    assertThat(hash(model, Serialization.DEFAULT).rootDigestHex()).startsWith("5df6e0e2761359d3");
    assertThat(hash(model, small()).resources()).isEmpty();
    assertThat(hash(model, small()).rootDigestHex()).isEqualTo(EMPTY);
  }

  @Test
  void emptyFolder() throws Exception {
    Path model = SpecFixtures.emptyModelFolder(dir);
    Files.createDirectories(model.resolve("sub/dir")); // empty folders have no effect
    for (Serialization s : List.of(Serialization.DEFAULT, small())) {
      Manifest m = hash(model, s);
      assertThat(m.resources()).isEmpty();
      assertThat(m.rootDigestHex()).isEqualTo(EMPTY);
    }
  }

  @Test
  void symlinkFolder() throws Exception {
    Path model = SpecFixtures.symlinkModelFolder(dir);
    Manifest files = hash(model, Serialization.DEFAULT);
    assertThat(files.resources()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("symlink_file");
      assertThat(r.digestHex()).startsWith("3aab065c");
    });
    assertThat(files.rootDigestHex()).startsWith("002d162f867c5eee");
    assertThat(hash(model, small()).rootDigestHex()).startsWith("57d54248");
  }

  /** §15.3: component-wise order gives the right root; a plain string sort gives the wrong one. */
  @Test
  void orderingVector() throws IOException, ModelSigningException {
    Path model = Files.createDirectories(dir.resolve("order"));
    Files.createDirectories(model.resolve("a"));
    Files.createDirectories(model.resolve("a-b"));
    Files.writeString(model.resolve("a/b"), "1");
    Files.writeString(model.resolve("a-b/c"), "2");
    Files.writeString(model.resolve("a.b"), "3");
    Manifest m = hash(model, Serialization.DEFAULT);
    assertThat(m.resources()).extracting(ResourceDigest::name).containsExactly("a/b", "a-b/c", "a.b");
    assertThat(m.rootDigestHex()).isEqualTo("1ea51598cbb9b3744ebfe90ff77cdee9f3c646b25808015c78bb7aa070961c3d");

    List<ResourceDigest> stringSorted = new ArrayList<>(m.resources());
    stringSorted.sort(Comparator.comparing(ResourceDigest::name));
    Manifest wrong = Manifest.inGivenOrder(m.modelName(), stringSorted, m.serialization());
    assertThat(wrong.rootDigestHex()).isEqualTo("ddf68feb872a32980477d818e57fbfce2d3d7711eb8d2b4638b2e27e215df031");
  }
}
