package dev.modelvalidation.modelsigning.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelvalidation.modelsigning.signature.SignatureTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tree reader must give exactly what {@code ObjectMapper.readTree} gives, node types included. */
class JsonTreesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = new JsonFactory();

  private static JsonNode read(byte[] json) throws Exception {
    try (JsonParser parser = JSON.createParser(json)) {
      return JsonTrees.read(parser);
    }
  }

  private static JsonNode read(String json) throws Exception {
    return read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "\"text\"",
        "42",
        "null",
        "{\"a\":1,\"b\":[1,2.5,-3e2,true,false,null,\"x\\u00e9\\ud83d\\ude00\"],\"c\":{\"d\":{\"e\":[[],{}]}}}",
        "[2147483647,2147483648,-2147483649,9223372036854775807,9223372036854775808,-92233720368547758090]",
        "[0.1,1e400,-0.0,1E-5]",
        "{\"same\":1,\"same\":\"last wins\"}",
        " \n\t{ \"spaced\" : [ 1 , 2 ] } "
      })
  void givesTheSameTreeAsObjectMapper(String json) throws Exception {
    assertThat(read(json)).isEqualTo(MAPPER.readTree(json));
  }

  /** Every golden bundle, and the in-toto statement inside it, reads to the same tree. */
  @Test
  void everyGoldenSignatureAndStatementReadsAsObjectMapperReadsThem() throws Exception {
    int count = 0;
    try (Stream<Path> files = Files.walk(SignatureTestData.releases())) {
      for (Path file : files.filter(p -> p.toString().endsWith(".sig")).toList()) {
        byte[] bundle = Files.readAllBytes(file);
        assertThat(read(bundle)).as("%s", file).isEqualTo(MAPPER.readTree(bundle));
        byte[] statement = Base64.getDecoder().decode(MAPPER.readTree(bundle).at("/dsseEnvelope/payload").asText());
        assertThat(read(statement)).as("statement of %s", file).isEqualTo(MAPPER.readTree(statement));
        count++;
      }
    }
    assertThat(count).isGreaterThanOrEqualTo(10);
  }

  @Test
  void emptyInputIsNullAndTrailingContentIsLeftToTheCaller() throws Exception {
    assertThat(read("  ")).isNull();
    try (JsonParser parser = JSON.createParser("{\"a\":1} [2]")) {
      assertThat(JsonTrees.read(parser)).isEqualTo(MAPPER.readTree("{\"a\":1}"));
      assertThat(JsonTrees.read(parser)).isEqualTo(MAPPER.readTree("[2]"));
      assertThat(JsonTrees.read(parser)).isNull();
    }
  }

  /** {@code readTree(byte[])} is {@code ObjectMapper.readTree(byte[])}: MissingNode when empty, trailing ignored. */
  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "{\"a\":1} [2]", "[1] x", "{\"k\":{\"k\":[true]},\"k\":null}"})
  void readTreeOfBytesIsObjectMappersReadTree(String json) throws Exception {
    byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(JsonTrees.readTree(bytes)).isEqualTo(MAPPER.readTree(bytes));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":[1,", "{\"a\":", "[1,]", "{\"a\" 1}", "{'a':1}", "[1}", "nul"})
  void malformedJsonIsTheParsersError(String json) {
    assertThatThrownBy(() -> read(json)).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void aParserThatRefusesDuplicateKeysStillRefusesThem() {
    JsonFactory strict = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    assertThatThrownBy(
            () -> {
              try (JsonParser parser = strict.createParser("{\"a\":1,\"a\":2}")) {
                JsonTrees.read(parser);
              }
            })
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("Duplicate field 'a'");
  }
}
