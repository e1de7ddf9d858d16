package dev.modelvalidation.modelsigning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelvalidation.modelsigning.statement.Statements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The payload read from a bundle before any check, to start hashing early: the very bytes the check will see. */
class EarlyHashingPayloadTest {
  static Stream<Path> releaseBundles() throws Exception {
    try (Stream<Path> files = Files.walk(TestData.RELEASES)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".sig")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("releaseBundles")
  void everyPythonReleaseBundleGivesItsPayload(Path bundle) throws Exception {
    assertThat(EarlyHashing.uncheckedPayload(Files.readAllBytes(bundle))).isEqualTo(TestData.payloadOf(bundle));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{\"dsseEnvelope\": {\"payloadType\": \"application/json\", \"payload\": \"e30=\"}}",
        "{\"dsseEnvelope\": {\"payload\": \"e30=\"}}",
        "{\"dsseEnvelope\": {\"payloadType\": \"application/vnd.in-toto+json\", \"payload\": \"not base64!\"}}",
        "{\"dsseEnvelope\": {\"payloadType\": \"application/vnd.in-toto+json\", \"payload\": 12}}",
        "{\"dsseEnvelope\": {\"payloadType\": \"application/vnd.in-toto+json\", \"payload\": \"e30=\"",
        "{\"dsseEnvelope\": \"e30=\"}"
      })
  void noPayloadWhereTheBundleDoesNotGiveAnInTotoOne(String json) {
    assertThat(EarlyHashing.uncheckedPayload(json.getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"mediaType\": \"x\", \"verificationMaterial\": {\"a\": [1, {\"b\": null}]}, \"dsseEnvelope\":"
            + " {\"signatures\": [{\"sig\": \"AA==\"}], \"payload\": \"e30=\", \"payloadType\": \"%s\"}}",
        "{\"dsseEnvelope\": {\"payloadType\": \"%s\", \"payload\": \"W10=\"}, \"dsseEnvelope\":"
            + " {\"payloadType\": \"%s\", \"payload\": \"e30=\"}}"
      })
  void otherMembersAreSkippedAndTheLastEnvelopeCounts(String template) {
    String json = template.formatted(Statements.PAYLOAD_TYPE, Statements.PAYLOAD_TYPE);
    assertThat(EarlyHashing.uncheckedPayload(json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }
}
