package dev.otelanalytics.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations the way OpenTelemetry's autoconfigure does: a whole number followed by
 * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}; a bare number is milliseconds.
 */
public final class DurationParser {
  /**
   * What is accepted, for error messages. No example here: each setting gives one inside its own
   * range (an example outside it, such as 500ms for a setting of at least 1s, would mislead).
   */
  public static final String ACCEPTED = "a whole number with a unit ms, s, m, h or d (a bare number is milliseconds)";

  private static final Pattern DURATION = Pattern.compile("\\s*(\\d{1,12})\\s*(ms|s|m|h|d)?\\s*");

  private DurationParser() {}

  /** Returns the duration, or {@code null} when {@code text} is not a valid duration. */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    switch (unit) {
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      case "d":
        return Duration.ofDays(amount);
      default:
        return Duration.ofMillis(amount);
    }
  }
}
