package dev.otelanalytics.internal;

import java.util.Locale;

/**
 * Characters a reader of a policy, a configuration or a log line cannot see: control characters,
 * line and paragraph separators, invisible format characters (zero-width spaces, byte-order marks)
 * and broken surrogate pairs.
 */
public final class HiddenCharacters {
  private HiddenCharacters() {}

  /** Index of the first hidden character of {@code text}, or -1. */
  public static int first(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isHidden(c)) {
        return i;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** The text with every hidden character written as a Java escape ({@code \\u000a}). */
  public static String escape(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean hidden = isHidden(c) || Character.getType(c) == Character.SURROGATE;
      s.append(hidden ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
    }
    return s.toString();
  }

  private static boolean isHidden(char c) {
    int type = Character.getType(c);
    return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.FORMAT;
  }
}
