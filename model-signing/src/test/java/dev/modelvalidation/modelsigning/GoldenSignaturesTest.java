package dev.modelvalidation.modelsigning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.manifest.ManifestDiff;
import dev.modelvalidation.modelsigning.model.IgnoreRules;
import dev.modelvalidation.modelsigning.statement.StatementParser;
import dev.modelvalidation.modelsigning.statement.StatementWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every payload signed by a Python release parses, and the local folder hashes to an equal manifest. */
class GoldenSignaturesTest {
  private static ModelHasher hasher;

  @BeforeAll
  static void start() {
    hasher = new ModelHasher(2);
  }

  @AfterAll
  static void stop() {
    hasher.close();
  }

  static Stream<Path> releases() throws IOException {
    try (Stream<Path> s = Files.list(TestData.RELEASES)) {
      List<Path> dirs = s.filter(p -> Files.isRegularFile(p.resolve("model.sig"))).sorted().toList();
      assertThat(dirs).hasSize(13);
      return dirs.stream();
    }
  }

  /** The model path of a release folder (spec §11.3): two elliptic-key goldens sign the single file signme-1. */
  static Path modelOf(Path folder) {
    String name = folder.getFileName().toString();
    return name.equals("v0.3.1-elliptic-key") || name.equals("v1.0.0-elliptic-key")
        ? folder.resolve("signme-1")
        : folder;
  }

  static List<Path> cliIgnores(Path folder) {
    List<Path> ignores = new ArrayList<>();
    if (folder.getFileName().toString().startsWith("v1.0.1")) {
      ignores.add(folder.resolve("ignore-me"));
    }
    return ignores;
  }

  @ParameterizedTest
  @MethodSource("releases")
  void payloadParsesAndTheLocalModelHashesToAnEqualManifest(Path folder) throws Exception {
    Manifest signed = StatementParser.parse(TestData.payloadOf(folder.resolve("model.sig")));
    Path model = modelOf(folder);
    List<Path> ignores = cliIgnores(folder);
    ignores.add(folder.resolve("model.sig"));
    IgnoreRules rules =
        ModelHasher.cliIgnoreRules(model, ignores, true).with(signed.serialization().ignorePaths());
    Manifest local = hasher.hash(model, signed.serialization().serialization(), rules, false);
    assertThat(ManifestDiff.differences(signed, local)).isEmpty();
    assertThat(local.sameResources(signed)).isTrue();
    if (!folder.getFileName().toString().startsWith("v0.2")) {
      assertThat(local.rootDigestHex()).isEqualTo(signed.rootDigestHex());
    }
  }

  @ParameterizedTest
  @MethodSource("releases")
  void fullVerificationWithTheSignatureLayerStubbedOut(Path folder) throws Exception {
    ModelVerifier verifier = new ModelVerifier(FakeBundles.verifier(), hasher);
    VerifyOptions options = VerifyOptions.defaults().withIgnorePaths(cliIgnores(folder));
    VerificationResult result = verifier.verify(modelOf(folder), folder.resolve("model.sig"), options);
    assertThat(result.manifest().resources()).isNotEmpty();
  }

  /** With --ignore-unsigned-files only signed names are read, so the v1.0.x goldens need no ignore path. */
  @ParameterizedTest
  @MethodSource("releases")
  void verificationWithIgnoreUnsignedFiles(Path folder) throws Exception {
    ModelVerifier verifier = new ModelVerifier(FakeBundles.verifier(), hasher);
    VerifyOptions options = VerifyOptions.defaults().withIgnoreUnsignedFiles(true);
    VerificationResult result = verifier.verify(modelOf(folder), folder.resolve("model.sig"), options);
    assertThat(result.manifest().resources()).isNotEmpty();
  }

  @Test
  void goldenRootsAndNames() throws Exception {
    Manifest v110 = StatementParser.parse(TestData.payloadOf(TestData.RELEASES.resolve("v1.1.0-elliptic-key/model.sig")));
    assertThat(v110.modelName()).isEqualTo("v1.1.0-elliptic-key");
    assertThat(v110.rootDigestHex()).isEqualTo("92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4");
    assertThat(v110.serialization().ignorePaths())
        .containsExactly(".git", ".gitattributes", ".github", ".gitignore", "ignore-me", "model.sig");
    Manifest compat = StatementParser.parse(TestData.payloadOf(TestData.RELEASES.resolve("v0.2.0-certificate/model.sig")));
    assertThat(compat.modelName()).isEqualTo("compat-undefined-not-present");
    assertThat(compat.byName().keySet()).containsExactlyInAnyOrder("signme-1", "signme-2");
  }

  @Test
  void v10xGoldensNeedTheIgnoreMePath() {
    Path folder = TestData.RELEASES.resolve("v1.0.1-elliptic-key");
    ModelVerifier verifier = new ModelVerifier(FakeBundles.verifier(), hasher);
    assertThatThrownBy(() -> verifier.verify(folder, folder.resolve("model.sig"), VerifyOptions.defaults()))
        .isInstanceOf(VerificationException.class)
        .hasMessage("Signature mismatch: [\"Extra files found in model 'v1.0.1-elliptic-key': ignore-me\"]");
  }

  @Test
  void aMismatchAfterTheOldFormatWarningStillCarriesIt() throws Exception {
    Path folder = TestData.RELEASES.resolve("v1.0.1-elliptic-key");
    var key =
        dev.modelvalidation.modelsigning.signature.KeySignatureVerifier.fromPemFile(
            TestData.RELEASES.resolve("keys/certificate/signing-key-pub.pem"));
    ModelVerifier verifier = new ModelVerifier(key, hasher);
    assertThatThrownBy(() -> verifier.verify(folder, folder.resolve("model.sig"), VerifyOptions.defaults()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("Extra files found")
        .extracting(e -> ((ModelSigningException) e).warnings())
        .isEqualTo(List.of(dev.modelvalidation.modelsigning.signature.KeySignatureVerifier.OLD_FORMAT_WARNING));
  }

  /** §12: the v1.0.0 single-file payload (590 bytes) is rebuilt byte for byte. */
  @Test
  void workedExamplePayloadIsRebuiltByteForByte() throws Exception {
    Path folder = TestData.RELEASES.resolve("v1.0.0-elliptic-key");
    byte[] expected = TestData.payloadOf(folder.resolve("model.sig"));
    assertThat(expected).hasSize(590);
    // v1.0.0 recorded no ignore_paths, so hash without the git defaults and with the CLI's files/sha256
    Manifest manifest =
        hasher.hash(folder.resolve("signme-1"), HashingOptions.defaults().withIgnoreGitPaths(false));
    byte[] rebuilt = StatementWriter.write(manifest);
    assertThat(new String(rebuilt, StandardCharsets.US_ASCII)).isEqualTo(new String(expected, StandardCharsets.US_ASCII));
    assertThat(rebuilt).isEqualTo(expected);
  }

  /** Every golden payload is json.dumps(indent=2) output; ours are too: re-emitting a parsed v1.x payload is identical. */
  @ParameterizedTest
  @MethodSource("releases")
  void writerReproducesLayoutOfGoldensWithRecommendedKeyOrder(Path folder) throws Exception {
    byte[] payload = TestData.payloadOf(folder.resolve("model.sig"));
    String text = new String(payload, StandardCharsets.US_ASCII);
    if (text.contains("Digests/v0.1")) {
      return;
    }
    Manifest signed = StatementParser.parse(payload);
    String ours = new String(StatementWriter.write(signed), StandardCharsets.US_ASCII);
    // key order inside predicate is random in Python, so compare sorted lines (same layout, same values)
    assertThat(ours.lines().map(l -> l.replaceAll(",$", "")).sorted().toList())
        .isEqualTo(text.lines().map(l -> l.replaceAll(",$", "")).sorted().toList());
    assertThat(ours).doesNotEndWith("\n");
  }
}
