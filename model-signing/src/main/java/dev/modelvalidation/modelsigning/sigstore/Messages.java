package dev.modelvalidation.modelsigning.sigstore;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Turns exceptions from libraries into one-line text. */
final class Messages {
  private Messages() {}

  /** A fully qualified exception class name as {@code Throwable.toString()} puts it before a cause's message. */
  private static final Pattern EXCEPTION_NAME =
      Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    String trimmed = EXCEPTION_NAME.matcher(text).replaceAll("").strip();
    int newline = trimmed.indexOf('\n');
    return (newline < 0 ? trimmed : trimmed.substring(0, newline)).strip();
  }

  /** The message of {@code e} and of each distinct cause, joined with ": ", on one line. */
  static String describe(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
      String line = firstLine(t.getMessage());
      String message = line.isEmpty() ? t.getClass().getSimpleName() : line;
      if (parts.stream().noneMatch(p -> p.contains(message))) {
        parts.add(message);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return String.join(": ", parts);
  }
}
