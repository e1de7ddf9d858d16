package dev.modelvalidation.modelsigning.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelvalidation.modelsigning.VerificationException;
import dev.modelvalidation.modelsigning.hashing.HashAlgorithm;
import dev.modelvalidation.modelsigning.hashing.Serialization;
import dev.modelvalidation.modelsigning.manifest.Manifest;
import dev.modelvalidation.modelsigning.manifest.ManifestSerialization;
import dev.modelvalidation.modelsigning.manifest.ResourceDigest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] digest(String s) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  private static Manifest manifest(Serialization s, List<ResourceDigest> resources, List<String> ignore) {
    return Manifest.sorted("model", resources, new ManifestSerialization(s, false, ignore));
  }

  /** A v1.0 statement with the root computed over the given resources (names written as given). */
  private static String statement(String serialization, String resources, String root) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"m\",\"digest\":{\"sha256\":\""
        + root
        + "\"}}],\"predicateType\":\"https://model_signing/signature/v1.0\",\"predicate\":{\"serialization\":"
        + serialization
        + ",\"resources\":["
        + resources
        + "]}}";
  }

  private static final String FILES = "{\"method\":\"files\",\"hash_type\":\"sha256\",\"allow_symlinks\":false}";

  @Test
  void nonAsciiNamesAreEscapedAsPythonDoesAndRoundTrip() throws Exception {
    String name = "caf\u00e9/\uD83D\uDE00 \"q\"\\\t\u007f";
    Manifest m =
        manifest(Serialization.DEFAULT, List.of(new ResourceDigest(name, "sha256", digest("x"))), List.of());
    String payload = text(StatementWriter.write(m));
    assertThat(payload)
        .contains("\"name\": \"caf\\u00e9/\\ud83d\\ude00 \\\"q\\\"\\\\\\t\\u007f\"")
        .doesNotEndWith("\n");
    assertThat(payload.chars()).allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f));
    Manifest back = StatementParser.parse(StatementWriter.write(m));
    assertThat(back.resources()).extracting(ResourceDigest::name).containsExactly(name);
    assertThat(back.rootDigestHex()).isEqualTo(m.rootDigestHex());
  }

  @Test
  void astralNamesAreOrderedByCodePointInTheManifest() throws Exception {
    Manifest m =
        manifest(
            Serialization.DEFAULT,
            List.of(
                new ResourceDigest("\uD83D\uDE00", "sha256", digest("1")),
                new ResourceDigest("\uFFFF", "sha256", digest("2")),
                new ResourceDigest("\u00e9", "sha256", digest("3"))),
            List.of());
    assertThat(m.resources()).extracting(ResourceDigest::name).containsExactly("\u00e9", "\uFFFF", "\uD83D\uDE00");
  }

  @Test
  void shardsAreWrittenWithFloatSizeAndSortedNumerically() throws Exception {
    Serialization s = Serialization.shards(HashAlgorithm.SHA256, 8);
    Manifest m =
        manifest(
            s,
            List.of(
                new ResourceDigest("f:16:22", "sha256-sharded-8", digest("c")),
                new ResourceDigest("f:8:16", "sha256-sharded-8", digest("b")),
                new ResourceDigest("f:0:8", "sha256-sharded-8", digest("a"))),
            List.of("z", "a"));
    assertThat(m.resources()).extracting(ResourceDigest::name).containsExactly("f:0:8", "f:8:16", "f:16:22");
    String payload = text(StatementWriter.write(m));
    assertThat(payload)
        .contains(
            "\"serialization\": {\n      \"method\": \"shards\",\n      \"hash_type\": \"sha256\",\n"
                + "      \"shard_size\": 8.0,\n      \"allow_symlinks\": false,\n      \"ignore_paths\": [\n"
                + "        \"a\",\n        \"z\"\n      ]\n    },");
    Manifest back = StatementParser.parse(bytes(payload));
    assertThat(back.serialization().serialization()).isEqualTo(s);
    assertThat(back.serialization().ignorePaths()).containsExactly("a", "z");
  }

  @Test
  void pythonFloatReprForHugeShardSizes() {
    assertThat(new PythonJsonWriter.PyFloat(1_000_000_000L).render()).isEqualTo("1000000000.0");
    assertThat(new PythonJsonWriter.PyFloat(9_999_999_999_999_998L).render()).isEqualTo("9999999999999998.0");
    assertThat(new PythonJsonWriter.PyFloat(10_000_000_000_000_000L).render()).isEqualTo("1e+16");
    assertThat(new PythonJsonWriter.PyFloat(123_400_000_000_000_000L).render()).isEqualTo("1.234e+17");
  }

  @Test
  void emptyManifestAndEmptyModelName() throws Exception {
    Manifest m = Manifest.sorted("", List.of(), new ManifestSerialization(Serialization.DEFAULT, false, List.of()));
    String payload = text(StatementWriter.write(m));
    assertThat(payload).contains("\"resources\": []").contains("{\n      \"digest\": {").doesNotContain("\"name\"");
    assertThat(StatementParser.parse(bytes(payload)).modelName()).isEmpty();
  }

  @Test
  void parseAcceptsIntegerOrIntegralFloatShardSizeAndUppercaseHex() throws Exception {
    byte[] d = digest("a");
    String root = HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(d));
    String res = "{\"name\":\"f:0:8\",\"algorithm\":\"sha256-sharded-8\",\"digest\":\"" + HEX.formatHex(d).toUpperCase() + "\"}";
    for (String size : List.of("8", "8.0", "8e0")) {
      String ser = "{\"method\":\"shards\",\"hash_type\":\"sha256\",\"shard_size\":" + size + ",\"allow_symlinks\":true}";
      Manifest m = StatementParser.parse(bytes(statement(ser, res, root)));
      assertThat(m.serialization().serialization().shardSize()).isEqualTo(8);
      assertThat(m.serialization().allowSymlinks()).isTrue();
      assertThat(m.resources().get(0).digest()).isEqualTo(d);
    }
    String fractional = "{\"method\":\"shards\",\"hash_type\":\"sha256\",\"shard_size\":8.5,\"allow_symlinks\":true}";
    assertThatThrownBy(() -> StatementParser.parse(bytes(statement(fractional, res, root))))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("shard_size must be a positive integer");
  }

  @Test
  void rootIsCheckedInPayloadOrder() throws Exception {
    byte[] a = digest("a");
    byte[] b = digest("b");
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(b);
    md.update(a);
    String rootBa = HEX.formatHex(md.digest());
    String resBa =
        "{\"name\":\"b\",\"algorithm\":\"sha256\",\"digest\":\"" + HEX.formatHex(b) + "\"},"
            + "{\"name\":\"a\",\"algorithm\":\"sha256\",\"digest\":\"" + HEX.formatHex(a) + "\"}";
    assertThat(StatementParser.parse(bytes(statement(FILES, resBa, rootBa))).resources())
        .extracting(ResourceDigest::name)
        .containsExactly("b", "a");
    md.update(a);
    md.update(b);
    String rootAb = HEX.formatHex(md.digest());
    assertThatThrownBy(() -> StatementParser.parse(bytes(statement(FILES, resBa, rootAb))))
        .isInstanceOf(VerificationException.class)
        .hasMessage(
            "Manifest is inconsistent. Root digest is " + rootAb + ", but the included resources hash to " + rootBa);
  }

  @Test
  void duplicateNamesAreAcceptedAndTheLastWins() throws Exception {
    byte[] a = digest("a");
    byte[] b = digest("b");
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(a);
    md.update(b);
    String res =
        "{\"name\":\"x\",\"algorithm\":\"sha256\",\"digest\":\"" + HEX.formatHex(a) + "\"},"
            + "{\"name\":\"./x\",\"algorithm\":\"sha256\",\"digest\":\"" + HEX.formatHex(b) + "\"}";
    Manifest m = StatementParser.parse(bytes(statement(FILES, res, HEX.formatHex(md.digest()))));
    assertThat(m.byName()).hasSize(1);
    assertThat(m.byName().get("x").digest()).isEqualTo(b);
  }

  @Test
  void strictChecksWithPythonMessages() throws Exception {
    String empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    String good = statement(FILES, "", empty);
    assertThat(StatementParser.parse(bytes(good)).resources()).isEmpty();
    assertThatThrownBy(() -> StatementParser.parse(bytes(good.replace("Statement/v1", "Statement/v0.1"))))
        .hasMessage("Expected in-toto https://in-toto.io/Statement/v1 payload, but got https://in-toto.io/Statement/v0.1");
    assertThatThrownBy(() -> StatementParser.parse(bytes(good.replace("signature/v1.0", "Digest/v0.1"))))
        .hasMessage(
            "Predicate type mismatch, expected https://model_signing/signature/v1.0, got https://model_signing/Digest/v0.1");
    assertThatThrownBy(() -> StatementParser.parse(bytes(good.replace("\"subject\":[", "\"subject\":[{\"name\":\"x\"},"))))
        .hasMessageStartingWith("Expected only one subject, got [");
    assertThatThrownBy(() -> StatementParser.parse(bytes(good.replace("\"files\"", "\"tree\""))))
        .hasMessage("Unknown serialization type tree");
    assertThatThrownBy(() -> StatementParser.parse(bytes(good.replace(",\"allow_symlinks\":false", ""))))
        .hasMessageContaining("allow_symlinks is missing");
    assertThatThrownBy(() -> StatementParser.parse(bytes(good.replace("\"sha256\",\"allow", "\"md5\",\"allow"))))
        .hasMessageContaining("Unsupported hash_type 'md5'");
    assertThatThrownBy(() -> StatementParser.parse(bytes("not json")))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("Invalid in-toto statement: not valid JSON");
    String shards = "{\"method\":\"shards\",\"hash_type\":\"sha256\",\"shard_size\":8,\"allow_symlinks\":false}";
    String badName = "{\"name\":\"a:b:0:8\",\"algorithm\":\"sha256-sharded-8\",\"digest\":\"00\"}";
    assertThatThrownBy(() -> StatementParser.parse(bytes(statement(shards, badName, empty))))
        .hasMessage("Invalid resource name: expected 3 components separated by `:`, got a:b:0:8");
    String badHex = "{\"name\":\"a\",\"algorithm\":\"sha256\",\"digest\":\"zz\"}";
    assertThatThrownBy(() -> StatementParser.parse(bytes(statement(FILES, badHex, empty))))
        .hasMessageContaining("Invalid digest for resource 'a'");
  }
}
