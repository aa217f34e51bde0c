package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.internal.config.AnalyticsConfig;
import dev.otelanalytics.internal.http.RetryAfter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Exponential backoff with full jitter, Retry-After precedence and bounds, and Retry-After parsing. */
class RetryPolicyTest {
  private static final Duration INITIAL = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofMinutes(5);
  private static final int DRAWS = 20_000;
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static List<Long> draws(RetryPolicy policy, int attempt, int n) {
    List<Long> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(policy.delay(attempt, null).toMillis());
    }
    return out;
  }

  // ---------------------------------------------------------------- backoff

  @ParameterizedTest(name = "attempt {0}: uniform in [0, {1} ms]")
  @CsvSource({
      "0,  1000",
      "1,  2000",
      "2,  4000",
      "3,  8000",
      "5,  32000",
      "8,  256000",
      "9,  300000",
      "10, 300000",
      "20, 300000",
  })
  void theDelayIsFullJitterUpToInitialTimesTwoToTheAttemptCappedAtMax(int attempt, long ceilingMillis) {
    RetryPolicy policy = new RetryPolicy(INITIAL, MAX, new Random(42 + attempt));

    List<Long> delays = draws(policy, attempt, DRAWS);

    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(0L, ceilingMillis));
    long min = delays.stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = delays.stream().mapToLong(Long::longValue).max().orElseThrow();
    double mean = delays.stream().mapToLong(Long::longValue).average().orElseThrow();
    assertThat(min).as("full jitter reaches down to zero").isLessThan(ceilingMillis / 100 + 1);
    assertThat(max).as("full jitter reaches up to the ceiling").isGreaterThan(ceilingMillis * 99 / 100);
    assertThat(mean).as("uniform: mean about half the ceiling").isBetween(ceilingMillis * 0.47, ceilingMillis * 0.53);
    // Spread evenly: each tenth of the range gets about a tenth of the draws.
    int[] buckets = new int[10];
    for (long d : delays) {
      buckets[(int) Math.min(9, d * 10 / ceilingMillis)]++;
    }
    for (int b : buckets) {
      assertThat(b).isBetween(DRAWS / 10 * 8 / 10, DRAWS / 10 * 12 / 10);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 8, 9, 30, 31, 32, 62, 63, 64, 1000, Integer.MAX_VALUE})
  void theDelayNeverExceedsMax(int attempt) {
    RetryPolicy policy = new RetryPolicy(INITIAL, MAX, new Random(attempt));

    assertThat(draws(policy, attempt, 2_000)).allSatisfy(d -> assertThat(d).isBetween(0L, MAX.toMillis()));
  }

  @Test
  void aMaxThatIsNotAPowerOfTwoTimesInitialIsStillTheCap() {
    RetryPolicy policy = new RetryPolicy(Duration.ofMillis(1500), Duration.ofMillis(2000), new Random(7));

    assertThat(draws(policy, 0, DRAWS)).allSatisfy(d -> assertThat(d).isBetween(0L, 1500L));
    List<Long> capped = draws(policy, 1, DRAWS);
    assertThat(capped).allSatisfy(d -> assertThat(d).isBetween(0L, 2000L));
    assertThat(capped.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(1900L);
  }

  @Test
  void initialEqualToMaxIsAllowedAndCapsEveryAttempt() {
    RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(3), Duration.ofSeconds(3), new Random(1));

    assertThat(draws(policy, 0, 1000)).allSatisfy(d -> assertThat(d).isBetween(0L, 3000L));
    assertThat(draws(policy, 50, 1000)).allSatisfy(d -> assertThat(d).isBetween(0L, 3000L));
  }

  @Test
  void aNegativeAttemptIsTreatedLikeTheFirst() {
    RetryPolicy policy = new RetryPolicy(INITIAL, MAX, new Random(3));

    assertThat(draws(policy, -5, 1000)).allSatisfy(d -> assertThat(d).isBetween(0L, 1000L));
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    RetryPolicy a = new RetryPolicy(INITIAL, MAX, new Random(99));
    RetryPolicy b = new RetryPolicy(INITIAL, MAX, new Random(99));

    for (int attempt = 0; attempt < 20; attempt++) {
      assertThat(a.delay(attempt, null)).isEqualTo(b.delay(attempt, null));
    }
  }

  @Test
  void theDefaultPolicyIsOneSecondDoublingUpToFiveMinutes() {
    RetryPolicy policy = new RetryPolicy(AnalyticsConfig.DEFAULT_INITIAL_BACKOFF, AnalyticsConfig.DEFAULT_MAX_BACKOFF, new Random());

    assertThat(draws(policy, 0, 1000)).allSatisfy(d -> assertThat(d).isBetween(0L, 1000L));
    List<Long> late = draws(policy, 40, 2000);
    assertThat(late).allSatisfy(d -> assertThat(d).isBetween(0L, 300_000L));
    assertThat(late.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(250_000L);
  }

  @Test
  void aSubMillisecondInitialBackoffStillGrows() {
    RetryPolicy policy = new RetryPolicy(Duration.ofNanos(500_000), Duration.ofSeconds(10), new Random(5));

    List<Long> delays = draws(policy, 10, 1000); // ceiling 0.5 ms × 2^10 = 512 ms

    assertThat(delays.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(400L);
  }

  @ParameterizedTest(name = "initial {0}, max {1} refused")
  @CsvSource({
      "PT0S,  PT1S",
      "-PT1S, PT1S",
      "PT2S,  PT1S",
  })
  void invalidBackoffIsRefused(Duration initial, Duration max) {
    assertThatThrownBy(() -> new RetryPolicy(initial, max, new Random()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial");
  }

  // ---------------------------------------------------------------- Retry-After precedence

  @ParameterizedTest(name = "Retry-After {0} -> wait {1}")
  @CsvSource({
      "PT2M,       PT2M",
      "PT10M,      PT5M",
      "PT4M59S,    PT4M59S",
      "PT5M,       PT5M",
      "PT5M0.001S, PT5M",
      "PT1H,       PT5M",
      "P30D,       PT5M",
      "PT1S,       PT1S",
      "PT0.5S,     PT1S",
      "PT0S,       PT1S",
      "-PT5S,      PT1S",
      "-PT0.001S,  PT1S",
  })
  void retryAfterIsHonouredFromOneSecondUpToFiveMinutes(Duration retryAfter, Duration expected) {
    // At the first attempt the backoff's own wait is under 1 s, so the bounds decide.
    RetryPolicy policy = new RetryPolicy(INITIAL, MAX, new Random(1));

    for (int i = 0; i < 200; i++) {
      assertThat(policy.delay(0, retryAfter)).isEqualTo(expected);
    }
    assertThat(RetryPolicy.MIN_RETRY_AFTER).isEqualTo(Duration.ofSeconds(1));
    assertThat(RetryPolicy.MAX_RETRY_AFTER).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void retryAfterZeroStillWaitsForTheBackoffsOwnNextDelay() {
    // A server answering "Retry-After: 0" to every attempt must not get every client back at once,
    // each second: the wait grows (with jitter) as the backoff would.
    RetryPolicy policy = new RetryPolicy(INITIAL, MAX, new Random(11));
    RetryPolicy plain = new RetryPolicy(INITIAL, MAX, new Random(11));

    for (int attempt = 0; attempt < 12; attempt++) {
      Duration backoff = plain.delay(attempt, null);
      Duration expected = backoff.compareTo(Duration.ofSeconds(1)) > 0 ? backoff : Duration.ofSeconds(1);
      assertThat(policy.delay(attempt, Duration.ZERO)).as("attempt %d", attempt).isEqualTo(expected);
    }
    List<Long> late = new ArrayList<>();
    for (int i = 0; i < DRAWS; i++) {
      late.add(policy.delay(8, Duration.ZERO).toMillis());
    }
    assertThat(late).allSatisfy(d -> assertThat(d).isBetween(1000L, 256_000L));
    assertThat(late.stream().mapToLong(Long::longValue).average().orElseThrow()).isGreaterThan(100_000);
  }

  @Test
  void aRetryAfterLongerThanTheBackoffIsHonouredExactly() {
    RetryPolicy policy = new RetryPolicy(INITIAL, MAX, new Random(4));

    for (int attempt = 0; attempt <= 6; attempt++) { // backoff ceiling 64 s at most
      assertThat(policy.delay(attempt, Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(90));
    }
  }

  @Test
  void aRetryAfterNeverShortensTheBackoffAndNeverLengthensItPastItsOwnMax() {
    // A policy with a longer max than 5 min: a huge Retry-After is capped at 5 min, the backoff is not.
    RetryPolicy policy = new RetryPolicy(Duration.ofMinutes(20), Duration.ofHours(1), new Random(6));
    RetryPolicy plain = new RetryPolicy(Duration.ofMinutes(20), Duration.ofHours(1), new Random(6));

    for (int attempt = 0; attempt < 6; attempt++) {
      Duration backoff = plain.delay(attempt, null);
      Duration expected = backoff.compareTo(Duration.ofMinutes(5)) > 0 ? backoff : Duration.ofMinutes(5);
      assertThat(policy.delay(attempt, Duration.ofDays(2))).isEqualTo(expected);
    }
  }

  // ---------------------------------------------------------------- parsing Retry-After

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      "120                             | PT2M",
      "'  120  '                       | PT2M",
      "0                               | PT0S",
      "1                               | PT1S",
      "007                             | PT7S",
      "999999999                       | PT277777H46M39S",
      "1234567890                      | PT342935H31M30S",
      "2147483648                      | PT596523H14M8S",
      "99999999999999999999            | PT596523H14M8S",
      "Sun, 01 Mar 2026 12:01:30 GMT   | PT1M30S",
      "Sun, 1 Mar 2026 12:01:30 GMT    | PT1M30S",
      "Sun, 01 Mar 2026 12:00:00 GMT   | PT0S",
      "Sun, 01 Mar 2026 11:59:59 GMT   | PT0S",
      "Thu, 01 Jan 1970 00:00:00 GMT   | PT0S",
      "Mon, 01 Mar 2027 12:00:00 GMT   | PT8760H",
  })
  void parsesSecondsAndHttpDates(String header, Duration expected) {
    assertThat(RetryAfter.parse(header, CLOCK)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] -> null")
  @NullAndEmptySource
  @ValueSource(strings = {
      "   ",
      "soon",
      "-5",
      "+5",
      "1.5",
      "1e3",
      "120s",
      "Sunday, 01-Mar-26 12:01:30 GMT",
      "Sun Mar  1 12:01:30 2026",
      "2026-03-01T12:01:30Z",
      "Sun, 32 Mar 2026 12:01:30 GMT",
      "Mon, 01 Mar 2026 12:01:30 GMT",
  })
  void garbageIsNull(String header) {
    assertThat(RetryAfter.parse(header, CLOCK)).isNull();
  }

  @Test
  void aFarFutureDateIsParsedInFullAndCappedOnlyWhenWaiting() {
    Duration parsed = RetryAfter.parse("Mon, 01 Mar 2027 12:00:00 GMT", CLOCK);

    assertThat(parsed).isEqualTo(Duration.ofDays(365));
    assertThat(new RetryPolicy(INITIAL, MAX, new Random()).delay(0, parsed)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aDateInThePastOrZeroSecondsWaitsOneSecondAtLeast() {
    RetryPolicy policy = new RetryPolicy(INITIAL, MAX, new Random(2));

    assertThat(policy.delay(0, RetryAfter.parse("Sun, 01 Mar 2026 11:00:00 GMT", CLOCK))).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delay(0, RetryAfter.parse("0", CLOCK))).isEqualTo(Duration.ofSeconds(1));
  }
}
