package dev.otelanalytics.destination;

import java.time.Duration;

/**
 * What a destination answered for one batch, as the delivery worker needs it: acknowledge,
 * drop, split, retry later, or pause sending because the configuration looks wrong.
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
    /** The configuration looks wrong (bad key, wrong endpoint): keep everything, pause sending for the longest backoff. */
    STOP
  }

  private static final DeliveryResult DELIVERED = new DeliveryResult(Kind.DELIVERED, "", null, 0, 0);

  private final Kind kind;
  private final String reason;
  private final Duration retryAfter;
  private final int eventsDroppedAsOversize;
  private final int eventsDroppedAsTooOld;

  private DeliveryResult(Kind kind, String reason, Duration retryAfter, int eventsDroppedAsOversize, int eventsDroppedAsTooOld) {
    this.kind = kind;
    this.reason = reason;
    this.retryAfter = retryAfter;
    this.eventsDroppedAsOversize = eventsDroppedAsOversize;
    this.eventsDroppedAsTooOld = eventsDroppedAsTooOld;
  }

  /**
   * The destination took every event: acknowledge the batch.
   *
   * @return the shared {@link Kind#DELIVERED} result
   */
  public static DeliveryResult delivered() {
    return DELIVERED;
  }

  /**
   * Delivered, except {@code oversize} events that were too big to ever send and were left out.
   *
   * @param oversize how many events were left out for their size; they are counted as dropped (oversize)
   * @return a {@link Kind#DELIVERED} result
   */
  public static DeliveryResult delivered(int oversize) {
    return delivered(oversize, 0);
  }

  /**
   * Delivered, except events that the destination can never take and that were left out: too
   * big, or too old (GA4 takes nothing older than 72 hours). Each is counted as dropped for its reason.
   *
   * @param oversize how many events were left out for their size
   * @param tooOld how many events were left out for their age
   * @return a {@link Kind#DELIVERED} result
   */
  public static DeliveryResult delivered(int oversize, int tooOld) {
    return oversize == 0 && tooOld == 0 ? DELIVERED : new DeliveryResult(Kind.DELIVERED, "", null, oversize, tooOld);
  }

  /**
   * The destination refused the batch for its content: drop it, count it, never resend it.
   *
   * @param reason short, safe to log: never event content or keys
   * @return a {@link Kind#REJECTED} result
   */
  public static DeliveryResult rejected(String reason) {
    return new DeliveryResult(Kind.REJECTED, reason, null, 0, 0);
  }

  /**
   * The batch is too large for one request: split it in halves (a single event is dropped and counted).
   *
   * @param reason short, safe to log: never event content or keys
   * @return a {@link Kind#TOO_LARGE} result
   */
  public static DeliveryResult tooLarge(String reason) {
    return new DeliveryResult(Kind.TOO_LARGE, reason, null, 0, 0);
  }

  /**
   * The batch was not accepted this time: keep it and try again after a wait.
   *
   * @param reason short, safe to log: never event content or keys
   * @param retryAfter what the server asked for, or null to use the backoff; the wait is never shorter
   *     than 1 s or the backoff's own wait, and a longer Retry-After than 5 min is cut to 5 min
   * @return a {@link Kind#RETRY} result
   */
  public static DeliveryResult retry(String reason, Duration retryAfter) {
    return new DeliveryResult(Kind.RETRY, reason, retryAfter, 0, 0);
  }

  /**
   * The configuration is wrong (a refused key, a wrong endpoint): keep every batch and stop
   * sending until restart.
   *
   * @param reason what to fix, safe to log; it is reported as the stop reason in the delivery stats
   * @return a {@link Kind#STOP} result
   */
  public static DeliveryResult stop(String reason) {
    return new DeliveryResult(Kind.STOP, reason, null, 0, 0);
  }

  /**
   * What the delivery worker does with the batch.
   *
   * @return the kind of answer
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Why, in a few words that are safe to log.
   *
   * @return the reason; empty for a delivered batch
   */
  public String reason() {
    return reason;
  }

  /**
   * The server's Retry-After, or null.
   *
   * @return the wait the server asked for; null to use the backoff, and for kinds other than {@link Kind#RETRY}
   */
  public Duration retryAfter() {
    return retryAfter;
  }

  /**
   * Events left out of a delivered batch because each alone exceeded the destination's limit.
   *
   * @return how many; 0 for kinds other than {@link Kind#DELIVERED}
   */
  public int eventsDroppedAsOversize() {
    return eventsDroppedAsOversize;
  }

  /**
   * Events left out of a delivered batch because they were too old for the destination (GA4: over 72 hours).
   *
   * @return how many; 0 for kinds other than {@link Kind#DELIVERED}
   */
  public int eventsDroppedAsTooOld() {
    return eventsDroppedAsTooOld;
  }

  @Override
  public String toString() {
    return kind + (reason.isEmpty() ? "" : " (" + reason + ")");
  }
}
