package dev.modelvalidation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every signature made by a released Python model_signing verifies with the command the spec gives for it, and
 * fails once the model is changed, loses a file or gains one.
 */
class GoldenSignaturesCliTest {
  static final String IDENTITY = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";

  /** A golden folder and how to verify it. */
  record Golden(String folder, String method, String modelFile, boolean hasUnrecordedIgnoreMe) {
    @Override
    public String toString() {
      return folder;
    }

    /** The verify command line, for the model found in {@code dir}. */
    List<String> command(Path dir, boolean withIgnoreMe) {
      List<String> args = new ArrayList<>(List.of("verify", method, "--signature", dir.resolve("model.sig").toString()));
      switch (method) {
        case "key" -> args.addAll(List.of("--public_key", CliRun.CERTS.resolve("signing-key-pub.pem").toString()));
        case "certificate" -> args.addAll(List.of("--certificate_chain", CliRun.CERTS.resolve("ca-cert.pem").toString()));
        default -> args.addAll(List.of("--identity", IDENTITY, "--identity_provider", ISSUER));
      }
      if (withIgnoreMe && hasUnrecordedIgnoreMe) {
        args.addAll(List.of("--ignore-paths", dir.resolve("ignore-me").toString()));
      }
      args.add(modelFile == null ? dir.toString() : dir.resolve(modelFile).toString());
      return args;
    }
  }

  static Stream<Golden> goldens() {
    return Stream.of(
        new Golden("v0.2.0-certificate", "certificate", null, false),
        new Golden("v0.3.1-certificate", "certificate", null, false),
        new Golden("v1.0.0-certificate", "certificate", null, false),
        new Golden("v1.0.1-certificate", "certificate", null, true),
        new Golden("v1.1.0-certificate", "certificate", null, false),
        new Golden("v0.3.1-elliptic-key", "key", "signme-1", false),
        new Golden("v1.0.0-elliptic-key", "key", "signme-1", false),
        new Golden("v1.0.1-elliptic-key", "key", null, true),
        new Golden("v1.1.0-elliptic-key", "key", null, false),
        new Golden("v0.3.1-sigstore", "sigstore", null, false),
        new Golden("v1.0.0-sigstore", "sigstore", null, false),
        new Golden("v1.0.1-sigstore", "sigstore", null, true),
        new Golden("v1.1.0-sigstore", "sigstore", null, false));
  }

  static Stream<Golden> directoryGoldens() {
    return goldens().filter(g -> g.modelFile() == null);
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void verifiesAsReleased(Golden golden) {
    CliRun run = CliRun.of(golden.command(CliRun.GOLDEN.resolve(golden.folder()), true).toArray(String[]::new));

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).endsWith("Verification succeeded\n");
    assertThat(run.exitCode()).isZero();
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void failsWhenASignedFileChanges(Golden golden, @TempDir Path tmp) throws IOException {
    Path dir = copy(CliRun.GOLDEN.resolve(golden.folder()), tmp.resolve(golden.folder()));
    Files.writeString(dir.resolve("signme-1"), "tampered", StandardCharsets.UTF_8);

    CliRun run = CliRun.of(golden.command(dir, true).toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).doesNotContain("Verification succeeded");
    // A single-file model's only resource is named "." (as in Python).
    assertThat(run.err())
        .startsWith("Verification failed with error: ")
        .contains(golden.modelFile() == null ? "'signme-1'" : "Hash mismatch for '.'");
    assertThat(run.err().lines()).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("directoryGoldens")
  void failsWhenASignedFileIsRemoved(Golden golden, @TempDir Path tmp) throws IOException {
    Path dir = copy(CliRun.GOLDEN.resolve(golden.folder()), tmp.resolve(golden.folder()));
    Files.delete(dir.resolve("signme-2"));

    CliRun run = CliRun.of(golden.command(dir, true).toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("Verification failed with error: ").contains("signme-2");
  }

  @ParameterizedTest
  @MethodSource("directoryGoldens")
  void failsWhenAnUnsignedFileIsAdded(Golden golden, @TempDir Path tmp) throws IOException {
    Path dir = copy(CliRun.GOLDEN.resolve(golden.folder()), tmp.resolve(golden.folder()));
    Files.writeString(dir.resolve("extra.bin"), "not signed");

    CliRun run = CliRun.of(golden.command(dir, true).toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("Verification failed with error: ").contains("extra.bin");
  }

  @ParameterizedTest
  @MethodSource("directoryGoldens")
  void v10xNeedsTheUnrecordedIgnoreMe(Golden golden) {
    if (!golden.hasUnrecordedIgnoreMe()) {
      return;
    }
    CliRun run = CliRun.of(golden.command(CliRun.GOLDEN.resolve(golden.folder()), false).toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("ignore-me");
  }

  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
