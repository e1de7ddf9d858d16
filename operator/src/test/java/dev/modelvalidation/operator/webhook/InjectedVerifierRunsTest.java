package dev.modelvalidation.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.cli.ModelSigningCli;
import dev.modelvalidation.operator.api.ModelValidation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The init container the webhook injects, run for real: its exact command line, given to the model-signing CLI,
 * passes on a signed model and fails on a tampered one, for each trust method. The pod mounts the test's
 * temporary directory at the same path, so the paths in the container are the paths on this machine.
 */
class InjectedVerifierRunsTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path GOLDEN =
      Path.of(System.getProperty("modelsigning.testdata", "../../shared/testdata"))
          .toAbsolutePath()
          .normalize()
          .resolve("model-signing-releases");

  private final PodMutator mutator = new PodMutator(WebhookSettings.defaults(true));

  @ParameterizedTest
  @ValueSource(strings = {"publicKey", "pki", "sigstore", "publicKeyData", "pkiData", "sigstoreTrustConfigData"})
  void injectedCommandVerifiesSignedAndBlocksTamperedModels(String method, @TempDir Path tmp) throws IOException {
    Path data = tmp.toRealPath();
    Path model = data.resolve("models/m");
    String config =
        switch (method) {
          case "publicKey" -> {
            copyTree(REPO.resolve("examples/model"), model);
            Files.createDirectories(data.resolve("keys"));
            Files.copy(REPO.resolve("examples/keys/signing-key.pub"), data.resolve("keys/key.pub"));
            yield "\"publicKeyConfig\": {\"keyPath\": \"%s\"}".formatted(data.resolve("keys/key.pub"));
          }
          case "pki" -> {
            copyTree(GOLDEN.resolve("v1.1.0-certificate"), model);
            Files.createDirectories(data.resolve("ca"));
            Files.copy(GOLDEN.resolve("keys/certificate/ca-cert.pem"), data.resolve("ca/ca.pem"));
            yield "\"pkiConfig\": {\"certificateAuthority\": \"%s\"}".formatted(data.resolve("ca/ca.pem"));
          }
          // the trust material in the ModelValidation itself, not in a file of the pod
          case "publicKeyData" -> {
            copyTree(REPO.resolve("examples/model"), model);
            yield "\"publicKeyConfig\": {\"keyData\": %s}"
                .formatted(json(Files.readString(REPO.resolve("examples/keys/signing-key.pub"))));
          }
          case "pkiData" -> {
            copyTree(GOLDEN.resolve("v1.1.0-certificate"), model);
            yield "\"pkiConfig\": {\"certificateAuthorityData\": %s}"
                .formatted(json(Files.readString(GOLDEN.resolve("keys/certificate/ca-cert.pem"))));
          }
          case "sigstoreTrustConfigData" -> {
            copyTree(GOLDEN.resolve("v1.1.0-sigstore"), model);
            String trustedRoot = Files.readString(GOLDEN.resolveSibling("sigstore/public-good-trusted_root.json"));
            yield """
                "sigstoreConfig": {"certificateIdentity": "stefanb@us.ibm.com",
                                   "certificateOidcIssuer": "https://sigstore.verify.ibm.com/oauth2"},
                "clientTrustConfig": {"trustConfigData": %s}""".formatted(json(trustedRoot));
          }
          default -> {
            copyTree(GOLDEN.resolve("v1.1.0-sigstore"), model);
            yield """
                "sigstoreConfig": {"certificateIdentity": "stefanb@us.ibm.com",
                                   "certificateOidcIssuer": "https://sigstore.verify.ibm.com/oauth2"}""";
          }
        };
    ModelValidation mv =
        Fixtures.mv("team-a", "mv1", "{\"model\": {\"path\": \"%s\"}, \"config\": {%s}}".formatted(model, config));
    Pod pod = Fixtures.pod(Fixtures.simplePod("p", "mv1").replace("\"/data\"", "\"" + data + "\""));

    MutationResult result = mutator.mutate(pod, mv, Instant.now());
    assertThat(result).isInstanceOf(MutationResult.Mutated.class);
    Container verifier =
        ((MutationResult.Mutated) result).pod().getSpec().getInitContainers().stream()
            .filter(c -> c.getName().equals(WebhookConstants.VERIFIER_CONTAINER))
            .findFirst()
            .orElseThrow();
    assertThat(verifier.getCommand()).containsExactly("model-signing");
    java.util.Map<String, String> env = new java.util.HashMap<>();
    if (verifier.getEnv() != null) {
      verifier.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    }
    assertThat(env).as("trust material as environment variables").hasSize(method.endsWith("Data") ? 1 : 0);
    assertThat(verifier.getVolumeMounts())
        .as("only the model's volume is mounted")
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo(data.toString()));

    Run signed = run(verifier.getArgs(), env);
    assertThat(signed.err()).isEmpty();
    assertThat(signed.out()).endsWith("Verification succeeded\n");
    assertThat(signed.exitCode()).isZero();

    Path someFile;
    try (Stream<Path> files = Files.list(model)) {
      someFile = files.filter(p -> !List.of("model.sig", "ignore-me").contains(p.getFileName().toString())).sorted().findFirst().orElseThrow();
    }
    Files.writeString(someFile, "tampered after signing");
    Run tampered = run(verifier.getArgs(), env);
    assertThat(tampered.exitCode()).isEqualTo(1);
    assertThat(tampered.err())
        .startsWith("Verification failed with error: ")
        .contains(someFile.getFileName().toString())
        .hasLineCount(1);
  }

  private record Run(int exitCode, String out, String err) {}

  /** Runs the CLI in-process as the container would, with the container's environment variables only. */
  private static Run run(List<String> args, java.util.Map<String, String> env) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        ModelSigningCli.run(
            new ArrayList<>(args).toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), env::get);
    return new Run(code, out.toString(), err.toString());
  }

  private static String json(String text) throws IOException {
    return Fixtures.JSON.writeValueAsString(text);
  }

  private static void copyTree(Path from, Path to) throws IOException {
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
  }
}
