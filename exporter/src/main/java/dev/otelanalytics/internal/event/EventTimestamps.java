package dev.otelanalytics.internal.event;

import dev.otelanalytics.internal.IsoDate;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Event timestamps as ISO-8601 UTC text ({@code 2026-11-23T10:15:30.123Z}), written exactly as
 * {@link DateTimeFormatter#ISO_INSTANT} writes them and read as {@link Instant#parse} reads them,
 * at a fraction of their cost: every event of a batch is written (and later read back) once per
 * store it passes through, and the formatter's general machinery was a fifth of the sender's time.
 * The date and time of day, down to the second, are kept from the last call: events of a burst
 * share them.
 */
public final class EventTimestamps {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** {@code yyyy-MM-ddTHH:mm:ss}: 19 characters. */
  private static final int SECONDS_LENGTH = 19;
  /** Years 0001 to 9999 print as four digits without a sign; others go the general way. */
  private static final long FIRST_SECOND = LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
  private static final long LAST_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

  /** The last second written or read and its text; replaced whole, so threads never see half of one. */
  private static volatile Second last = new Second(0, "1970-01-01T00:00:00");

  private EventTimestamps() {}

  /** {@code epochNanos} as {@link DateTimeFormatter#ISO_INSTANT} writes it. */
  public static String format(long epochNanos) {
    long second = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
    int nano = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
    if (second < FIRST_SECOND || second > LAST_SECOND) {
      return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second, nano));
    }
    Second cached = last;
    if (cached.epochSecond != second) {
      String text = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).toString();
      // LocalDateTime leaves out zero seconds; ISO_INSTANT never does.
      cached = new Second(second, text.length() == SECONDS_LENGTH ? text : text + ":00");
      last = cached;
    }
    StringBuilder out = new StringBuilder(SECONDS_LENGTH + 11).append(cached.text);
    if (nano != 0) {
      // ISO_INSTANT writes the fraction in groups of three digits, as many as it needs.
      int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
      int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
      out.append('.');
      for (int divisor = digits == 3 ? 100 : digits == 6 ? 100_000 : 100_000_000; divisor > 0; divisor /= 10) {
        out.append((char) ('0' + value / divisor % 10));
      }
    }
    return out.append('Z').toString();
  }

  /**
   * {@code text} in nanoseconds since the epoch, as {@link Instant#parse} reads it.
   *
   * @throws DateTimeException when it is not an instant, or is outside what a {@code long} of nanoseconds holds
   */
  public static long parse(String text) {
    long second = seconds(text);
    int nano = second == Long.MIN_VALUE ? -1 : fraction(text);
    if (nano < 0) {
      Instant at = Instant.parse(text);
      second = at.getEpochSecond();
      nano = at.getNano();
    }
    try {
      // Near the lower end of the range, second × 10⁹ alone may be out of it while the sum is not.
      return second < 0 && nano > 0
          ? Math.addExact(Math.multiplyExact(second + 1, NANOS_PER_SECOND), nano - NANOS_PER_SECOND)
          : Math.addExact(Math.multiplyExact(second, NANOS_PER_SECOND), nano);
    } catch (ArithmeticException e) {
      throw new DateTimeException("instant out of range: " + text.length() + " characters");
    }
  }

  /** The epoch second of the plain {@code yyyy-MM-ddTHH:mm:ss} start of {@code text}, or {@code Long.MIN_VALUE}. */
  private static long seconds(String text) {
    if (text.length() < SECONDS_LENGTH + 1) {
      return Long.MIN_VALUE;
    }
    Second cached = last;
    if (text.regionMatches(0, cached.text, 0, SECONDS_LENGTH)) {
      return cached.epochSecond;
    }
    if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = IsoDate.digits(text, 0, 4);
    int month = IsoDate.digits(text, 5, 2);
    int day = IsoDate.digits(text, 8, 2);
    int hour = IsoDate.digits(text, 11, 2);
    int minute = IsoDate.digits(text, 14, 2);
    int sec = IsoDate.digits(text, 17, 2);
    if ((year | month | day | hour | minute | sec) < 0 || sec > 59) {
      return Long.MIN_VALUE;   // a leap second (60) and anything odd go the general way
    }
    long second;
    try {
      second = LocalDateTime.of(year, month, day, hour, minute, sec).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return Long.MIN_VALUE;
    }
    last = new Second(second, text.substring(0, SECONDS_LENGTH));
    return second;
  }

  /** The nanoseconds of the {@code [.fraction]Z} end of {@code text}, or -1 when it is not that. */
  private static int fraction(String text) {
    int end = text.length() - 1;
    if (text.charAt(end) != 'Z') {
      return -1;
    }
    if (end == SECONDS_LENGTH) {
      return 0;
    }
    int count = end - SECONDS_LENGTH - 1;
    if (text.charAt(SECONDS_LENGTH) != '.' || count < 1 || count > 9) {
      return -1;
    }
    int value = IsoDate.digits(text, SECONDS_LENGTH + 1, count);
    if (value < 0) {
      return -1;
    }
    for (int i = count; i < 9; i++) {
      value *= 10;
    }
    return value;
  }

  private static final class Second {
    final long epochSecond;
    final String text;

    Second(long epochSecond, String text) {
      this.epochSecond = epochSecond;
      this.text = text;
    }
  }
}
