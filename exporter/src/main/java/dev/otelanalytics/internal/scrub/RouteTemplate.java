package dev.otelanalytics.internal.scrub;

import java.util.regex.Pattern;

/**
 * Reduces a URL path to its template: every segment that is not a plain word becomes
 * {@code {id}}, so {@code /users/bob.smith/orders/42?x=1} becomes {@code /users/{id}/orders/{id}}.
 * Used for attributes of type {@code route} and for the route in an event name.
 *
 * <p>A plain segment is a word of letters, {@code _} and {@code -} (at most 32 characters), a
 * template ({@code {id}}), a wildcard ({@code *}, {@code **}) or an API version ({@code v2}).
 * Anything with a digit, a dot, an {@code @}, a {@code %} or another sign is an id. So is a
 * word of letters that looks generated: ten or more letters of which at least 40% are capitals
 * ({@code aZkPqLmNoR}), eight or more letters that are all hex digits ({@code deadbeefcafe}), or a run
 * of six consonants. A plain word cannot be told from a person's name ({@code /users/alice}),
 * which is why instrumentations report the route template and not the path.
 */
public final class RouteTemplate {
  /** What a segment that is not a plain word becomes. */
  public static final String ID = "{id}";
  /** Longest path read; a longer value is not a route. */
  public static final int MAX_LENGTH = 512;

  private static final Pattern PLAIN_SEGMENT =
      Pattern.compile("[A-Za-z][A-Za-z_-]{0,31}|\\{[A-Za-z_][A-Za-z0-9_.-]{0,31}}|\\*{1,2}|v\\d{1,2}");

  private RouteTemplate() {}

  /**
   * The template of {@code path}, or null when it is not a path: it does not start with a single
   * {@code /}, or is longer than {@value #MAX_LENGTH} characters. A query or fragment is cut off.
   */
  public static String of(String path) {
    if (path.length() > MAX_LENGTH || !path.startsWith("/") || path.startsWith("//")) {
      return null;
    }
    int end = path.length();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    return segments(path.substring(0, end));
  }

  /** {@code route} with each segment that is not a plain word replaced by {@code {id}}; a query stays a segment's part. */
  public static String segments(String route) {
    StringBuilder out = new StringBuilder(route.length());
    int start = 0;
    for (int i = 0; i <= route.length(); i++) {
      if (i == route.length() || route.charAt(i) == '/') {
        String segment = route.substring(start, i);
        out.append(segment.isEmpty() || isPlain(segment) ? segment : ID);
        if (i < route.length()) {
          out.append('/');
        }
        start = i + 1;
      }
    }
    return out.toString();
  }

  static boolean isPlain(String segment) {
    return PLAIN_SEGMENT.matcher(segment).matches() && !looksGenerated(segment);
  }

  private static boolean looksGenerated(String segment) {
    if (segment.charAt(0) == '{' || segment.charAt(0) == '*' || segment.length() < 6) {
      return false;
    }
    int letters = 0;
    int capitals = 0;
    int hexLetters = 0;
    int consonantRun = 0;
    int longestConsonantRun = 0;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (!Character.isLetter(c)) {
        consonantRun = 0;
        continue;
      }
      letters++;
      capitals += Character.isUpperCase(c) ? 1 : 0;
      char lower = Character.toLowerCase(c);
      hexLetters += lower >= 'a' && lower <= 'f' ? 1 : 0;
      consonantRun = "aeiouy".indexOf(lower) >= 0 ? 0 : consonantRun + 1;
      longestConsonantRun = Math.max(longestConsonantRun, consonantRun);
    }
    return (letters >= 10 && capitals * 10 >= letters * 4)
        || (letters >= 8 && hexLetters == segment.length())
        || longestConsonantRun >= 6;
  }
}
