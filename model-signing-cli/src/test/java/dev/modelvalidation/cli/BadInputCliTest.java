package dev.modelvalidation.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelvalidation.modelsigning.hashing.HashAlgorithm;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.manifest.ManifestSerialization;
import dev.modelvalidation.modelsigning.manifest.ResourceDigest;
import dev.modelvalidation.modelsigning.signature.KeyPayloadSigner;
import dev.modelvalidation.modelsigning.statement.StatementWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input on the command line: every case is one line on stderr naming what is wrong, exit 1 (2 only for usage
 * errors), no stack trace, and a failed sign leaves no file behind.
 */
class BadInputCliTest {
  static final String VERIFY_FAILED = "Verification failed with error";
  static final String SIGN_FAILED = "Signing failed with error";
  static final String DIGEST_FAILED = "Computing digest failed";
  static final Path PUBLIC_KEY = CliRun.CERTS.resolve("signing-key-pub.pem");
  static final Path PRIVATE_KEY = CliRun.CERTS.resolve("signing-key.pem");
  static final ObjectMapper JSON = new ObjectMapper();

  /** The verification methods, each with a golden v1.1.0 model and the flags that verify it. */
  enum Method {
    KEY("v1.1.0-elliptic-key", "key", "--public-key", PUBLIC_KEY.toString()),
    CERTIFICATE("v1.1.0-certificate", "certificate", "--certificate-chain", CliRun.CERTS.resolve("ca-cert.pem").toString()),
    SIGSTORE(
        "v1.1.0-sigstore",
        "sigstore",
        "--identity",
        GoldenSignaturesCliTest.IDENTITY,
        "--identity-provider",
        GoldenSignaturesCliTest.ISSUER);

    final Path golden;
    final String name;
    final List<String> flags;

    Method(String folder, String name, String... flags) {
      this.golden = CliRun.GOLDEN.resolve(folder);
      this.name = name;
      this.flags = List.of(flags);
    }

    CliRun verify(Path signature, Path model, String... extra) {
      List<String> args = new ArrayList<>(List.of("verify", name, "--signature", signature.toString()));
      args.addAll(flags);
      args.addAll(List.of(extra));
      args.add(model.toString());
      return CliRun.of(args.toArray(String[]::new));
    }
  }

  /** A user-facing failure: exit 1, exactly one line on stderr, with the prefix and the names given, no trace. */
  static void assertOneLineFailure(CliRun run, String prefix, String... mentions) {
    assertThat(run.err()).as("stderr").startsWith(prefix + ": ").hasLineCount(1);
    for (String mention : mentions) {
      assertThat(run.err()).as("stderr names what is wrong").contains(mention);
    }
    assertThat(run.err()).as("no stack trace").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.out()).as("stdout").doesNotContain("succeeded");
    assertThat(run.exitCode()).as("exit code").isEqualTo(1);
  }

  static Path writeJson(Path file, ObjectNode bundle) throws IOException {
    Files.write(file, JSON.writeValueAsBytes(bundle));
    return file;
  }

  static ObjectNode goldenBundle(Method method) throws IOException {
    return (ObjectNode) JSON.readTree(method.golden.resolve("model.sig").toFile());
  }

  static ObjectNode envelope(ObjectNode bundle) {
    return (ObjectNode) bundle.get("dsseEnvelope");
  }

  static ObjectNode firstSignature(ObjectNode bundle) {
    return (ObjectNode) envelope(bundle).get("signatures").get(0);
  }

  /** Bundle mutations, each with the word the error must name. */
  static Stream<Arguments> brokenBundles() {
    List<Arguments> cases = new ArrayList<>();
    for (Method m : Method.values()) {
      cases.add(mutation(m, "wrong mediaType", b -> b.put("mediaType", "application/json"), "application/json"));
      cases.add(mutation(m, "missing mediaType", b -> b.remove("mediaType"), "mediaType"));
      cases.add(mutation(m, "missing dsseEnvelope", b -> b.remove("dsseEnvelope"), "dsseEnvelope"));
      cases.add(mutation(m, "missing verificationMaterial", b -> b.remove("verificationMaterial"), "verificationMaterial"));
      cases.add(mutation(m, "missing payload", b -> envelope(b).remove("payload"), "payload"));
      cases.add(mutation(m, "missing signatures", b -> envelope(b).remove("signatures"), "signature"));
      cases.add(mutation(m, "missing sig", b -> firstSignature(b).remove("sig"), "sig"));
      cases.add(mutation(m, "non-base64 payload", b -> envelope(b).put("payload", "not*base64!"), "payload", "base64"));
      cases.add(mutation(m, "non-base64 sig", b -> firstSignature(b).put("sig", "%%%%"), "sig", "base64"));
    }
    cases.add(mutation(Method.KEY, "missing publicKey", b -> material(b).remove("publicKey"), "verificationMaterial"));
    cases.add(
        mutation(
            Method.CERTIFICATE,
            "non-base64 certificate",
            b -> ((ObjectNode) material(b).get("x509CertificateChain").get("certificates").get(0)).put("rawBytes", "#"),
            "rawBytes",
            "base64"));
    cases.add(
        mutation(
            Method.CERTIFICATE,
            "empty certificate chain",
            b -> ((ObjectNode) material(b).get("x509CertificateChain")).putArray("certificates"),
            "certificates"));
    cases.add(
        mutation(
            Method.SIGSTORE,
            "non-base64 certificate",
            b -> ((ObjectNode) material(b).get("certificate")).put("rawBytes", "#"),
            "certificate",
            "base64"));
    cases.add(mutation(Method.SIGSTORE, "missing tlogEntries", b -> material(b).remove("tlogEntries"), "transparency log"));
    return cases.stream();
  }

  static ObjectNode material(ObjectNode bundle) {
    return (ObjectNode) bundle.get("verificationMaterial");
  }

  static Arguments mutation(Method method, String what, Consumer<ObjectNode> change, String mention) {
    return Arguments.of(method, what, change, new String[] {mention});
  }

  static Arguments mutation(Method method, String what, Consumer<ObjectNode> change, String m1, String m2) {
    return Arguments.of(method, what, change, new String[] {m1, m2});
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("brokenBundles")
  void brokenBundleIsOneLineNamingTheField(
      Method method, String what, Consumer<ObjectNode> change, String[] mentions, @TempDir Path tmp) throws IOException {
    ObjectNode bundle = goldenBundle(method);
    change.accept(bundle);
    Path sig = writeJson(tmp.resolve("model.sig"), bundle);

    assertOneLineFailure(method.verify(sig, method.golden), VERIFY_FAILED, mentions);
  }

  @ParameterizedTest
  @MethodSource("methods")
  void notJsonAtAllIsOneLine(Method method, @TempDir Path tmp) throws IOException {
    Path sig = Files.writeString(tmp.resolve("model.sig"), "this is not JSON\n");

    assertOneLineFailure(method.verify(sig, method.golden), VERIFY_FAILED, "JSON");
  }

  @ParameterizedTest
  @MethodSource("methods")
  void truncatedSignatureFileIsOneLine(Method method, @TempDir Path tmp) throws IOException {
    byte[] golden = Files.readAllBytes(method.golden.resolve("model.sig"));
    Path sig = Files.write(tmp.resolve("model.sig"), Arrays.copyOf(golden, golden.length / 2));

    assertOneLineFailure(method.verify(sig, method.golden), VERIFY_FAILED, "JSON");
  }

  @ParameterizedTest
  @MethodSource("methods")
  void truncatedSignatureValueDoesNotVerify(Method method, @TempDir Path tmp) throws IOException {
    ObjectNode bundle = goldenBundle(method);
    byte[] sig = Base64.getDecoder().decode(firstSignature(bundle).get("sig").asText());
    firstSignature(bundle).put("sig", Base64.getEncoder().encodeToString(Arrays.copyOf(sig, sig.length - 7)));
    Path file = writeJson(tmp.resolve("model.sig"), bundle);

    String named = method == Method.SIGSTORE ? "Invalid encoding for signature" : "dsseEnvelope.signatures[0].sig";
    assertOneLineFailure(method.verify(file, method.golden), VERIFY_FAILED, named);
  }

  @ParameterizedTest
  @MethodSource("methods")
  void emptySignatureFileIsOneLine(Method method, @TempDir Path tmp) throws IOException {
    Path sig = Files.createFile(tmp.resolve("model.sig"));

    assertOneLineFailure(method.verify(sig, method.golden), VERIFY_FAILED, "empty");
  }

  @ParameterizedTest
  @MethodSource("methods")
  void missingSignatureFileIsNamed(Method method, @TempDir Path tmp) {
    Path sig = tmp.resolve("absent.sig");

    assertOneLineFailure(method.verify(sig, method.golden), VERIFY_FAILED, sig.toString());
  }

  @ParameterizedTest
  @MethodSource("methods")
  void signatureThatIsADirectoryIsNamed(Method method, @TempDir Path tmp) throws IOException {
    Path sig = Files.createDirectory(tmp.resolve("model.sig"));

    assertOneLineFailure(method.verify(sig, method.golden), VERIFY_FAILED, sig.toString());
  }

  @ParameterizedTest
  @MethodSource("methods")
  void missingModelPathIsNamed(Method method, @TempDir Path tmp) {
    Path model = tmp.resolve("no-such-model");

    assertOneLineFailure(method.verify(method.golden.resolve("model.sig"), model), VERIFY_FAILED, "no-such-model");
  }

  static Stream<Method> methods() {
    return Stream.of(Method.values());
  }

  @Test
  void payloadThatIsNotAStatementIsOneLine(@TempDir Path tmp) throws Exception {
    Path sig = tmp.resolve("model.sig");
    Files.write(sig, KeyPayloadSigner.fromPemFile(PRIVATE_KEY, null).sign("{\"_type\": 42}".getBytes(StandardCharsets.UTF_8)));

    assertOneLineFailure(Method.KEY.verify(sig, Method.KEY.golden), VERIFY_FAILED, "in-toto");
  }

  @Test
  void publicKeyThatIsNotAKeyIsNamed(@TempDir Path tmp) throws IOException {
    Path key = Files.writeString(tmp.resolve("pub.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    Path model = Method.KEY.golden;

    CliRun run = CliRun.of("verify", "key", "--signature", model.resolve("model.sig"), "--public-key", key, model);

    assertOneLineFailure(run, VERIFY_FAILED, key.toString());
  }

  @Test
  void publicKeyThatIsADirectoryIsNamed(@TempDir Path tmp) {
    Path model = Method.KEY.golden;

    CliRun run = CliRun.of("verify", "key", "--signature", model.resolve("model.sig"), "--public-key", tmp, model);

    assertOneLineFailure(run, VERIFY_FAILED, tmp.toString());
  }

  /** Signatures that name files outside the model: validly signed, so only the names stop them. */
  @Nested
  class EscapingResourceNames {
    Path model;
    Path secret;

    Path signedStatementNaming(Path tmp, String escapingName) throws Exception {
      return signedStatementNaming(tmp, escapingName, false);
    }

    /** A validly signed statement for the model plus {@code escapingName}, with the true digest of the secret. */
    Path signedStatementNaming(Path tmp, String escapingName, boolean shards) throws Exception {
      byte[] weights = Files.readAllBytes(model.resolve("weights.bin"));
      byte[] secretBytes = Files.readAllBytes(secret);
      ResourceDigest inside =
          new ResourceDigest(shards ? "weights.bin:0:" + weights.length : "weights.bin", "sha256", sha256(weights));
      ResourceDigest outside =
          new ResourceDigest(
              shards ? escapingName + ":0:" + secretBytes.length : escapingName, "sha256", sha256(secretBytes));
      Serialization serialization =
          shards ? Serialization.shards(HashAlgorithm.SHA256, Serialization.DEFAULT_SHARD_SIZE) : Serialization.DEFAULT;
      Manifest manifest =
          Manifest.sorted(
              model.getFileName().toString(),
              List.of(inside, outside),
              new ManifestSerialization(serialization, false, List.of()));
      byte[] bundle = KeyPayloadSigner.fromPemFile(PRIVATE_KEY, null).sign(StatementWriter.write(manifest));
      return Files.write(tmp.resolve("crafted.sig"), bundle);
    }

    void setUp(Path tmp) throws IOException {
      model = Files.createDirectories(tmp.resolve("model"));
      Files.writeString(model.resolve("weights.bin"), "weights");
      secret = Files.writeString(tmp.resolve("secret.txt"), "outside the model");
    }

    String escapingName(String kind) {
      return switch (kind) {
        case "dotdot" -> "../secret.txt";
        case "nested" -> "weights/../../secret.txt";
        default -> secret.toAbsolutePath().toString();
      };
    }

    @ParameterizedTest
    @ValueSource(strings = {"dotdot", "nested", "absolute"})
    void withIgnoreUnsignedFilesTheNameIsRefusedNotFollowed(String kind, @TempDir Path tmp) throws Exception {
      setUp(tmp);
      String name = escapingName(kind);
      Path sig = signedStatementNaming(tmp, name);

      CliRun run = Method.KEY.verify(sig, model, "--ignore-unsigned-files");

      assertOneLineFailure(run, VERIFY_FAILED, name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dotdot", "absolute"})
    void shardedNamesAreRefusedToo(String kind, @TempDir Path tmp) throws Exception {
      setUp(tmp);
      String name = escapingName(kind);
      Path sig = signedStatementNaming(tmp, name, true);

      assertOneLineFailure(Method.KEY.verify(sig, model, "--ignore-unsigned-files"), VERIFY_FAILED, name);
      assertOneLineFailure(Method.KEY.verify(sig, model), VERIFY_FAILED, name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dotdot", "nested", "absolute"})
    void withoutIgnoreUnsignedFilesTheNameIsAMissingFile(String kind, @TempDir Path tmp) throws Exception {
      setUp(tmp);
      String name = escapingName(kind);
      Path sig = signedStatementNaming(tmp, name);

      CliRun run = Method.KEY.verify(sig, model);

      assertOneLineFailure(run, VERIFY_FAILED, name);
    }
  }

  @Nested
  class Symlinks {
    Path model;
    Path target;

    void setUp(Path tmp) throws IOException {
      model = Files.createDirectories(tmp.resolve("model"));
      Files.writeString(model.resolve("weights.bin"), "weights");
      target = Files.writeString(tmp.resolve("outside.bin"), "outside");
      Files.createSymbolicLink(model.resolve("link.bin"), Path.of("../outside.bin"));
    }

    @Test
    void signRefusesAnEscapingSymlinkWithoutAllowSymlinks(@TempDir Path tmp) throws IOException {
      setUp(tmp);
      SignatureDir out = SignatureDir.withExisting(tmp);

      CliRun run = CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", out.signature(), model);

      assertOneLineFailure(run, SIGN_FAILED, "link.bin");
      out.assertUntouched();
    }

    @Test
    void digestRefusesAnEscapingSymlinkWithoutAllowSymlinks(@TempDir Path tmp) throws IOException {
      setUp(tmp);

      assertOneLineFailure(CliRun.of("digest", model), DIGEST_FAILED, "link.bin");
    }

    @Test
    void verifyRefusesAnEscapingSymlinkWithoutAllowSymlinks(@TempDir Path tmp) throws IOException {
      setUp(tmp);
      Path sig = tmp.resolve("model.sig");
      assertThat(CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", sig, "--allow-symlinks", model).exitCode())
          .isZero();

      assertOneLineFailure(Method.KEY.verify(sig, model), VERIFY_FAILED, "link.bin");
    }

    @Test
    void withAllowSymlinksTheTargetIsHashedAndAChangedTargetIsNamed(@TempDir Path tmp) throws IOException {
      setUp(tmp);
      Path sig = tmp.resolve("model.sig");
      CliRun signed = CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", sig, "--allow-symlinks", model);
      CliRun verified = Method.KEY.verify(sig, model, "--allow-symlinks");
      Files.writeString(target, "changed outside");

      CliRun changed = Method.KEY.verify(sig, model, "--allow-symlinks");

      assertThat(signed.exitCode()).isZero();
      assertThat(verified.out()).isEqualTo("Verification succeeded\n");
      assertOneLineFailure(changed, VERIFY_FAILED, "link.bin");
    }

    @Test
    void aDanglingSymlinkIsNamedEvenWithAllowSymlinks(@TempDir Path tmp) throws IOException {
      setUp(tmp);
      Files.delete(target);
      SignatureDir out = SignatureDir.empty(tmp);

      CliRun run =
          CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", out.signature(), "--allow-symlinks", model);

      assertOneLineFailure(run, SIGN_FAILED, "link.bin");
      out.assertUntouched();
    }
  }

  @Nested
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // hang guard only
  class Fifos {
    Path model;

    void setUp(Path tmp) throws Exception {
      model = Files.createDirectories(tmp.resolve("model"));
      Files.writeString(model.resolve("weights.bin"), "weights");
      CliBehaviourTest.run("mkfifo", model.resolve("pipe").toString());
    }

    @Test
    void signRefusesAFifo(@TempDir Path tmp) throws Exception {
      setUp(tmp);
      SignatureDir out = SignatureDir.withExisting(tmp);

      CliRun run = CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", out.signature(), model);

      assertOneLineFailure(run, SIGN_FAILED, "pipe");
      out.assertUntouched();
    }

    @Test
    void digestRefusesAFifo(@TempDir Path tmp) throws Exception {
      setUp(tmp);

      assertOneLineFailure(CliRun.of("digest", model), DIGEST_FAILED, "pipe");
    }

    @Test
    void verifyRefusesAFifoEvenWhenUnsignedFilesAreIgnored(@TempDir Path tmp) throws Exception {
      setUp(tmp);
      Path sig = tmp.resolve("model.sig");
      Files.delete(model.resolve("pipe"));
      assertThat(CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", sig, model).exitCode()).isZero();
      Files.delete(model.resolve("weights.bin"));
      CliBehaviourTest.run("mkfifo", model.resolve("weights.bin").toString());

      assertOneLineFailure(Method.KEY.verify(sig, model), VERIFY_FAILED, "weights.bin");
      assertOneLineFailure(Method.KEY.verify(sig, model, "--ignore-unsigned-files"), VERIFY_FAILED, "weights.bin");
    }
  }

  @Nested
  class UnreadableFiles {
    /**
     * Mode 000 does not stop root (CAP_DAC_OVERRIDE), and the tests run as root here: then the CLI runs in a child
     * JVM without the capabilities that bypass file permissions, so the read really fails.
     */
    CliRun runWithFilePermissions(Path unreadable, String... args) throws IOException, InterruptedException {
      if (!Files.isReadable(unreadable)) {
        return CliRun.of(args);
      }
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "root without setpriv: cannot make a file unreadable");
      List<String> command =
          new ArrayList<>(
              List.of(
                  "/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                  System.getProperty("java.class.path"), ModelSigningCli.class.getName()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      process.getOutputStream().close();
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = process.waitFor();
      return new CliRun(code, out, new String(err.join(), StandardCharsets.UTF_8));
    }

    static byte[] readAll(InputStream in) {
      try {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Test
    void anUnreadableModelFileIsNamed(@TempDir Path tmp) throws Exception {
      Path model = Files.createDirectories(tmp.resolve("model"));
      Path file = Files.writeString(model.resolve("weights.bin"), "weights");
      Files.writeString(model.resolve("config.json"), "{}");
      Path sig = tmp.resolve("model.sig");
      assertThat(CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", sig, model).exitCode()).isZero();
      byte[] signature = Files.readAllBytes(sig);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));

      CliRun sign =
          runWithFilePermissions(
              file, "sign", "key", "--private-key", PRIVATE_KEY.toString(), "--signature", sig.toString(),
              model.toString());
      CliRun digest = runWithFilePermissions(file, "digest", model.toString());
      CliRun verify =
          runWithFilePermissions(
              file, "verify", "key", "--signature", sig.toString(), "--public-key", PUBLIC_KEY.toString(),
              model.toString());

      assertOneLineFailure(sign, SIGN_FAILED, "weights.bin");
      assertThat(Files.readAllBytes(sig)).as("previous signature untouched").isEqualTo(signature);
      try (Stream<Path> left = Files.list(tmp)) {
        assertThat(left).as("no temporary file left").containsExactlyInAnyOrder(model, sig);
      }
      assertOneLineFailure(digest, DIGEST_FAILED, "weights.bin");
      assertOneLineFailure(verify, VERIFY_FAILED, "weights.bin");
    }

    @Test
    void aSignedFileThatIsNowADirectoryIsNamed(@TempDir Path tmp) throws IOException {
      Path model = Files.createDirectories(tmp.resolve("model"));
      Files.writeString(model.resolve("weights.bin"), "weights");
      Files.writeString(model.resolve("config.json"), "{}");
      Path sig = tmp.resolve("model.sig");
      assertThat(CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", sig, model).exitCode()).isZero();
      Files.delete(model.resolve("weights.bin"));
      Files.writeString(Files.createDirectories(model.resolve("weights.bin")).resolve("part"), "weights");

      assertOneLineFailure(Method.KEY.verify(sig, model), VERIFY_FAILED, "weights.bin");
      assertOneLineFailure(Method.KEY.verify(sig, model, "--ignore-unsigned-files"), VERIFY_FAILED, "weights.bin");
    }

    @Test
    void aSignatureTargetThatIsADirectoryIsNamedAndLeftAlone(@TempDir Path tmp) throws IOException {
      Path target = Files.createDirectories(tmp.resolve("out/model.sig"));

      CliRun run = CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", target, Method.KEY.golden);

      assertOneLineFailure(run, SIGN_FAILED, target.toString());
      try (Stream<Path> left = Files.list(tmp.resolve("out")); Stream<Path> inside = Files.list(target)) {
        assertThat(left).containsExactly(target);
        assertThat(inside).isEmpty();
      }
    }

    @Test
    void aPrivateKeyThatCannotBeReadIsNamed(@TempDir Path tmp) throws IOException {
      Path model = Method.KEY.golden;
      Path keyDir = Files.createDirectory(tmp.resolve("key.pem"));
      SignatureDir out = SignatureDir.withExisting(tmp);

      CliRun run = CliRun.of("sign", "key", "--private-key", keyDir, "--signature", out.signature(), model);

      assertOneLineFailure(run, SIGN_FAILED, keyDir.toString());
      out.assertUntouched();
    }

    @Test
    void aPrivateKeyThatIsNotPemIsNamed(@TempDir Path tmp) throws IOException {
      Path key = Files.writeString(tmp.resolve("key.pem"), "garbage");
      SignatureDir out = SignatureDir.empty(tmp);

      CliRun run = CliRun.of("sign", "key", "--private-key", key, "--signature", out.signature(), Method.KEY.golden);

      assertOneLineFailure(run, SIGN_FAILED, key.toString());
      out.assertUntouched();
    }

    @Test
    void aSignatureTargetInAMissingDirectoryIsNamed(@TempDir Path tmp) {
      Path sig = tmp.resolve("no-such-dir/model.sig");

      CliRun run = CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", sig, Method.KEY.golden);

      assertOneLineFailure(run, SIGN_FAILED, "no-such-dir");
      assertThat(tmp.resolve("no-such-dir")).doesNotExist();
    }
  }

  @Nested
  class MissingModel {
    @Test
    void signOfAMissingModelLeavesTheSignatureAlone(@TempDir Path tmp) throws IOException {
      SignatureDir out = SignatureDir.withExisting(tmp);

      CliRun run =
          CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", out.signature(), tmp.resolve("no-such-model"));

      assertOneLineFailure(run, SIGN_FAILED, "no-such-model");
      out.assertUntouched();
    }

    @Test
    void signOfAMissingModelWritesNothing(@TempDir Path tmp) throws IOException {
      SignatureDir out = SignatureDir.empty(tmp);

      CliRun run =
          CliRun.of("sign", "key", "--private-key", PRIVATE_KEY, "--signature", out.signature(), tmp.resolve("no-such-model"));

      assertOneLineFailure(run, SIGN_FAILED, "no-such-model");
      out.assertUntouched();
    }
  }

  @Nested
  class LogLevels {
    final Path model = Method.CERTIFICATE.golden;

    CliRun verifyLoggingFingerprints(String... logLevel) {
      List<String> args = new ArrayList<>(List.of(logLevel));
      args.addAll(
          List.of(
              "verify", "certificate", "--signature", model.resolve("model.sig").toString(), "--certificate-chain",
              CliRun.CERTS.resolve("ca-cert.pem").toString(), "--log-fingerprints", model.toString()));
      return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void fingerprintsAreLoggedOnStderrAtInfo() {
      CliRun byDefault = verifyLoggingFingerprints();
      CliRun atInfo = verifyLoggingFingerprints("--log-level", "info");

      for (CliRun run : List.of(byDefault, atInfo)) {
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Verification succeeded\n");
        assertThat(run.err()).contains("sha256 Fingerprint: ").contains("[  init  ]").contains("[ verify ]");
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"warning", "WARNING", "Warning", "error"})
    void fingerprintsAreNotLoggedAboveInfo(String level) {
      CliRun run = verifyLoggingFingerprints("--log-level", level);

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("Verification succeeded\n");
      assertThat(run.err()).isEmpty();
    }

    @Test
    void thePythonSpellingOfTheFlagWorksToo() {
      CliRun run = verifyLoggingFingerprints("--log_level", "WARNING");

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("Verification succeeded\n");
      assertThat(run.err()).isEmpty();
    }

    @Test
    void anInvalidLevelIsAUsageError() {
      CliRun run = verifyLoggingFingerprints("--log-level", "loud");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("--log-level").contains("loud").doesNotContain("\tat ");
      assertThat(run.out()).isEmpty();
    }
  }

  /** A signature directory, maybe holding a previous signature, that a failed sign must leave as it was. */
  record SignatureDir(Path dir, byte[] previous) {
    static SignatureDir withExisting(Path tmp) throws IOException {
      Path dir = Files.createDirectories(tmp.resolve("out"));
      byte[] previous = "previous signature".getBytes(StandardCharsets.UTF_8);
      Files.write(dir.resolve("model.sig"), previous);
      return new SignatureDir(dir, previous);
    }

    static SignatureDir empty(Path tmp) throws IOException {
      return new SignatureDir(Files.createDirectories(tmp.resolve("out")), null);
    }

    Path signature() {
      return dir.resolve("model.sig");
    }

    void assertUntouched() {
      try (Stream<Path> files = Files.list(dir)) {
        List<String> names = files.map(p -> p.getFileName().toString()).toList();
        if (previous == null) {
          assertThat(names).as("no file left behind").isEmpty();
        } else {
          assertThat(names).as("no file left behind").containsExactly("model.sig");
          assertThat(Files.readAllBytes(signature())).as("previous signature untouched").isEqualTo(previous);
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
