package dev.otelanalytics.destination;

import java.time.Duration;

/**
 * What a destination answered for one batch, as the delivery worker needs it: acknowledge,
 * drop, split, retry later, or stop sending until the configuration is fixed.
 */
public final class DeliveryResult {
  /** The kinds of answer. */
  public enum Kind {
    /** Accepted (HTTP 2xx): acknowledge, remove from the outbox. */
    DELIVERED,
    /** Refused for its content (HTTP 400): drop and count; resending would fail again. */
    REJECTED,
    /** Too large for one request (HTTP 413, or over the destination's body limit): split in halves. */
    TOO_LARGE,
    /** Temporarily not accepted (429, 5xx, time-out, I/O error): keep and retry after a backoff. */
    RETRY,
    /** The configuration is wrong (bad key, wrong endpoint): keep everything, stop sending until restart. */
    STOP
  }

  private static final DeliveryResult DELIVERED = new DeliveryResult(Kind.DELIVERED, "", null, 0);

  private final Kind kind;
  private final String reason;
  private final Duration retryAfter;
  private final int eventsDroppedAsOversize;

  private DeliveryResult(Kind kind, String reason, Duration retryAfter, int eventsDroppedAsOversize) {
    this.kind = kind;
    this.reason = reason;
    this.retryAfter = retryAfter;
    this.eventsDroppedAsOversize = eventsDroppedAsOversize;
  }

  public static DeliveryResult delivered() {
    return DELIVERED;
  }

  /** Delivered, except {@code oversize} events that were too big to ever send and were left out. */
  public static DeliveryResult delivered(int oversize) {
    return oversize == 0 ? DELIVERED : new DeliveryResult(Kind.DELIVERED, "", null, oversize);
  }

  /** @param reason short, safe to log: never event content or keys */
  public static DeliveryResult rejected(String reason) {
    return new DeliveryResult(Kind.REJECTED, reason, null, 0);
  }

  public static DeliveryResult tooLarge(String reason) {
    return new DeliveryResult(Kind.TOO_LARGE, reason, null, 0);
  }

  /** @param retryAfter what the server asked for, or null to use the backoff */
  public static DeliveryResult retry(String reason, Duration retryAfter) {
    return new DeliveryResult(Kind.RETRY, reason, retryAfter, 0);
  }

  public static DeliveryResult stop(String reason) {
    return new DeliveryResult(Kind.STOP, reason, null, 0);
  }

  public Kind kind() {
    return kind;
  }

  /** Why, in a few words that are safe to log. */
  public String reason() {
    return reason;
  }

  /** The server's Retry-After, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Events left out of a delivered batch because each alone exceeded the destination's limit. */
  public int eventsDroppedAsOversize() {
    return eventsDroppedAsOversize;
  }

  @Override
  public String toString() {
    return kind + (reason.isEmpty() ? "" : " (" + reason + ")");
  }
}
