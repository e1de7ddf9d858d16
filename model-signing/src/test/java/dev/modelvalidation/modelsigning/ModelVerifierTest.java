package dev.modelvalidation.modelsigning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.modelsigning.signature.SignatureVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model is hashed while the signature is checked ({@link EarlyHashing}): the outcome must be that of checking
 * first and hashing after, whatever the bundle holds besides what checks out.
 */
class ModelVerifierTest {
  private static final String HASHING_THREAD = "model-verifier-hashing";

  private static ModelHasher hasher;
  private static ModelSigner signer;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    hasher = new ModelHasher(2);
    signer = new ModelSigner(FakeBundles.signer(), hasher);
  }

  @AfterAll
  static void stop() {
    hasher.close();
  }

  private Path model(String alpha) throws IOException {
    Path m = Files.createDirectories(dir.resolve("m"));
    Files.writeString(m.resolve("a"), alpha);
    Files.writeString(m.resolve("b"), "bravo");
    return m;
  }

  /** A verifier that accepts any bundle and returns the payload of {@code checked}, a bundle of its own. */
  private static SignatureVerifier checkingOut(byte[] checked) {
    return bundle -> FakeBundles.verifier().verify(checked);
  }

  private static boolean hashingThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(HASHING_THREAD) && t.isAlive());
  }

  @Test
  void aSignatureThatDoesNotCheckOutIsReportedBeforeAnyModelError() throws Exception {
    Path m = model("alpha");
    Path sig = dir.resolve("model.sig");
    signer.sign(m, sig, HashingOptions.defaults());
    SignatureVerifier rejecting =
        bundle -> {
          throw new VerificationException("Signature verification failed: wrong key");
        };
    ModelVerifier verifier = new ModelVerifier(rejecting, hasher);
    // a missing model would fail the hashing, which runs while the signature is checked: the signature error wins
    assertThatThrownBy(() -> verifier.verify(dir.resolve("missing"), sig, VerifyOptions.defaults()))
        .isInstanceOf(VerificationException.class)
        .hasMessage("Signature verification failed: wrong key");
    // and with a model that verifies, still the signature error
    assertThatThrownBy(() -> verifier.verify(m, sig, VerifyOptions.defaults()))
        .hasMessage("Signature verification failed: wrong key");
    assertThat(hashingThreadAlive()).as("hashing thread ended").isFalse();
  }

  @Test
  void onlyThePayloadThatChecksOutDecides() throws Exception {
    Path m = model("alpha");
    Path good = dir.resolve("good.sig");
    signer.sign(m, good, HashingOptions.defaults().withIgnoreGitPaths(false));
    Files.writeString(m.resolve("a"), "ALPHA");
    Path other = dir.resolve("other.sig");
    signer.sign(m, other, HashingOptions.defaults().withIgnoreGitPaths(false));
    Files.writeString(m.resolve("a"), "alpha");
    byte[] goodBundle = Files.readAllBytes(good);
    byte[] otherBundle = Files.readAllBytes(other);

    // the bundle's envelope matches the model, but what checks out is another statement: that one decides
    ModelVerifier checksOther = new ModelVerifier(checkingOut(otherBundle), hasher);
    assertThatThrownBy(() -> checksOther.verify(m, good, VerifyOptions.defaults()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("Hash mismatch for 'a'");

    // the envelope does not match the model, but the statement that checks out does
    ModelVerifier checksGood = new ModelVerifier(checkingOut(goodBundle), hasher);
    assertThat(checksGood.verify(m, other, VerifyOptions.defaults()).manifest().resources()).hasSize(2);

    // a file that is not a bundle at all: nothing is hashed early, and what checks out decides
    Path notJson = Files.writeString(dir.resolve("garbage.sig"), "not json");
    assertThat(checksGood.verify(m, notJson, VerifyOptions.defaults()).manifest().resources()).hasSize(2);
  }

  /**
   * An unchecked statement asking for tiny shards (a unit of work per byte) must not be hashed before the check; one
   * in {@code files} mode is.
   */
  @Test
  void tinyShardsOfAnUncheckedStatementWaitForTheCheck() throws Exception {
    Path m = model("alpha");
    Path tiny = dir.resolve("tiny-shards.sig");
    signer.sign(m, tiny, HashingOptions.defaults().withSerialization(
        dev.modelvalidation.modelsigning.hashing.Serialization.shards(
            dev.modelvalidation.modelsigning.hashing.HashAlgorithm.SHA256, 1)));
    Path files = dir.resolve("files.sig");
    signer.sign(m, files, HashingOptions.defaults());
    for (Path sig : List.of(tiny, files)) {
      java.util.concurrent.atomic.AtomicLong hashed = new java.util.concurrent.atomic.AtomicLong();
      try (ModelHasher watched = new ModelHasher(2, (done, total) -> hashed.set(done))) {
        SignatureVerifier slowReject =
            bundle -> {
              long deadline = System.nanoTime() + 5_000_000_000L;
              while (hashed.get() == 0 && System.nanoTime() < deadline && sig == files) {
                Thread.onSpinWait();
              }
              sleepQuietly(sig == tiny ? 300 : 0); // time enough for early hashing to show, if it started
              throw new VerificationException("Signature verification failed: bad signature");
            };
        assertThatThrownBy(() -> new ModelVerifier(slowReject, watched).verify(m, sig, VerifyOptions.defaults()))
            .hasMessage("Signature verification failed: bad signature");
      }
      assertThat(hashed.get()).as("bytes hashed before the check of %s", sig.getFileName()).isEqualTo(
          sig == tiny ? 0 : 10);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aSignatureRejectedWhileABigModelIsHashedStopsTheHashing() throws Exception {
    Path m = Files.createDirectories(dir.resolve("many"));
    byte[] content = new byte[4096];
    for (int i = 0; i < 3000; i++) {
      Files.write(m.resolve("f-" + i), content);
    }
    Path sig = dir.resolve("many.sig");
    signer.sign(m, sig, HashingOptions.defaults());
    AtomicBoolean sawHashing = new AtomicBoolean();
    SignatureVerifier slowReject =
        bundle -> {
          long deadline = System.nanoTime() + 5_000_000_000L;
          while (!hashingThreadAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          sawHashing.set(hashingThreadAlive());
          throw new VerificationException("Signature verification failed: bad signature");
        };
    assertThatThrownBy(() -> new ModelVerifier(slowReject, hasher).verify(m, sig, VerifyOptions.defaults()))
        .hasMessage("Signature verification failed: bad signature");
    assertThat(sawHashing).as("the model was being hashed while the signature was checked").isTrue();
    assertThat(hashingThreadAlive()).as("hashing thread stopped and ended").isFalse();
    // the shared engine is still usable afterwards
    assertThat(new ModelVerifier(FakeBundles.verifier(), hasher).verify(m, sig, VerifyOptions.defaults()).manifest()
            .resources())
        .hasSize(3000);
  }
}
