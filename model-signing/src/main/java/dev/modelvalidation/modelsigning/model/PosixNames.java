package dev.modelvalidation.modelsigning.model;

import java.util.ArrayList;
import java.util.List;

/** Resource-name normalization as Python's {@code PurePosixPath} does it (spec §2.3). */
public final class PosixNames {
  private PosixNames() {}

  /**
   * Collapses repeated {@code /}, drops {@code .} components and a trailing {@code /}; keeps {@code ..}; keeps exactly
   * two leading slashes; an empty result is {@code .}.
   */
  public static String normalize(String name) {
    if (name.isEmpty()) {
      return ".";
    }
    String root;
    if (name.startsWith("//") && !name.startsWith("///")) {
      root = "//";
    } else if (name.startsWith("/")) {
      root = "/";
    } else {
      root = "";
    }
    String joined = String.join("/", components(name));
    String result = root + joined;
    return result.isEmpty() ? "." : result;
  }

  /** The non-empty, non-{@code .} components of a {@code /}-separated name (a leading root is dropped). */
  public static List<String> components(String name) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    int len = name.length();
    while (start <= len) {
      int slash = name.indexOf('/', start);
      int end = slash < 0 ? len : slash;
      if (end > start) {
        String part = name.substring(start, end);
        if (!part.equals(".")) {
          parts.add(part);
        }
      }
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    return parts;
  }

  /** Whether a (normalized) name is absolute, i.e. starts with {@code /}. */
  public static boolean isAbsolute(String name) {
    return name.startsWith("/");
  }

  /** Whether any component of the name is {@code ..}. */
  public static boolean hasParentReference(String name) {
    return components(name).contains("..");
  }
}
