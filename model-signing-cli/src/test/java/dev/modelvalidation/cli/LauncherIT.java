package dev.modelvalidation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/model-signing} after the build: runs from any directory, and says when there is no usable Java. */
class LauncherIT {
  static final Path LAUNCHER = Path.of("../bin/model-signing").toAbsolutePath().normalize();
  static final Path MODEL = Path.of("../examples/python-signed").toAbsolutePath().normalize();

  record Result(int exitCode, String out, String err) {}

  static Result launch(Path workingDir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(workingDir, "out", ".txt");
    Path err = Files.createTempFile(workingDir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int code = p.waitFor();
    return new Result(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void runsFromAnyWorkingDirectory(@TempDir Path elsewhere) throws Exception {
    Result r =
        launch(elsewhere, Map.of(), "verify", "key", "--signature", MODEL.resolve("model/model.sig").toString(),
            "--public-key", MODEL.resolve("signing-key-pub.pem").toString(), MODEL.resolve("model").toString());

    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("Verification succeeded\n");
    assertThat(r.exitCode()).isZero();
  }

  /**
   * The launcher finds its jar however it is called: through a symlink elsewhere (resolved with readlink), through a
   * symlinked directory, or by a path with {@code ./}, {@code //} or {@code ..} segments (resolved without a fork);
   * and the JVM then still takes
   * the CLI's classes from the AOT cache, which it would silently skip for a class path it does not accept.
   */
  @Test
  void findsItsJarAndItsAotCacheFromAnyPathToIt(@TempDir Path tmp) throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("model-signing"), LAUNCHER);
    Path bin = LAUNCHER.getParent();
    Path binLink = Files.createSymbolicLink(tmp.resolve("bin"), bin); // a symlinked directory, not file
    List<String> calls = List.of(link.toString(), bin + "/./model-signing", bin + "//model-signing",
        bin + "/../bin/model-signing", tmp.relativize(LAUNCHER).toString(), binLink + "/model-signing",
        "bin/model-signing");
    try {
      launchEach(calls, tmp);
    } finally {
      Files.delete(link); // JUnit warns when it has to delete a link out of its directory
      Files.delete(binLink);
    }
  }

  private static void launchEach(List<String> calls, Path tmp) throws Exception {
    for (String call : calls) {
      ProcessBuilder pb = new ProcessBuilder(call, "--version").directory(tmp.toFile());
      pb.environment().put("MODEL_SIGNING_JAVA_OPTS", "-Xlog:class+load");
      Path out = tmp.resolve("out.txt");
      Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertThat(p.waitFor()).as(call).isZero();
      String text = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(text).as(call).contains("model-signing, version ");
      if (Runtime.version().feature() >= 25) {
        assertThat(text).as("classes from the AOT cache when called as %s", call)
            .containsPattern("dev\\.modelvalidation\\.cli\\.ModelSigningCli source: shared objects file");
      }
    }
  }

  /**
   * The launcher runs OpenSSL's SHA-256 with C1 only by default, and the JDK's with C2 (profiles of the AOT cache not
   * replayed) when asked: all three give the digest the library computes in this JVM. {@code openssl} fails unless
   * the launcher grants native access and the jar's Java 22 binding loads.
   */
  @Test
  void hashesWithOpenSslOrTheJdkToTheSameDigest(@TempDir Path tmp) throws Exception {
    Path model = Files.createDirectories(tmp.resolve("model"));
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 40; i++) { // 40 small files, then two big ones: 9 MiB in all, enough to bind OpenSSL
      byte[] data = new byte[1000 + i];
      random.nextBytes(data);
      Files.write(model.resolve("small-" + i), data);
    }
    for (int i = 0; i < 2; i++) {
      byte[] data = new byte[(9 << 19) + i];
      random.nextBytes(data);
      Files.write(model.resolve("big-" + i), data);
    }
    java.io.StringWriter out = new java.io.StringWriter();
    int code =
        ModelSigningCli.run(
            new String[] {"digest", model.toString()},
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(new java.io.StringWriter()));
    assertThat(code).isZero();
    String expected = out.toString();
    assertThat(expected).startsWith("sha256:");

    for (String sha256 : List.of("auto", "openssl", "jdk")) {
      Result r =
          launch(tmp, Map.of("MODEL_SIGNING_JAVA_OPTS", "-Ddev.modelvalidation.sha256=" + sha256),
              "digest", model.toString());
      assertThat(r.err()).as(sha256).isEmpty();
      assertThat(r.out()).as(sha256).isEqualTo(expected);
      assertThat(r.exitCode()).isZero();
    }
  }

  /**
   * The JIT the launcher picks (read back with {@code -XX:+PrintFlagsFinal}): C1 only when OpenSSL hashes (this
   * machine has libcrypto.so.3: the tests need it); C2, without the AOT profiles trained under C1, for the JDK digest
   * and for BLAKE.
   */
  @Test
  void runsC1OnlyWhenOpenSslHashesAndKeepsC2Otherwise(@TempDir Path tmp) throws Exception {
    java.util.regex.Pattern level = java.util.regex.Pattern.compile("TieredStopAtLevel\\s+=\\s+(\\d)");
    java.util.regex.Pattern replay = java.util.regex.Pattern.compile("AOTReplayTraining\\s+=\\s+(\\w+)");
    record Case(String opts, List<String> args, String level, String replay) {}
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(model.resolve("f"), "x");
    for (Case c :
        List.of(
            new Case("", List.of("digest", model.toString()), "1", "true"),
            new Case("-Ddev.modelvalidation.sha256=jdk", List.of("digest", model.toString()), "4", "false"),
            new Case("", List.of("digest", "--hash-algorithm", "blake3", model.toString()), "4", "false"))) {
      String opts = (c.opts() + " -XX:+UnlockDiagnosticVMOptions -XX:+PrintFlagsFinal").trim();
      Result r = launch(tmp, Map.of("MODEL_SIGNING_JAVA_OPTS", opts), c.args().toArray(String[]::new));
      assertThat(r.exitCode()).as(c.toString()).isZero();
      var l = level.matcher(r.out());
      var p = replay.matcher(r.out());
      assertThat(l.find() && p.find()).as(c.toString()).isTrue();
      assertThat(l.group(1)).as("TieredStopAtLevel for %s", c).isEqualTo(c.level());
      assertThat(p.group(1)).as("AOTReplayTraining for %s", c).isEqualTo(c.replay());
    }
  }

  /**
   * Transparent huge pages for the heap exactly when the kernel hands them out on request ({@code [madvise]}): with
   * {@code [always]} the heap has them without the flag, with {@code [never]} the JVM would warn on every run. Either
   * way nothing lands on stderr.
   */
  @Test
  void asksForTransparentHugePagesOnlyWhereTheKernelGivesThemOnRequest(@TempDir Path tmp) throws Exception {
    Path setting = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    boolean madvise = Files.isReadable(setting) && Files.readString(setting).contains("[madvise]");
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(model.resolve("f"), "x");
    Result r =
        launch(tmp, Map.of("MODEL_SIGNING_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "digest", model.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    var flag = java.util.regex.Pattern.compile("UseTransparentHugePages\\s+=\\s+(\\w+)").matcher(r.out());
    assertThat(flag.find()).isTrue();
    assertThat(flag.group(1)).as("THP setting: madvise=%s", madvise).isEqualTo(String.valueOf(madvise));
  }

  /**
   * Keyless verification (named, or the default method) starts with the sigstore AOT cache; key, certificate and
   * digest with the other one (read back with {@code -XX:+PrintFlagsFinal}). Both caches are made by the build on
   * JDK 25, which runs these tests.
   */
  @Test
  void picksTheSigstoreAotCacheForKeylessCommandsOnly(@TempDir Path tmp) throws Exception {
    java.util.regex.Pattern cache = java.util.regex.Pattern.compile("AOTCache\\s+=\\s+(/\\S+)");
    Path root = LAUNCHER.getParent().getParent();
    Path keyless = root.resolve("examples/python-signed-sigstore/model");
    Path keyed = root.resolve("examples/python-signed/model");
    List<String> sigstoreArgs = List.of(keyless.toString(), "--signature", keyless.resolve("model.sig").toString(),
        "--identity", "stefanb@us.ibm.com", "--identity_provider", "https://sigstore.verify.ibm.com/oauth2");
    record Case(List<String> args, String cache) {}
    List<Case> cases = new java.util.ArrayList<>();
    cases.add(new Case(concat(List.of("verify", "sigstore"), sigstoreArgs), "model-signing-sigstore.aot"));
    // no method: sigstore, with the model path first as in Python
    cases.add(new Case(concat(List.of("verify"), sigstoreArgs), "model-signing-sigstore.aot"));
    cases.add(new Case(List.of("verify", "key", "--signature", keyed.resolve("model.sig").toString(), "--public-key",
        root.resolve("examples/python-signed/signing-key-pub.pem").toString(), keyed.toString()), "model-signing.aot"));
    cases.add(new Case(List.of("digest", keyed.toString()), "model-signing.aot"));
    for (Case c : cases) {
      Result r = launch(tmp, Map.of("MODEL_SIGNING_JAVA_OPTS", "-XX:+PrintFlagsFinal"), c.args().toArray(String[]::new));
      assertThat(r.exitCode()).as("%s: %s", c.args(), r.err()).isZero();
      var m = cache.matcher(r.out());
      assertThat(m.find()).as(c.toString()).isTrue();
      assertThat(Path.of(m.group(1)).getFileName().toString()).as("cache for %s", c.args()).isEqualTo(c.cache());
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void saysClearlyWhenNoJava21IsFound(@TempDir Path tmp) throws Exception {
    Path oldJdk = Files.createDirectories(tmp.resolve("jdk-17/bin"));
    Files.writeString(oldJdk.resolveSibling("release"), "JAVA_VERSION=\"17.0.9\"\n");
    Path java = Files.writeString(oldJdk.resolve("java"), "#!/bin/sh\nexit 0\n");
    java.toFile().setExecutable(true);
    Path emptyPath = Files.createDirectories(tmp.resolve("no-java-here"));
    // the tools the launcher itself needs, and no java
    for (String tool : List.of("bash", "readlink")) {
      Path real = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
      Files.createSymbolicLink(emptyPath.resolve(tool), real);
    }

    Result r;
    try {
      r = launch(tmp, Map.of("JAVA_HOME", oldJdk.getParent().toString(), "PATH", emptyPath.toString(),
          "MODEL_SIGNING_JVM_DIR", tmp.resolve("none").toString()), "--version");
    } finally {
      for (String tool : List.of("bash", "readlink")) {
        Files.deleteIfExists(emptyPath.resolve(tool)); // links out of the temp dir: remove them ourselves
      }
    }

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("needs a Java runtime >= 21").contains("JAVA_HOME");
  }
}
