package dev.modelvalidation.modelsigning.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.modelsigning.hashing.Serialization;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The root digest: SHA-256 over the raw resource digests in list order (spec §5), whichever way it is computed. */
class ManifestRootTest {
  private static final ManifestSerialization FILES = new ManifestSerialization(Serialization.DEFAULT, false, List.of());

  private static List<ResourceDigest> resources(int count) {
    Random random = new Random(3);
    List<ResourceDigest> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] digest = new byte[32];
      random.nextBytes(digest);
      out.add(new ResourceDigest("f" + i, "sha256", digest));
    }
    return out;
  }

  private static byte[] expected(List<ResourceDigest> resources) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (ResourceDigest r : resources) {
      sha256.update(r.digest());
    }
    return sha256.digest();
  }

  @Test
  void aCallerSuppliedSha256GivesTheSameRootAsTheJdkOne() throws Exception {
    List<ResourceDigest> resources = resources(1000);
    List<byte[]> calls = new ArrayList<>();
    Manifest withOwn =
        Manifest.inGivenOrder(
            "m",
            resources,
            FILES,
            data -> {
              calls.add(data);
              try {
                return MessageDigest.getInstance("SHA-256").digest(data);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(calls).hasSize(1); // one call with all 32,000 digest bytes
    assertThat(calls.getFirst()).hasSize(32 * 1000);
    assertThat(withOwn.rootDigest()).isEqualTo(expected(resources));
    assertThat(Manifest.inGivenOrder("m", resources, FILES).rootDigest()).isEqualTo(expected(resources));
    assertThat(Manifest.inGivenOrder("m", List.of(), FILES).rootDigestHex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  /** Past the one-call limit the digests are hashed one by one (bounded memory), to the same root. */
  @Test
  void manyDigestsAreHashedOneByOneToTheSameRoot() throws Exception {
    List<ResourceDigest> resources = resources(100);
    byte[] root =
        Manifest.computeRoot(
            resources,
            data -> {
              throw new AssertionError("not called past the limit");
            },
            32 * 99);
    assertThat(root).isEqualTo(expected(resources));
  }

  @Test
  void aSha256ThatReturnsTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> Manifest.inGivenOrder("m", resources(2), FILES, data -> new byte[20]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("returned 20 bytes");
  }
}
