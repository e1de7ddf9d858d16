package dev.modelvalidation.modelsigning.statement;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON exactly as Python's {@code json.dumps(obj, indent=2)} (with the default {@code ensure_ascii=True}): two
 * spaces per level, {@code ": "} after keys, {@code ","} at line ends, {@code []}/{@code {}} for empty containers, every
 * character outside {@code 0x20..0x7E} as a lowercase {@code \\uXXXX} escape (UTF-16 units, so astral characters become
 * surrogate pairs), no trailing newline.
 *
 * <p>Values: {@link String}, {@link Boolean}, {@link PyFloat}, {@link List} and {@link Map} (in its iteration order).
 */
final class PythonJsonWriter {
  /** A number printed as Python prints a float ({@code repr}), e.g. {@code 1000000000.0} or {@code 1e+16}. */
  record PyFloat(long value) {
    String render() {
      if (Math.abs(value) < 10_000_000_000_000_000L) {
        return value + ".0";
      }
      String s = Double.toString((double) value); // shortest repr, e.g. 1.0E16 or 1.2345E17
      int e = s.indexOf('E');
      String mantissa = s.substring(0, e);
      if (mantissa.endsWith(".0")) {
        mantissa = mantissa.substring(0, mantissa.length() - 2);
      }
      int exp = Integer.parseInt(s.substring(e + 1));
      return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
  }

  private final StringBuilder out = new StringBuilder(4096);

  static byte[] write(Object value) {
    PythonJsonWriter w = new PythonJsonWriter();
    w.value(value, 0);
    return w.out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private void value(Object v, int depth) {
    switch (v) {
      case String s -> string(s);
      case Boolean b -> out.append(b ? "true" : "false");
      case PyFloat f -> out.append(f.render());
      case List<?> list -> list(list, depth);
      case Map<?, ?> map -> map(map, depth);
      default -> throw new IllegalArgumentException("unsupported JSON value " + v.getClass());
    }
  }

  private void list(List<?> list, int depth) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    boolean first = true;
    for (Object item : list) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(depth + 1);
      value(item, depth + 1);
    }
    newline(depth);
    out.append(']');
  }

  private void map(Map<?, ?> map, int depth) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(depth + 1);
      string((String) e.getKey());
      out.append(": ");
      value(e.getValue(), depth + 1);
    }
    newline(depth);
    out.append('}');
  }

  private void newline(int depth) {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c >= 0x20 && c <= 0x7e) {
            out.append(c);
          } else {
            out.append("\\u");
            String hex = Integer.toHexString(c);
            for (int pad = hex.length(); pad < 4; pad++) {
              out.append('0');
            }
            out.append(hex);
          }
        }
      }
    }
    out.append('"');
  }
}
