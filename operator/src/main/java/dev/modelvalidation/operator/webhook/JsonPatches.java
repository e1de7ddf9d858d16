package dev.modelvalidation.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.EnumSet;

/** RFC 6902 JSON Patch: diff and apply (fabric8 zjsonpatch), restricted to add/remove/replace. */
public final class JsonPatches {

  private static final EnumSet<DiffFlags> FLAGS =
      EnumSet.of(
          DiffFlags.OMIT_MOVE_OPERATION,
          DiffFlags.OMIT_COPY_OPERATION,
          DiffFlags.OMIT_VALUE_ON_REMOVE);

  private JsonPatches() {}

  /** The operations (add, remove, replace) that turn {@code source} into {@code target}. */
  public static JsonNode diff(JsonNode source, JsonNode target) {
    return JsonDiff.asJson(source, target, FLAGS);
  }

  /**
   * Applies a patch to a copy of the document.
   *
   * @throws IllegalArgumentException if the patch is malformed or does not apply
   */
  public static JsonNode apply(JsonNode patch, JsonNode document) {
    try {
      return JsonPatch.apply(patch, document);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("JSON Patch does not apply: " + e.getMessage(), e);
    }
  }
}
