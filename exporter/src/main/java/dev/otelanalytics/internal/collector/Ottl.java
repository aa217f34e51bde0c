package dev.otelanalytics.internal.collector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Literals of the OpenTelemetry Transformation Language (OTTL) and of RE2, the Collector's regular
 * expressions: strings, lists of strings, and patterns that match a text or a span-name glob
 * exactly.
 */
final class Ottl {
  private static final String RE2_SPECIAL = "\\.+*?()|[]{}^$";

  private Ottl() {}

  /**
   * An OTTL string literal: double quotes, with Go's escapes for quotes and backslashes (OTTL
   * unquotes its strings as Go does). The text holds no control characters: see {@link
   * CollectorConfigWriter}, which refuses policies that have any.
   */
  static String string(String text) {
    StringBuilder s = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        s.append('\\');
      }
      s.append(c);
    }
    return s.append('"').toString();
  }

  /** An OTTL list of string literals: {@code ["a", "b"]}. */
  static String list(Collection<String> items) {
    List<String> literals = new ArrayList<>(items.size());
    for (String item : items) {
      literals.add(string(item));
    }
    return "[" + String.join(", ", literals) + "]";
  }

  /** {@code text} with every RE2 metacharacter escaped, so that a pattern matches it literally. */
  static String literal(String text) {
    StringBuilder s = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (RE2_SPECIAL.indexOf(c) >= 0) {
        s.append('\\');
      }
      s.append(c);
    }
    return s.toString();
  }

  /** An RE2 pattern that matches exactly {@code text}, the whole of it. */
  static String exactly(String text) {
    return "^" + literal(text) + "\\z";
  }

  /**
   * An RE2 pattern that matches the whole of a name exactly when the glob does in {@code
   * SpanSelector}: {@code *} any run of characters (line breaks too), {@code ?} one character.
   */
  static String glob(String glob) {
    StringBuilder s = new StringBuilder("(?s)^");
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        s.append(literal(literal.toString()));
        literal.setLength(0);
        s.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    return s.append(literal(literal.toString())).append("\\z").toString();
  }
}
