package dev.modelvalidation.modelsigning.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.modelsigning.hashing.Serialization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The differences a verify reports (spec §9), whether or not both manifests list the same names in the same order. */
class ManifestDiffTest {
  private static final ManifestSerialization FILES = new ManifestSerialization(Serialization.DEFAULT, false, List.of());

  private static ResourceDigest digest(String name, int value) {
    byte[] bytes = new byte[32];
    bytes[31] = (byte) value;
    return new ResourceDigest(name, "sha256", bytes);
  }

  private static Manifest manifest(List<ResourceDigest> resources) {
    return Manifest.inGivenOrder("model", resources, FILES);
  }

  private static List<ResourceDigest> model(int count) {
    List<ResourceDigest> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(digest("f" + i, i));
    }
    return Manifest.sort(out, Serialization.Method.FILES);
  }

  @Test
  void theSameResourcesInTheSameOrderDifferInNothing() {
    assertThat(ManifestDiff.differences(manifest(model(500)), manifest(model(500)))).isEmpty();
  }

  @Test
  void aSignedListInAnotherOrderStillMatches() {
    List<ResourceDigest> shuffled = new ArrayList<>(model(500));
    Collections.reverse(shuffled);
    assertThat(ManifestDiff.differences(manifest(shuffled), manifest(model(500)))).isEmpty();
  }

  @Test
  void aNameSignedTwiceCountsWithItsLastValue() {
    List<ResourceDigest> signed = new ArrayList<>(model(3));
    signed.add(0, digest("f1", 99)); // overridden by the later f1 entry, as in Python's dict
    assertThat(ManifestDiff.differences(manifest(signed), manifest(model(3)))).isEmpty();

    List<ResourceDigest> lastWrong = new ArrayList<>(model(3));
    lastWrong.add(digest("f1", 99));
    assertThat(ManifestDiff.differences(manifest(lastWrong), manifest(model(3))))
        .singleElement()
        .asString()
        .startsWith("Hash mismatch for 'f1'");
  }

  @Test
  void oneChangedDigestInAnOtherwiseIdenticalListIsReported() {
    List<ResourceDigest> local = new ArrayList<>(model(500));
    int index = local.indexOf(digest("f250", 250));
    local.set(index, digest("f250", 7));
    assertThat(ManifestDiff.differences(manifest(model(500)), manifest(local)))
        .containsExactly(
            "Hash mismatch for 'f250': Expected 'sha256:"
                + "00".repeat(31)
                + "fa', Actual 'sha256:"
                + "00".repeat(31)
                + "07'");
  }

  @Test
  void extraMissingAndChangedFilesAreReportedInPythonsOrder() {
    List<ResourceDigest> signed = List.of(digest("a", 1), digest("b", 2), digest("c", 3));
    List<ResourceDigest> local = List.of(digest("b", 2), digest("c", 4), digest("d", 5));
    assertThat(ManifestDiff.differences(manifest(signed), manifest(local)))
        .containsExactly(
            "Extra files found in model 'model': d",
            "Missing files in model 'model': a",
            "Hash mismatch for 'c': Expected 'sha256:"
                + "00".repeat(31)
                + "03', Actual 'sha256:"
                + "00".repeat(31)
                + "04'");
  }

  @Test
  void anotherAlgorithmForTheSameBytesIsAMismatch() {
    byte[] bytes = new byte[32];
    Manifest signed = manifest(List.of(new ResourceDigest("a", "sha256", bytes)));
    Manifest local = manifest(List.of(new ResourceDigest("a", "blake2b", bytes)));
    assertThat(ManifestDiff.differences(signed, local)).singleElement().asString().contains("Expected 'sha256:");
  }
}
