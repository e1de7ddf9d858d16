package dev.modelvalidation.modelsigning.manifest;

import dev.modelvalidation.modelsigning.model.ModelOrder;
import dev.modelvalidation.modelsigning.model.PosixNames;
import java.util.Comparator;

/**
 * A shard resource name {@code <path>:<start>:<end>} (spec §2.4, §4.3).
 *
 * @param path the normalized file path
 * @param start first byte (inclusive)
 * @param end last byte (exclusive)
 */
public record ShardName(String path, long start, long end) {
  /** Path component-wise by code point, then start and end as numbers (spec §5). */
  public static final Comparator<ShardName> ORDER =
      Comparator.comparing(ShardName::path, ModelOrder.PATH_ORDER)
          .thenComparingLong(ShardName::start)
          .thenComparingLong(ShardName::end);

  /**
   * Parses a name as Python does: split on {@code :} into exactly 3 parts (so a path containing {@code :} is
   * rejected, like Python), offsets as decimal integers.
   *
   * @throws IllegalArgumentException with Python's message for the wrong number of parts
   */
  public static ShardName parse(String name) {
    String[] parts = name.split(":", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "Invalid resource name: expected 3 components separated by `:`, got " + name);
    }
    long start;
    long end;
    try {
      start = Long.parseLong(parts[1].strip());
      end = Long.parseLong(parts[2].strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid resource name: shard offsets are not integers in " + name);
    }
    return new ShardName(PosixNames.normalize(parts[0]), start, end);
  }

  /** {@code path:start:end}. */
  @Override
  public String toString() {
    return path + ":" + start + ":" + end;
  }
}
