package dev.modelvalidation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself: flags, defaults, output lines and exit codes as Python model_signing has them. */
class CliBehaviourTest {
  static final Path KEY_GOLDEN = CliRun.GOLDEN.resolve("v1.1.0-elliptic-key");
  static final Path SIGSTORE_GOLDEN = CliRun.GOLDEN.resolve("v1.1.0-sigstore");

  @Test
  void digestPrintsTheRootDigestAndHashesASignatureInsideTheModel() {
    CliRun asIs = CliRun.of("digest", KEY_GOLDEN);
    CliRun ignoring =
        CliRun.of("digest", KEY_GOLDEN, "--ignore-paths", KEY_GOLDEN.resolve("ignore-me"), "--ignore_paths",
            KEY_GOLDEN.resolve("model.sig"));

    assertThat(asIs.exitCode()).isZero();
    assertThat(asIs.out()).startsWith("sha256:176e22f7").hasLineCount(1);
    assertThat(ignoring.out())
        .isEqualTo("sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4\n");
  }

  @Test
  void digestOfAMissingModelIsOneLineAndExitOne(@TempDir Path tmp) {
    CliRun run = CliRun.of("digest", tmp.resolve("nope"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("Computing digest failed: ").contains("nope").hasLineCount(1);
  }

  @Test
  void wrongPublicKeyFailsNamingTheExpectedHint(@TempDir Path tmp) throws Exception {
    Path otherKey = tmp.resolve("other-pub.pem");
    run("openssl", "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", tmp.resolve("other.pem").toString());
    run("openssl", "ec", "-in", tmp.resolve("other.pem").toString(), "-pubout", "-out", otherKey.toString());

    CliRun run = CliRun.of("verify", "key", "--signature", KEY_GOLDEN.resolve("model.sig"), "--public-key", otherKey, KEY_GOLDEN);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("Verification failed with error: Key mismatch").contains("e8450dec");
  }

  @Test
  void wrongCertificateAuthorityFails(@TempDir Path tmp) throws Exception {
    Path ca = tmp.resolve("ca.pem");
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", tmp.resolve("ca.key").toString(), "-out", ca.toString(), "-subj", "/CN=other-root", "-days", "2");
    Path model = CliRun.GOLDEN.resolve("v1.1.0-certificate");

    CliRun run = CliRun.of("verify", "certificate", "--signature", model.resolve("model.sig"), "--certificate-chain", ca, model);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("Verification failed with error: ").hasLineCount(1);
  }

  @Test
  void wrongIdentityNamesTheCertificatesIdentity() {
    CliRun run =
        CliRun.of("verify", "sigstore", "--signature", SIGSTORE_GOLDEN.resolve("model.sig"), "--identity",
            "someone@example.com", "--identity-provider", GoldenSignaturesCliTest.ISSUER, SIGSTORE_GOLDEN);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("Verification failed with error: ").contains("stefanb@us.ibm.com").hasLineCount(1);
  }

  @Test
  void wrongIssuerNamesTheCertificatesIssuer() {
    CliRun run =
        CliRun.of("verify", "sigstore", "--signature", SIGSTORE_GOLDEN.resolve("model.sig"), "--identity",
            GoldenSignaturesCliTest.IDENTITY, "--identity-provider", "https://accounts.google.com", SIGSTORE_GOLDEN);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("https://sigstore.verify.ibm.com/oauth2").hasLineCount(1);
  }

  @Test
  void sigstoreIsTheDefaultMethodWhenTheModelComesFirst() {
    CliRun run =
        CliRun.of("verify", SIGSTORE_GOLDEN, "--signature", SIGSTORE_GOLDEN.resolve("model.sig"), "--identity",
            GoldenSignaturesCliTest.IDENTITY, "--identity_provider", GoldenSignaturesCliTest.ISSUER);

    assertThat(run.out()).isEqualTo("Verification succeeded\n");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(CliRun.of("verify", "key", "--signature", "x", KEY_GOLDEN).exitCode()).as("missing --public-key").isEqualTo(2);
    assertThat(CliRun.of("verify", "key", "--bogus", KEY_GOLDEN).exitCode()).as("unknown option").isEqualTo(2);
    assertThat(CliRun.of("frobnicate").exitCode()).as("unknown command").isEqualTo(2);
    assertThat(CliRun.of().exitCode()).as("no arguments").isEqualTo(2);
    assertThat(CliRun.of("verify", "pkcs11-key", KEY_GOLDEN).exitCode()).as("no verify pkcs11-key").isEqualTo(2);
  }

  /** A key, CA or trust config comes from a file or from an environment variable, not both. */
  @Test
  void trustMaterialFromAFileAndFromTheEnvironmentIsAUsageError() {
    CliRun key = CliRun.of("verify", "key", "--signature", "x", "--public-key", "k.pem", "--public-key-env", "K",
        KEY_GOLDEN);
    assertThat(key.exitCode()).isEqualTo(2);
    assertThat(key.err()).startsWith("--public-key and --public-key-env cannot be used together");
    CliRun none = CliRun.of("verify", "key", "--signature", "x", KEY_GOLDEN);
    assertThat(none.err()).contains("Missing required option: '--public-key' (or '--public-key-env')");
    assertThat(CliRun.of("verify", "certificate", "--signature", "x", "--certificate-chain", "ca.pem",
            "--certificate_chain_env", "CA", KEY_GOLDEN).exitCode())
        .isEqualTo(2);
    assertThat(CliRun.of("verify", "sigstore", "--signature", "x", "--identity", "i", "--identity-provider", "p",
            "--trust-config", "t.json", "--trust-config-env", "T", KEY_GOLDEN).err())
        .contains("--trust-config and --trust-config-env cannot be used together");
  }

  @Test
  void helpListsEveryCommandAndMethod() {
    CliRun top = CliRun.of("--help");
    CliRun verify = CliRun.of("verify", "--help");
    CliRun sign = CliRun.of("sign", "-h");

    assertThat(top.exitCode()).isZero();
    assertThat(top.out()).contains("sign", "verify", "digest", "ready-check");
    assertThat(verify.out()).contains("sigstore", "key", "certificate");
    assertThat(sign.out()).contains("sigstore", "key", "certificate", "pkcs11-key", "pkcs11-certificate");
  }

  @Test
  void argumentsStartingWithAtAreNotFileReferences(@TempDir Path tmp) throws IOException {
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(model.resolve("f"), "x");
    Path argsFile = Files.writeString(tmp.resolve("args"), model.toString());

    CliRun run = CliRun.of("digest", "@" + argsFile);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("Computing digest failed: ").contains("@");
  }

  @Test
  void aRepeatedOptionTakesTheLastValueLikeClick(@TempDir Path tmp) throws IOException {
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(model.resolve("f"), "x");

    CliRun run = CliRun.of("sign", "key", model, "--private-key", SignVerifyRoundTripCliTest.PRIVATE_KEY,
        "--signature", tmp.resolve("first.sig"), "--signature", tmp.resolve("second.sig"), "--allow-symlinks",
        "--allow-symlinks");

    assertThat(run.exitCode()).isZero();
    assertThat(tmp.resolve("second.sig")).exists();
    assertThat(tmp.resolve("first.sig")).doesNotExist();
  }

  @Test
  void noArgumentsPrintsHelpOnStdoutAndExitsTwo() {
    CliRun run = CliRun.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).contains("Usage: model-signing");
  }

  @Test
  void filesWhoseNamesCollideAreRefused(@TempDir Path tmp) throws Exception {
    Path model = Files.createDirectories(tmp.resolve("m"));
    // two names that are not valid UTF-8: Java reads both as U+FFFD
    run("sh", "-c", "printf 1 > \"$1\"/$(printf '\\377'); printf 2 > \"$1\"/$(printf '\\376')", "sh", model.toString());
    try (var files = Files.list(model)) {
      org.junit.jupiter.api.Assumptions.assumeTrue(files.count() == 2, "the file system stores raw byte names");
    }

    CliRun run = CliRun.of("digest", model);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("valid UTF-8");
  }

  @Test
  void anIgnorePathThatIsABrokenLinkResolvesThroughTheLinkAsInPython(@TempDir Path tmp) throws IOException {
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(model.resolve("a"), "a");
    Files.createSymbolicLink(model.resolve("broken"), Path.of("nowhere"));

    CliRun run = CliRun.of("sign", "key", model, "--private-key", SignVerifyRoundTripCliTest.PRIVATE_KEY,
        "--signature", tmp.resolve("s.sig"), "--allow-symlinks", "--ignore-paths", model.resolve("broken"));

    // the ignore entry becomes "nowhere", so the broken link itself is not ignored and cannot be hashed
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("broken").contains("Cannot use");
    assertThat(tmp.resolve("s.sig")).doesNotExist();
  }

  @Test
  void underscoresInValuesAreLeftAlone(@TempDir Path tmp) throws IOException {
    Path model = Files.createDirectories(tmp.resolve("my_model"));
    Files.writeString(model.resolve("weights_v1.bin"), "w");

    CliRun run = CliRun.of("digest", "--ignore_git_paths", model.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("sha256:");
  }

  @Test
  void versionNamesTheCompatiblePythonRelease() {
    CliRun run = CliRun.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("model-signing, version ").contains("model_signing 1.1.1");
  }

  @Test
  void malformedSignatureFileIsOneLineExitOne(@TempDir Path tmp) throws IOException {
    Path sig = tmp.resolve("model.sig");
    Files.writeString(sig, "{\"mediaType\": ", StandardCharsets.UTF_8);

    CliRun run =
        CliRun.of("verify", "key", "--signature", sig, "--public-key", CliRun.CERTS.resolve("signing-key-pub.pem"), KEY_GOLDEN);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("Verification failed with error: ").hasLineCount(1);
  }

  @Test
  void failureReasonGoesToTheTerminationLog(@TempDir Path tmp) throws IOException {
    Path log = tmp.resolve("termination-log");
    Path model = GoldenSignaturesCliTest.copy(KEY_GOLDEN, tmp.resolve("m"));
    Files.writeString(model.resolve("signme-2"), "changed");

    CliRun run =
        CliRun.of("verify", "key", "--signature", model.resolve("model.sig"), "--public-key",
            CliRun.CERTS.resolve("signing-key-pub.pem"), "--termination-log", log, model);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(Files.readString(log)).startsWith("Verification failed with error: ").contains("signme-2");
  }

  static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }
}
