package dev.modelvalidation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What we sign, we verify: key and certificate, in every serialization and hash. */
class SignVerifyRoundTripCliTest {
  static final Path PRIVATE_KEY = CliRun.CERTS.resolve("signing-key.pem");
  static final Path PUBLIC_KEY = CliRun.CERTS.resolve("signing-key-pub.pem");

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "key, files, sha256", "key, files, blake2b", "key, files, blake3",
    "key, shards, sha256", "key, shards, blake2b", "key, shards, blake3",
    "certificate, files, sha256", "certificate, files, blake2b", "certificate, files, blake3",
    "certificate, shards, sha256", "certificate, shards, blake2b", "certificate, shards, blake3"
  })
  void signsAndVerifies(String method, String serialization, String hash, @TempDir Path tmp) throws IOException {
    Path model = sampleModel(tmp);
    Path sig = model.resolve("model.sig");

    List<String> sign = new ArrayList<>(List.of("sign", method, model.toString(), "--signature", sig.toString(),
        "--serialization", serialization, "--hash-algorithm", hash, "--shard-size", "16", "--private-key", PRIVATE_KEY.toString()));
    if (method.equals("certificate")) {
      sign.addAll(List.of("--signing-certificate", CliRun.CERTS.resolve("signing-key-cert.pem").toString(),
          "--certificate-chain", CliRun.CERTS.resolve("int-ca-cert.pem").toString()));
    }
    CliRun signed = CliRun.of(sign.toArray(String[]::new));
    assertThat(signed.err()).isEmpty();
    assertThat(signed.out()).isEqualTo("Signing succeeded\n");

    CliRun verified = CliRun.of(verify(method, model, sig).toArray(String[]::new));
    assertThat(verified.err()).isEmpty();
    assertThat(verified.out()).isEqualTo("Verification succeeded\n");

    Files.writeString(model.resolve("weights/layer-1.bin"), "0123456789abcdef0123456789abcdeX");
    CliRun tampered = CliRun.of(verify(method, model, sig).toArray(String[]::new));
    assertThat(tampered.exitCode()).isEqualTo(1);
    assertThat(tampered.err()).contains("layer-1.bin");
  }

  @Test
  void failedSigningLeavesNoFileAndKeepsTheOldOne(@TempDir Path tmp) throws IOException {
    Path model = sampleModel(tmp);
    Path sig = tmp.resolve("model.sig");
    Files.writeString(sig, "previous signature");

    CliRun run = CliRun.of("sign", "key", model, "--signature", sig, "--private-key", PUBLIC_KEY);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("Signing failed with error: ").hasLineCount(1);
    assertThat(Files.readString(sig)).isEqualTo("previous signature");
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model", "model.sig");
    }
  }

  static List<String> verify(String method, Path model, Path sig) {
    List<String> args = new ArrayList<>(List.of("verify", method, "--signature", sig.toString()));
    if (method.equals("key")) {
      args.addAll(List.of("--public-key", PUBLIC_KEY.toString()));
    } else {
      args.addAll(List.of("--certificate-chain", CliRun.CERTS.resolve("ca-cert.pem").toString()));
    }
    args.add(model.toString());
    return args;
  }

  static Path sampleModel(Path tmp) throws IOException {
    Path model = Files.createDirectories(tmp.resolve("model/weights"));
    Files.writeString(model.resolve("layer-0.bin"), "0123456789abcdef0123456789abcdef0123");
    Files.writeString(model.resolve("layer-1.bin"), "0123456789abcdef0123456789abcdef");
    Files.writeString(model.resolve("../config.json"), "{\"hidden_size\": 4}");
    Files.writeString(model.resolve("../empty"), "");
    return model.getParent();
  }
}
