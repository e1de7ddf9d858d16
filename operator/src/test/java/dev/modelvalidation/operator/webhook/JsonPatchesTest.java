package dev.modelvalidation.operator.webhook;

import static dev.modelvalidation.operator.webhook.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonPatchesTest {

  @Test
  void diffEscapesSlashesInKeysAndRoundTrips() {
    JsonNode source = tree("{\"metadata\": {\"annotations\": {\"a\": \"1\"}}, \"list\": [1, 2]}");
    JsonNode target =
        tree("{\"metadata\": {\"annotations\": {\"a\": \"1\", \"x.io/k~y\": \"v\"}}, \"list\": [1, 2, 3]}");
    JsonNode patch = JsonPatches.diff(source, target);
    assertThat(patch.toString())
        .contains("\"path\":\"/metadata/annotations/x.io~1k~0y\"")
        .doesNotContain("\"op\":\"move\"")
        .doesNotContain("\"op\":\"copy\"");
    assertThat(JsonPatches.apply(patch, source)).isEqualTo(target);
    // the source is not modified
    assertThat(source.path("list").size()).isEqualTo(2);
  }

  @Test
  void aPatchThatDoesNotApplyIsAClearError() {
    JsonNode patch = tree("[{\"op\": \"replace\", \"path\": \"/spec/missing\", \"value\": 1}]");
    assertThatThrownBy(() -> JsonPatches.apply(patch, tree("{\"spec\": {}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("JSON Patch does not apply");
  }
}
