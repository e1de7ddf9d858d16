package dev.modelvalidation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust material in environment variables ({@code --public-key-env}, {@code --certificate-chain-env},
 * {@code --trust-config-env}), as the operator injects it: run through {@code bin/model-signing}, since a variable
 * can only be set for another process.
 */
class TrustFromEnvironmentIT {
  private static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();

  private static LauncherIT.Result launch(Path dir, Map<String, String> env, String... args) throws Exception {
    return LauncherIT.launch(dir, env, args);
  }

  @Test
  void aPublicKeyFromTheEnvironmentVerifiesAndAWrongOneFails(@TempDir Path tmp) throws Exception {
    Path model = EXAMPLES.resolve("python-signed/model");
    String key = Files.readString(EXAMPLES.resolve("python-signed/signing-key-pub.pem"));
    LauncherIT.Result ok =
        launch(tmp, Map.of("MV_KEY", key), "verify", "key", "--signature", model.resolve("model.sig").toString(),
            "--public_key_env", "MV_KEY", model.toString());
    assertThat(ok.err()).isEmpty();
    assertThat(ok.out()).isEqualTo("Verification succeeded\n");
    assertThat(ok.exitCode()).isZero();

    String otherKey = Files.readString(EXAMPLES.resolve("keys/signing-key.pub"));
    LauncherIT.Result wrong =
        launch(tmp, Map.of("MV_KEY", otherKey), "verify", "key", "--signature", model.resolve("model.sig").toString(),
            "--public-key-env", "MV_KEY", model.toString());
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.err()).startsWith("Verification failed with error: ");

    LauncherIT.Result unset =
        launch(tmp, Map.of(), "verify", "key", "--signature", model.resolve("model.sig").toString(),
            "--public-key-env", "MV_KEY_UNSET", model.toString());
    assertThat(unset.exitCode()).isEqualTo(1);
    assertThat(unset.err())
        .isEqualTo("Verification failed with error: Environment variable MV_KEY_UNSET is not set\n");

    LauncherIT.Result notPem =
        launch(tmp, Map.of("MV_KEY", "not a key"), "verify", "key", "--signature",
            model.resolve("model.sig").toString(), "--public-key-env", "MV_KEY", model.toString());
    assertThat(notPem.exitCode()).isEqualTo(1);
    assertThat(notPem.err()).contains("environment variable MV_KEY");
  }

  @Test
  void aCaCertificateFromTheEnvironmentVerifiesTheGoldenCertificateSignature(@TempDir Path tmp) throws Exception {
    Path golden = CliRun.GOLDEN.resolve("v1.1.0-certificate");
    String ca = Files.readString(CliRun.CERTS.resolve("ca-cert.pem"));
    LauncherIT.Result ok =
        launch(tmp, Map.of("MV_CA", ca), "verify", "certificate", "--signature",
            golden.resolve("model.sig").toString(), "--certificate-chain-env", "MV_CA",
            "--ignore-paths", golden.resolve("ignore-me").toString(), golden.toString());
    assertThat(ok.err()).isEmpty();
    assertThat(ok.exitCode()).isZero();

    // the signing key's own certificate is not a CA that anchors the chain
    String notTheCa = Files.readString(CliRun.CERTS.resolve("signing-key-cert.pem"));
    LauncherIT.Result wrong =
        launch(tmp, Map.of("MV_CA", notTheCa), "verify", "certificate", "--signature",
            golden.resolve("model.sig").toString(), "--certificate-chain-env", "MV_CA",
            "--ignore-paths", golden.resolve("ignore-me").toString(), golden.toString());
    assertThat(wrong.exitCode()).isEqualTo(1);
  }

  @Test
  void aTrustedRootFromTheEnvironmentVerifiesTheKeylessExample(@TempDir Path tmp) throws Exception {
    Path model = EXAMPLES.resolve("python-signed-sigstore/model");
    String trustedRoot = Files.readString(CliRun.TESTDATA.resolve("sigstore/public-good-trusted_root.json"));
    LauncherIT.Result ok =
        launch(tmp, Map.of("MV_TRUST", trustedRoot), "verify", "sigstore", "--signature",
            model.resolve("model.sig").toString(), "--identity", "stefanb@us.ibm.com", "--identity-provider",
            "https://sigstore.verify.ibm.com/oauth2", "--trust-config-env", "MV_TRUST", model.toString());
    assertThat(ok.err()).isEmpty();
    assertThat(ok.exitCode()).isZero();

    LauncherIT.Result broken =
        launch(tmp, Map.of("MV_TRUST", "{}"), "verify", "sigstore", "--signature",
            model.resolve("model.sig").toString(), "--identity", "stefanb@us.ibm.com", "--identity-provider",
            "https://sigstore.verify.ibm.com/oauth2", "--trust-config-env", "MV_TRUST", model.toString());
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err()).contains("environment variable MV_TRUST");
  }
}
