package dev.modelvalidation.modelsigning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelvalidation.modelsigning.hashing.HashAlgorithm;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.manifest.ManifestSerialization;
import dev.modelvalidation.modelsigning.manifest.ResourceDigest;
import dev.modelvalidation.modelsigning.signature.PayloadSigner;
import dev.modelvalidation.modelsigning.statement.StatementWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignAndVerifyTest {
  private static ModelHasher hasher;
  private static ModelSigner signer;
  private static ModelVerifier verifier;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    hasher = new ModelHasher(2);
    signer = new ModelSigner(FakeBundles.signer(), hasher);
    verifier = new ModelVerifier(FakeBundles.verifier(), hasher);
  }

  @AfterAll
  static void stop() {
    hasher.close();
  }

  private Path model() throws IOException {
    Path m = Files.createDirectories(dir.resolve("m"));
    Files.writeString(m.resolve("a"), "alpha");
    Files.writeString(m.resolve("b"), "bravo");
    Files.createDirectories(m.resolve("sub"));
    Files.writeString(m.resolve("sub/c"), "charlie");
    return m;
  }

  private static String payloadText(Path sig) throws IOException {
    return new String(TestData.payloadOf(sig), StandardCharsets.US_ASCII);
  }

  @Test
  void roundTripRecordsTheSignatureAndGitPathsAsIgnored() throws Exception {
    Path m = model();
    Path sig = m.resolve("model.sig");
    Manifest signed = signer.signAndGetManifest(m, sig, HashingOptions.defaults());
    assertThat(signed.resources()).extracting(ResourceDigest::name).containsExactly("a", "b", "sub/c");
    assertThat(signed.serialization().ignorePaths())
        .containsExactly(".git", ".gitattributes", ".github", ".gitignore", "model.sig");
    assertThat(payloadText(sig)).contains("\"ignore_paths\": [\n        \".git\",");
    VerificationResult result = verifier.verify(m, sig, VerifyOptions.defaults());
    assertThat(result.manifest().rootDigestHex()).isEqualTo(signed.rootDigestHex());
    assertThat(result.warnings()).isEmpty();
    // digest does not ignore the signature
    assertThat(hasher.hash(m, HashingOptions.defaults()).resources())
        .extracting(ResourceDigest::name)
        .contains("model.sig");
  }

  @Test
  void singleFileModel() throws Exception {
    Path file = Files.writeString(dir.resolve("weights.bin"), "weights");
    Path sig = dir.resolve("weights.sig");
    Manifest signed =
        signer.signAndGetManifest(file, sig, HashingOptions.defaults().withIgnorePaths(List.of(dir.resolve("other"))));
    assertThat(signed.modelName()).isEqualTo("weights.bin");
    assertThat(signed.resources()).extracting(ResourceDigest::name).containsExactly(".");
    assertThat(signed.serialization().ignorePaths()).containsExactly(".git", ".gitattributes", ".github", ".gitignore");
    verifier.verify(file, sig, VerifyOptions.defaults());
    verifier.verify(file, sig, VerifyOptions.defaults().withIgnoreUnsignedFiles(true));
    Files.writeString(file, "tampered");
    assertThatThrownBy(() -> verifier.verify(file, sig, VerifyOptions.defaults().withIgnoreUnsignedFiles(true)))
        .hasMessageStartingWith("Signature mismatch: [\"Hash mismatch for '.': Expected 'sha256:");
  }

  @Test
  void nonAsciiFileNamesAreOrderedByCodePointAndEscapedInThePayload() throws Exception {
    Path m = Files.createDirectories(dir.resolve("unicode"));
    String emoji = "\uD83D\uDE00";
    for (String name : List.of(emoji, "\uFFFF", "\u00e9", "z")) {
      Files.writeString(m.resolve(name), name);
    }
    Path sig = dir.resolve("unicode.sig");
    Manifest signed = signer.signAndGetManifest(m, sig, HashingOptions.defaults());
    assertThat(signed.resources()).extracting(ResourceDigest::name).containsExactly("z", "\u00e9", "\uFFFF", emoji);
    String payload = payloadText(sig);
    assertThat(payload).contains("\"name\": \"\\u00e9\"", "\"name\": \"\\uffff\"", "\"name\": \"\\ud83d\\ude00\"");
    verifier.verify(m, sig, VerifyOptions.defaults());
  }

  @Test
  void progressIsReportedUpToTheTotal() throws Exception {
    Path m = model();
    java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(-1);
    try (ModelHasher withProgress = new ModelHasher(2, (done, total) -> last.set(done * 1000 + total))) {
      withProgress.hash(m, HashingOptions.defaults());
    }
    long total = "alpha".length() + "bravo".length() + "charlie".length();
    assertThat(last.get()).isEqualTo(total * 1000 + total);
  }

  @Test
  void signatureOutsideTheModelIsNotRecorded() throws Exception {
    Path m = model();
    Path sig = dir.resolve("outside.sig");
    Manifest signed =
        signer.signAndGetManifest(m, sig, HashingOptions.defaults().withIgnoreGitPaths(false));
    assertThat(signed.serialization().ignorePaths()).isEmpty();
    assertThat(payloadText(sig)).doesNotContain("ignore_paths");
    verifier.verify(m, sig, VerifyOptions.defaults());
  }

  @Test
  void tamperedRemovedAndExtraFilesAreReported() throws Exception {
    Path m = model();
    Path sig = m.resolve("model.sig");
    signer.sign(m, sig, HashingOptions.defaults());
    String before = sha256("alpha");
    Files.writeString(m.resolve("a"), "ALPHA");
    Files.delete(m.resolve("b"));
    Files.writeString(m.resolve("extra2"), "x");
    Files.writeString(m.resolve("extra1"), "x");
    assertThatThrownBy(() -> verifier.verify(m, sig, VerifyOptions.defaults()))
        .isInstanceOf(VerificationException.class)
        .hasMessage(
            "Signature mismatch: [\"Extra files found in model 'm': extra1, extra2\", \"Missing files in model 'm': b\","
                + " \"Hash mismatch for 'a': Expected 'sha256:"
                + before
                + "', Actual 'sha256:"
                + sha256("ALPHA")
                + "'\"]");
    // extra files pass when unsigned files are ignored, but the tampered and missing ones still fail
    assertThatThrownBy(() -> verifier.verify(m, sig, VerifyOptions.defaults().withIgnoreUnsignedFiles(true)))
        .hasMessageContaining("Cannot use '" + m.resolve("b") + "' as file or directory");
  }

  @Test
  void ignoreUnsignedFilesAcceptsExtraFiles() throws Exception {
    Path m = model();
    Path sig = m.resolve("model.sig");
    signer.sign(m, sig, HashingOptions.defaults());
    Files.writeString(m.resolve("unsigned"), "x");
    assertThatThrownBy(() -> verifier.verify(m, sig, VerifyOptions.defaults()))
        .hasMessage("Signature mismatch: [\"Extra files found in model 'm': unsigned\"]");
    verifier.verify(m, sig, VerifyOptions.defaults().withIgnoreUnsignedFiles(true));
    // a signed but locally ignored file is Missing
    assertThatThrownBy(() -> verifier.verify(m, sig, VerifyOptions.defaults().withIgnorePaths(List.of(m.resolve("sub")))))
        .hasMessage("Signature mismatch: [\"Extra files found in model 'm': unsigned\", \"Missing files in model 'm': sub/c\"]");
  }

  @Test
  void signedNamesEscapingTheModelAreRejectedWithIgnoreUnsignedFiles() throws Exception {
    Path m = model();
    Files.writeString(dir.resolve("secret"), "alpha");
    for (String bad : List.of("../secret", "/etc/hostname")) {
      Manifest crafted =
          Manifest.sorted(
              "m",
              List.of(new ResourceDigest(bad, "sha256", HexFormat.of().parseHex(sha256("alpha")))),
              new ManifestSerialization(Serialization.DEFAULT, false, List.of()));
      Path sig = dir.resolve("crafted.sig");
      Files.write(sig, FakeBundles.bundle(PayloadSigner.IN_TOTO_PAYLOAD_TYPE, StatementWriter.write(crafted)));
      assertThatThrownBy(() -> verifier.verify(m, sig, VerifyOptions.defaults().withIgnoreUnsignedFiles(true)))
          .isInstanceOf(ModelSigningException.class)
          .hasMessageContaining("Refusing signed resource name '" + bad + "'");
      // without the flag the name is simply Missing
      assertThatThrownBy(() -> verifier.verify(m, sig, VerifyOptions.defaults()))
          .hasMessageContaining("Missing files in model 'm': " + bad);
    }
  }

  @Test
  void nonDefaultSerializationsVerifyWithTheSerializationFromTheSignature() throws Exception {
    Path m = model();
    Files.write(m.resolve("empty"), new byte[0]);
    for (Serialization s :
        List.of(
            Serialization.files(HashAlgorithm.BLAKE2B),
            Serialization.files(HashAlgorithm.BLAKE3),
            Serialization.shards(HashAlgorithm.SHA256, 3),
            Serialization.shards(HashAlgorithm.BLAKE2B, 4))) {
      Path sig = dir.resolve("sig-" + s.hash() + s.method());
      Manifest signed = signer.signAndGetManifest(m, sig, HashingOptions.defaults().withSerialization(s));
      assertThat(signed.resources()).allMatch(r -> r.algorithm().equals(s.resourceAlgorithm()));
      verifier.verify(m, sig, VerifyOptions.defaults());
      if (s.method() == Serialization.Method.SHARDS) {
        assertThat(payloadText(sig)).contains("\"shard_size\": " + s.shardSize() + ".0,");
        verifier.verify(m, sig, VerifyOptions.defaults().withIgnoreUnsignedFiles(true));
      }
    }
  }

  @Test
  void symlinksMustBeAllowedAtVerifyTimeToo() throws Exception {
    Path m = model();
    Path outside = Files.writeString(dir.resolve("target"), "t");
    Path link = Files.createSymbolicLink(m.resolve("link"), outside);
    Path sig = dir.resolve("s.sig");
    assertThatThrownBy(() -> signer.sign(m, sig, HashingOptions.defaults()))
        .hasMessageContaining("Cannot use '" + link + "' because it is a symlink");
    assertThat(sig).doesNotExist();
    signer.sign(m, sig, HashingOptions.defaults().withAllowSymlinks(true));
    assertThat(payloadText(sig)).contains("\"allow_symlinks\": true");
    assertThatThrownBy(() -> verifier.verify(m, sig, VerifyOptions.defaults()))
        .hasMessageContaining("because it is a symlink");
    verifier.verify(m, sig, VerifyOptions.defaults().withAllowSymlinks(true));
  }

  @Test
  void aFailingSignerLeavesNoPartialFileAndKeepsTheOldSignature() throws Exception {
    Path m = model();
    Path sig = m.resolve("model.sig");
    Files.writeString(sig, "old signature");
    PayloadSigner failing = payload -> {
      throw new ModelSigningException("signing service unavailable");
    };
    ModelSigner broken = new ModelSigner(failing, hasher);
    assertThatThrownBy(() -> broken.sign(m, sig, HashingOptions.defaults())).hasMessage("signing service unavailable");
    assertThat(sig).hasContent("old signature");
    try (Stream<Path> files = Files.list(m)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "b", "sub", "model.sig");
    }
    // a successful sign overwrites it
    signer.sign(m, sig, HashingOptions.defaults());
    assertThat(MAPPER.readTree(sig.toFile()).has("dsseEnvelope")).isTrue();
    try (Stream<Path> files = Files.list(m)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void errorsAreOneLineAndNameThePath() throws Exception {
    Path missing = dir.resolve("missing-model");
    assertThatThrownBy(() -> signer.sign(missing, dir.resolve("x.sig"), HashingOptions.defaults()))
        .isInstanceOf(ModelSigningException.class)
        .hasMessageStartingWith("Cannot use '" + missing + "' as file or directory");
    Path m = model();
    assertThatThrownBy(() -> verifier.verify(m, dir.resolve("none.sig"), VerifyOptions.defaults()))
        .hasMessage("Cannot read signature file '" + dir.resolve("none.sig") + "': no such file");
    assertThatThrownBy(() -> signer.sign(m, dir.resolve("no-such-dir/x.sig"), HashingOptions.defaults()))
        .hasMessageContaining("Cannot write signature");
    Path wrongType = dir.resolve("type.sig");
    Files.write(wrongType, FakeBundles.bundle("text/plain", "{}".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(() -> verifier.verify(m, wrongType, VerifyOptions.defaults()))
        .isInstanceOf(VerificationException.class)
        .hasMessage("Expected DSSE payload application/vnd.in-toto+json, but got text/plain");
  }

  @Test
  void unreadableFileIsAnErrorNamingIt() throws Exception {
    Path m = model();
    Path a = m.resolve("a");
    Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("---------"));
    try {
      assumeThat(Files.isReadable(a)).as("running as a user that cannot read mode 000").isFalse();
      assertThatThrownBy(() -> hasher.hash(m, HashingOptions.defaults()))
          .isInstanceOf(ModelSigningException.class)
          .hasMessage("Cannot read file '" + a + "': permission denied");
    } finally {
      Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void ignorePathsOfTheSignatureApplyAtVerifyTime() throws Exception {
    Path m = model();
    Path sig = m.resolve("model.sig");
    signer.sign(m, sig, HashingOptions.defaults().withIgnorePaths(List.of(m.resolve("sub"))));
    Files.writeString(m.resolve("sub/new"), "changes in an ignored folder do not matter");
    Files.writeString(m.resolve("sub/c"), "changed");
    assertThat(verifier.verify(m, sig, VerifyOptions.defaults()).manifest().serialization().ignorePaths())
        .contains("sub");
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
