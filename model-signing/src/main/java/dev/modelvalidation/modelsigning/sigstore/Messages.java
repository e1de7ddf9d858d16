package dev.modelvalidation.modelsigning.sigstore;

import java.util.ArrayList;
import java.util.List;

/** Turns exceptions from libraries into one-line text. */
final class Messages {
  private Messages() {}

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    String trimmed = text.strip();
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
