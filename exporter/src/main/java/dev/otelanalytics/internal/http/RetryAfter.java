package dev.otelanalytics.internal.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The HTTP {@code Retry-After} header (RFC 9110, section 10.2.3), as the destinations read it. */
public final class RetryAfter {
  private RetryAfter() {}

  /** Seconds a delay too large to represent counts as (RFC 9111, section 1.2.2: 2^31). */
  static final long SATURATED_SECONDS = 2_147_483_648L;

  /**
   * Parses a {@code Retry-After} header: delay seconds ({@code 120}) or an HTTP date
   * ({@code Wed, 21 Oct 2026 07:28:00 GMT}). Returns null when absent or unreadable. The value is
   * what the server said (0 for a date in the past, a huge number saturated at 2^31 seconds); the
   * bounds of the wait (1 s to 5 min) are the retry policy's.
   */
  public static Duration parse(String header, Clock clock) {
    if (header == null || header.trim().isEmpty()) {
      return null;
    }
    String value = header.trim();
    if (value.matches("\\d+")) {
      return Duration.ofSeconds(value.length() > 10 ? SATURATED_SECONDS : Math.min(Long.parseLong(value), SATURATED_SECONDS));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
