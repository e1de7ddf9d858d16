package dev.modelvalidation.modelsigning.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads JSON into Jackson's tree nodes straight from a {@link JsonParser}, as {@code ObjectMapper.readTree} does with
 * default settings: integers as int, long or BigInteger nodes by size, other numbers as doubles, and of a repeated
 * object key the last value (unless the parser itself refuses duplicates).
 *
 * <p>Why not {@code ObjectMapper}: initializing that class sets up databind's date formats and with them the JDK's
 * locale data, about 25 ms of a 250 ms {@code verify} run, for a bundle and a statement that hold no dates.
 */
public final class JsonTrees {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonFactory PLAIN = new JsonFactory();

  private JsonTrees() {}

  /**
   * The parser's next value as a tree, or null when the input has no more tokens (empty input). Does not look past
   * the value: the caller decides whether trailing content is an error.
   *
   * @throws IOException the parser's error for malformed JSON (a {@code JsonProcessingException} with its location)
   */
  public static JsonNode read(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    return token == null ? null : value(parser, token);
  }

  /** A streaming parser over {@code json}, from the same factory as the trees (callers close it). */
  public static JsonParser parser(byte[] json) throws IOException {
    return PLAIN.createParser(json);
  }

  /**
   * The document as {@code new ObjectMapper().readTree(json)} reads it: its first value ({@code MissingNode} for empty
   * input), later content ignored, repeated keys: the last value.
   */
  public static JsonNode readTree(byte[] json) throws IOException {
    try (JsonParser parser = PLAIN.createParser(json)) {
      JsonNode root = read(parser);
      return root == null ? MissingNode.getInstance() : root;
    }
  }

  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> object(parser);
      case START_ARRAY -> array(parser);
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT ->
          switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new JsonParseException(parser, "Unexpected token " + token);
    };
  }

  private static ObjectNode object(JsonParser parser) throws IOException {
    ObjectNode object = NODES.objectNode();
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      object.replace(name, value(parser, next(parser)));
    }
    return object;
  }

  private static ArrayNode array(JsonParser parser) throws IOException {
    ArrayNode array = NODES.arrayNode();
    for (JsonToken token = next(parser); token != JsonToken.END_ARRAY; token = next(parser)) {
      array.add(value(parser, token));
    }
    return array;
  }

  private static JsonToken next(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new JsonParseException(parser, "Unexpected end-of-input inside a JSON value");
    }
    return token;
  }
}
