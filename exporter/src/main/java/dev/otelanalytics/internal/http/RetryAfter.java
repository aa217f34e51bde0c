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

  /**
   * Parses a {@code Retry-After} header: delay seconds ({@code 120}) or an HTTP date
   * ({@code Wed, 21 Oct 2026 07:28:00 GMT}). Returns null when absent or unreadable.
   */
  public static Duration parse(String header, Clock clock) {
    if (header == null || header.trim().isEmpty()) {
      return null;
    }
    String value = header.trim();
    if (value.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(value));
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
