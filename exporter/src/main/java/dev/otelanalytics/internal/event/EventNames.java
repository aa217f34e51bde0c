package dev.otelanalytics.internal.event;

import dev.otelanalytics.internal.guard.ValueGuards;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.scrub.RouteTemplate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a span name (or the span's {@code analytics.event} attribute) into an event name that
 * cannot carry personal data.
 *
 * <p>Span names are free text and often hold arguments ({@code "inspect /home/alice/app"},
 * {@code "login --password x"}), which no value guard can fully recognise. So a name is kept
 * only as far as it is <em>shaped</em> like a name: its leading words made of letters, digits
 * and {@code _ . : { } * $ -}, stopping at the first option ({@code -x}, {@code --x}), the first
 * word with a run of four digits, the first word a value guard objects to, and after five
 * words. A route ({@code /api/items/{id}}) is kept only right after an HTTP method, as in the
 * semantic conventions' {@code "GET /api/items/{id}"}, and only as a template: each segment
 * that is not a plain word becomes {@code {id}}. A kept word is dropped too when, read with the
 * words that stopped the name, the guards object to it: the local part of {@code alice @ example.com}
 * or {@code alice at example dot com}, the {@code Bearer} before a token. A name with no such word becomes
 * {@value #UNNAMED}.
 */
public final class EventNames {
  /** Span attribute that names the event explicitly, overriding the span name. */
  public static final String EVENT_NAME_ATTRIBUTE = "analytics.event";
  /** Name used when nothing of the span name can be kept. */
  public static final String UNNAMED = "unnamed";
  /** Most words kept from a name. */
  public static final int MAX_WORDS = 5;
  /** Longest word kept; a longer one ends the name. */
  public static final int MAX_WORD_LENGTH = 64;

  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:{}*$][A-Za-z0-9_.:{}*$-]*");
  private static final Pattern ROUTE = Pattern.compile("/[A-Za-z0-9_.:{}*$/-]*");
  private static final Pattern DIGIT_RUN = Pattern.compile("\\d{4}");
  private static final Set<String> HTTP_METHODS = new HashSet<>(Arrays.asList(
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY", "_OTHER"));

  private EventNames() {}

  /** The safe event name for {@code rawName}, with {@code prefix} (may be empty) in front. */
  public static String safeName(String rawName, String prefix, AttributeScrubber scrubber) {
    if (rawName != null && scrubber.isKnownSafeName(rawName)) {
      return prefix.isEmpty() ? rawName : prefix + rawName;
    }
    List<String> kept = new ArrayList<>();
    boolean cut = false;
    List<String> words = splitOnAnyWhitespace(leadingPart(rawName == null ? "" : rawName));
    for (String word : words) {
      if (isRoutePosition(word, kept)) {
        String template = RouteTemplate.segments(word);
        cut |= !template.equals(word);
        word = template;
      }
      if (kept.size() == MAX_WORDS || !isNameWord(word, kept)) {
        cut = true;
        break;
      }
      kept.add(word);
    }
    // Words that pass alone can fail together ("Bearer" + a short token): shrink until it passes.
    while (!kept.isEmpty() && ValueGuards.check(String.join(" ", kept)) != null) {
      kept.remove(kept.size() - 1);
      cut = true;
    }
    // A kept word can be the start of what stopped the name ("login alice @ example.com"):
    // drop the kept words that the guards object to when read with the words after them.
    int keep = keptBeforeWhatFollows(kept, words.subList(Math.min(kept.size(), words.size()), words.size()));
    if (keep < kept.size()) {
      kept.subList(keep, kept.size()).clear();
      cut = true;
    }
    if (cut) {
      scrubber.recordNameShortened();
    }
    String name = kept.isEmpty() ? UNNAMED : String.join(" ", kept);
    if (!cut && name.equals(rawName)) {
      scrubber.rememberSafeName(rawName);
    }
    return prefix.isEmpty() ? name : prefix + name;
  }

  /** Most words after the kept ones read with them, and at most this many characters of them. */
  private static final int LOOK_AHEAD_WORDS = 4;
  private static final int LOOK_AHEAD_CHARS = 256;

  /**
   * How many of the kept words to keep: the tail is the longest run of the next words (at most
   * four) that the guards let through on its own; reading back from the last kept word, the
   * first word that the guards object to when read with the kept words after it and that tail is
   * dropped, and every kept word after it.
   */
  private static int keptBeforeWhatFollows(List<String> kept, List<String> rest) {
    if (kept.isEmpty() || rest.isEmpty()) {
      return kept.size();
    }
    String tail = "";
    StringBuilder candidate = new StringBuilder();
    for (int i = 0; i < Math.min(LOOK_AHEAD_WORDS, rest.size()) && candidate.length() <= LOOK_AHEAD_CHARS; i++) {
      candidate.append(i == 0 ? "" : " ").append(rest.get(i));
      if (candidate.length() > LOOK_AHEAD_CHARS) {
        break;
      }
      if (ValueGuards.check(candidate.toString()) != null) {
        break;
      }
      tail = candidate.toString();
    }
    if (tail.isEmpty()) {
      return kept.size();
    }
    String read = tail;
    int keep = kept.size();
    for (int i = kept.size() - 1; i >= 0; i--) {
      read = kept.get(i) + " " + read;
      if (ValueGuards.check(read) != null) {
        keep = i;
        break;
      }
    }
    return keep;
  }

  private static boolean isNameWord(String word, List<String> before) {
    if (word.length() > MAX_WORD_LENGTH || DIGIT_RUN.matcher(word).find()) {
      return false;
    }
    boolean shaped = WORD.matcher(word).matches() || (isRoutePosition(word, before) && ROUTE.matcher(word).matches());
    return shaped && ValueGuards.check(word) == null;
  }

  /** A word starting with {@code /} right after an HTTP method: a route. */
  private static boolean isRoutePosition(String word, List<String> before) {
    return before.size() == 1 && HTTP_METHODS.contains(before.get(0)) && word.startsWith("/");
  }

  /** Most characters of a name read: far more than five words and what follows them can take. */
  static final int MAX_NAME_READ = 4096;

  /**
   * The start of {@code name}, at most {@value #MAX_NAME_READ} characters and never part of a word,
   * so that a name of megabytes is not split whole (what lies beyond is never kept anyway).
   */
  static String leadingPart(String name) {
    if (name.length() <= MAX_NAME_READ) {
      return name;
    }
    int end = MAX_NAME_READ;
    while (end > 0 && !Character.isWhitespace(name.charAt(end)) && !Character.isSpaceChar(name.charAt(end))) {
      end--;
    }
    return name.substring(0, end);
  }

  /** Splits on every Unicode space, including no-break spaces, which {@code \s} misses. */
  private static List<String> splitOnAnyWhitespace(String text) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean space = i == text.length() || Character.isWhitespace(text.charAt(i)) || Character.isSpaceChar(text.charAt(i));
      if (space && start >= 0) {
        words.add(text.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    return words;
  }
}
