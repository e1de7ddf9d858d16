package dev.modelvalidation.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The training workload for the JDK's ahead-of-time cache, run once at build time ({@code aot-cache} profile of the
 * CLI's pom); not a command of the CLI. The cache keeps the classes this run loads and the method profiles it
 * gathers, so the JIT compiles the hot hashing and walking code early in every later run: the more the training
 * looks like real use, the faster real use starts.
 *
 * <p>Profile {@code base} (the default) runs, in one JVM, what users and the operator run most besides keyless:
 * verify the bundled Python-signed example (key method), sign and verify a generated model with the example key, and
 * digest generated models of many small files and of one bigger file in both serializations. Profile {@code
 * sigstore} verifies the bundled keyless example offline, for a second cache that {@code bin/model-signing} uses
 * for the {@code sigstore} method. Usage: {@code AotTraining REPOSITORY_ROOT WORK_DIR [base|sigstore]}.
 */
final class AotTraining {
  private static final int SMALL_FILES = 4000;
  private static final int BIG_FILE_BYTES = 48 << 20;

  private AotTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3 || (args.length == 3 && !List.of("base", "sigstore").contains(args[2]))) {
      throw new IllegalArgumentException("usage: AotTraining REPOSITORY_ROOT WORK_DIR [base|sigstore]");
    }
    Path root = Path.of(args[0]);
    Path work = Path.of(args[1]);
    Path examples = root.resolve("examples");
    if (args.length == 3 && args[2].equals("sigstore")) {
      // keyless, offline against the bundled public-good trusted root: its own cache, because the classes it adds
      // (protobuf, sigstore-java, ~45 % more) would slow down the start of every other command
      Path keyless = examples.resolve("python-signed-sigstore/model");
      for (int i = 0; i < 3; i++) {
        run("verify", "sigstore", "--signature", keyless.resolve("model.sig").toString(),
            "--identity", "stefanb@us.ibm.com", "--identity_provider", "https://sigstore.verify.ibm.com/oauth2",
            keyless.toString());
      }
      return;
    }
    Path small = work.resolve("small-files");
    Path big = work.resolve("big-file");
    createModels(small, big);

    Path pythonSigned = examples.resolve("python-signed");
    run("verify", "key", "--signature", pythonSigned.resolve("model/model.sig").toString(),
        "--public-key", pythonSigned.resolve("signing-key-pub.pem").toString(), pythonSigned.resolve("model").toString());
    Path signature = work.resolve("small-files.sig");
    run("sign", "key", "--private-key", examples.resolve("keys/signing-key.pem").toString(),
        "--signature", signature.toString(), small.toString());
    for (int i = 0; i < 3; i++) {
      run("verify", "key", "--signature", signature.toString(),
          "--public-key", examples.resolve("keys/signing-key.pub").toString(), small.toString());
      run("digest", small.toString());
    }
    run("digest", big.toString());
    run("digest", "--serialization", "shards", "--shard-size", String.valueOf(BIG_FILE_BYTES / 8), big.toString());
  }

  /** Runs one command line like {@code main} does, but fails the build when it does not exit 0. */
  private static void run(String... args) {
    StringWriter err = new StringWriter();
    int code = ModelSigningCli.run(args, new PrintWriter(OutputStream.nullOutputStream()), new PrintWriter(err));
    if (code != 0) {
      throw new IllegalStateException("training run failed (" + code + "): " + Arrays.toString(args) + "\n" + err);
    }
  }

  /** A model of {@value #SMALL_FILES} 4 KiB files in 10 directories, and a model of one bigger file. */
  private static void createModels(Path small, Path big) throws IOException {
    Random random = new Random(42);
    byte[] data = new byte[4096];
    if (!Files.isDirectory(small)) {
      for (int i = 0; i < SMALL_FILES; i++) {
        Path dir = small.resolve("d" + (i % 10));
        Files.createDirectories(dir);
        random.nextBytes(data);
        Files.write(dir.resolve("f-" + i), data);
      }
    }
    Path file = big.resolve("model.bin");
    if (!Files.isRegularFile(file) || Files.size(file) != BIG_FILE_BYTES) {
      Files.createDirectories(big);
      try (OutputStream out = Files.newOutputStream(file)) {
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < BIG_FILE_BYTES / chunk.length; i++) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
    }
  }
}
