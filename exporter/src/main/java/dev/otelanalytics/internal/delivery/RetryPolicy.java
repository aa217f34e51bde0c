package dev.otelanalytics.internal.delivery;

import java.time.Duration;
import java.util.Random;

/**
 * How long to wait before the next attempt: exponential backoff with full jitter (a random
 * wait between zero and {@code initial × 2^attempt}, capped), or what the server asked for in
 * {@code Retry-After}, honoured from 1 s up to 5 min and never shorter than the backoff's own wait:
 * {@code Retry-After: 0} (or a date in the past) must not bring every client back in a tight loop,
 * and a broken header must not silence analytics for days.
 */
public final class RetryPolicy {
  /** Longest Retry-After honoured: the default backoff's own maximum. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
  /** Shortest wait after a Retry-After, however short (0, or a date in the past) it was. */
  public static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

  private final Duration initial;
  private final Duration max;
  private final Random random;

  public RetryPolicy(Duration initial, Duration max, Random random) {
    if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max");
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The longest backoff, and the longest pause after a "stop" answer. */
  public Duration max() {
    return max;
  }

  /**
   * The pause after a "stop" answer (a refused key, a wrong endpoint) before sending is tried
   * again: between half and all of the longest backoff, jittered like the backoff so that many
   * clients stopped together do not come back together.
   */
  public Duration pause() {
    long maxNanos = max.toNanos();
    return Duration.ofNanos(maxNanos / 2 + (long) (random.nextDouble() * (maxNanos - maxNanos / 2)));
  }

  /**
   * The wait before attempt {@code attempt + 1}.
   *
   * @param attempt failed attempts so far, from 0
   * @param retryAfter the server's Retry-After, or null
   */
  public Duration delay(int attempt, Duration retryAfter) {
    Duration backoff = backoff(attempt);
    if (retryAfter == null) {
      return backoff;
    }
    Duration asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER
        : retryAfter.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER : retryAfter;
    return asked.compareTo(backoff) > 0 ? asked : backoff;
  }

  private Duration backoff(int attempt) {
    long ceilingNanos = initial.toNanos();
    long maxNanos = max.toNanos();
    for (int i = 0; i < attempt && ceilingNanos < maxNanos; i++) {
      ceilingNanos = ceilingNanos > maxNanos / 2 ? maxNanos : ceilingNanos * 2;
    }
    ceilingNanos = Math.min(ceilingNanos, maxNanos);
    // Full jitter: many clients that failed together do not retry together.
    return Duration.ofNanos((long) (random.nextDouble() * ceilingNanos));
  }
}
