package dev.otelanalytics.internal.scrub;

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
    StringBuilder out = null;
    int start = 0;
    for (int i = 0; i <= route.length(); i++) {
      if (i == route.length() || route.charAt(i) == '/') {
        boolean keep = start == i || isPlain(route, start, i);
        if (!keep && out == null) {
          out = new StringBuilder(route.length()).append(route, 0, start);
        }
        if (out != null) {
          out.append(keep ? route.substring(start, i) : ID);
          if (i < route.length()) {
            out.append('/');
          }
        }
        start = i + 1;
      }
    }
    return out == null ? route : out.toString();
  }

  static boolean isPlain(String segment) {
    return isPlain(segment, 0, segment.length());
  }

  /**
   * A word of letters, {@code _} and {@code -} (at most 32, starting with a letter), a template
   * ({@code {name}}), {@code *} or {@code **}, or an API version ({@code v2}); read in place.
   */
  private static boolean isPlain(String s, int from, int to) {
    int length = to - from;
    char first = s.charAt(from);
    if (first == '*') {
      return length == 1 || (length == 2 && s.charAt(from + 1) == '*');
    }
    if (first == '{') {
      if (length < 3 || length > 34 || s.charAt(to - 1) != '}' || !isLetterOrUnderscore(s.charAt(from + 1))) {
        return false;
      }
      for (int i = from + 2; i < to - 1; i++) {
        char c = s.charAt(i);
        if (!isLetterOrUnderscore(c) && !isDigit(c) && c != '.' && c != '-') {
          return false;
        }
      }
      return true;
    }
    if (first == 'v' && length >= 2 && length <= 3 && isDigit(s.charAt(from + 1)) && (length == 2 || isDigit(s.charAt(from + 2)))) {
      return true;
    }
    if (length > 32 || !isLetter(first)) {
      return false;
    }
    for (int i = from + 1; i < to; i++) {
      char c = s.charAt(i);
      if (!isLetter(c) && c != '_' && c != '-') {
        return false;
      }
    }
    return !looksGenerated(s, from, to);
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isLetterOrUnderscore(char c) {
    return isLetter(c) || c == '_';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean looksGenerated(String s, int from, int to) {
    if (to - from < 6) {
      return false;
    }
    int letters = 0;
    int capitals = 0;
    int hexLetters = 0;
    int consonantRun = 0;
    int longestConsonantRun = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!isLetter(c)) {
        consonantRun = 0;
        continue;
      }
      letters++;
      capitals += c <= 'Z' ? 1 : 0;
      char lower = Character.toLowerCase(c);
      hexLetters += lower >= 'a' && lower <= 'f' ? 1 : 0;
      consonantRun = "aeiouy".indexOf(lower) >= 0 ? 0 : consonantRun + 1;
      longestConsonantRun = Math.max(longestConsonantRun, consonantRun);
    }
    return (letters >= 10 && capitals * 10 >= letters * 4)
        || (letters >= 8 && hexLetters == to - from)
        || longestConsonantRun >= 6;
  }
}
