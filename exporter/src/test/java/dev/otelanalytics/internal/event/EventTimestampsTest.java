package dev.otelanalytics.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventTimestampsTest {
  private static final long NANOS = 1_000_000_000L;

  private static long nanos(Instant at) {
    return at.getEpochSecond() * NANOS + at.getNano();
  }

  private static void assertSameAsJdk(long epochNanos) {
    Instant at = Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS), Math.floorMod(epochNanos, NANOS));
    String expected = DateTimeFormatter.ISO_INSTANT.format(at);
    String written = EventTimestamps.format(epochNanos);
    assertEquals(expected, written, "written for " + epochNanos);
    assertEquals(epochNanos, EventTimestamps.parse(written), "read back " + written);
  }

  @Test
  void writesExactlyWhatIsoInstantWritesAndReadsItBack() {
    long[] edges = {
        0L, 1L, 999L, 1_000L, 999_999L, 1_000_000L, 123_000_000L, 123_456_000L, 123_456_789L,
        -1L, -1_000_000L, -NANOS, -NANOS - 1, 59 * NANOS, 60 * NANOS, 3600 * NANOS,
        nanos(Instant.parse("2026-11-23T10:15:00Z")), nanos(Instant.parse("2026-11-23T10:00:00.5Z")),
        nanos(Instant.parse("2024-02-29T23:59:59.999999999Z")), nanos(Instant.parse("1969-12-31T23:59:59.1Z")),
        Long.MAX_VALUE, Long.MIN_VALUE,
    };
    for (long edge : edges) {
      assertSameAsJdk(edge);
    }
    SplittableRandom random = new SplittableRandom(19);
    for (int i = 0; i < 20_000; i++) {
      long value = random.nextLong();
      switch (i % 4) {
        case 0:
          assertSameAsJdk(value);
          break;
        case 1:
          assertSameAsJdk(value / 1_000 * 1_000);   // micro precision
          break;
        case 2:
          assertSameAsJdk(value / 1_000_000 * 1_000_000);   // milli precision
          break;
        default:
          assertSameAsJdk(value / NANOS * NANOS);   // whole seconds
          break;
      }
    }
  }

  @Test
  void eventsOfOneSecondInTurnWithOthersKeepTheirOwnSecond() {
    long a = nanos(Instant.parse("2026-11-23T10:15:30Z"));
    long b = nanos(Instant.parse("2031-01-02T03:04:05Z"));
    for (int i = 0; i < 10; i++) {
      assertSameAsJdk(a + i * 1_000_000L);
      assertSameAsJdk(b + i);
    }
  }

  @Test
  void readsWhatInstantParseReads() {
    String[] texts = {
        "2026-11-23T10:15:30Z", "2026-11-23T10:15:30.1Z", "2026-11-23T10:15:30.123456789Z",
        "2026-11-23t10:15:30z", "2016-12-31T23:59:60Z", "2026-11-23T10:15:30+02:00", "2026-11-23T10:15:30.Z",
    };
    for (String text : texts) {
      Instant jdk = Instant.parse(text);
      assertEquals(nanos(jdk), EventTimestamps.parse(text), text);
    }
  }

  @Test
  void refusesWhatInstantParseRefuses() {
    String[] texts = {
        "", "2026-11-23", "2026-11-23T10:15:30", "2026-13-23T10:15:30Z", "2026-02-30T10:15:30Z",
        "2026-11-23T25:15:30Z", "2026-11-23T10:15:30.1234567891Z", "2026-1a-23T10:15:30Z",
        "2026-11-23T10:15:30.12a4Z", "9999-11-23T10:15:30Z", "0001-01-01T00:00:00Z",   // the last two are past what a long of nanoseconds holds
    };
    for (String text : texts) {
      assertThrows(DateTimeException.class, () -> EventTimestamps.parse(text), text);
    }
  }
}
