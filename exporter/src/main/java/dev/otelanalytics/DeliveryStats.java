package dev.otelanalytics;

import dev.otelanalytics.internal.delivery.DeliveryCounters;
import dev.otelanalytics.internal.guard.GuardReason;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A snapshot of what happened to spans and events since start: accepted, dropped (by reason),
 * delivered, failed, and the values the privacy policy removed. Immutable.
 */
public final class DeliveryStats {
  private final long accepted;
  private final long droppedQueueFull;
  private final long droppedAfterShutdown;
  private final long droppedProcessorError;
  private final long mappingFailures;
  private final long eventsDelivered;
  private final long eventsFailed;
  private final long queued;
  private final Map<String, Long> valuesRedacted;
  private final long attributesNotAllowed;
  private final long eventNamesShortened;
  private final long droppedRejected;
  private final long droppedOversize;
  private final long droppedTooOld;
  private final long droppedOutboxFull;
  private final long droppedCorrupt;
  private final long retries;
  private final long outboxFilesSetAside;
  private final long usageReportsDeferred;
  private final long outboxFilesEmpty;
  private final long outboxSize;
  private final String stoppedReason;
  private final long valuesNotOfType;
  private final long valuesOutsideEnum;
  private final long eventNamesNotListed;

  /** @param scrubber the scrubber's own counts; null when it was not made yet (nothing was scrubbed) */
  DeliveryStats(DeliveryCounters c, long queued, AttributeScrubber scrubber, long outboxSize, String stoppedReason) {
    this.accepted = c.accepted.sum();
    this.droppedQueueFull = c.droppedQueueFull.sum();
    this.droppedAfterShutdown = c.droppedAfterShutdown.sum();
    this.droppedProcessorError = c.droppedProcessorError.sum();
    this.mappingFailures = c.mappingFailures.sum();
    this.eventsDelivered = c.eventsDelivered.sum();
    this.eventsFailed = c.eventsFailed.sum();
    this.queued = queued;
    Map<GuardReason, Long> drops = scrubber == null ? Collections.<GuardReason, Long>emptyMap() : scrubber.guardDrops();
    Map<String, Long> redacted = new LinkedHashMap<>();
    for (GuardReason reason : GuardReason.values()) {
      Long count = drops.get(reason);
      redacted.put(reason.name().toLowerCase(Locale.ROOT), count == null ? 0L : count);
    }
    this.valuesRedacted = Collections.unmodifiableMap(redacted);
    this.attributesNotAllowed = scrubber == null ? 0 : scrubber.keysNotAllowed();
    this.eventNamesShortened = scrubber == null ? 0 : scrubber.namesShortened();
    this.valuesNotOfType = scrubber == null ? 0 : scrubber.valuesNotOfType();
    this.valuesOutsideEnum = scrubber == null ? 0 : scrubber.valuesOutsideEnum();
    this.eventNamesNotListed = scrubber == null ? 0 : scrubber.namesNotListed();
    this.droppedRejected = c.droppedRejected.sum();
    this.droppedOversize = c.droppedOversize.sum();
    this.droppedTooOld = c.droppedTooOld.sum();
    this.droppedOutboxFull = c.droppedOutboxFull.sum();
    this.droppedCorrupt = c.droppedCorrupt.sum();
    this.retries = c.retries.sum();
    this.outboxFilesSetAside = c.outboxFilesSetAside.sum();
    this.usageReportsDeferred = c.usageReportsDeferred.sum();
    this.outboxFilesEmpty = c.outboxFilesEmpty.sum();
    this.outboxSize = outboxSize;
    this.stoppedReason = stoppedReason;
  }

  /**
   * Spans selected and queued for mapping, and ready-made events (usage reports) queued.
   *
   * @return how many spans and ready-made events were queued since start
   */
  public long accepted() {
    return accepted;
  }

  /**
   * Spans dropped because the queue was full (the app is never blocked instead).
   *
   * @return how many since start (a usage report the queue refuses is kept, see {@link #usageReportsDeferred()})
   */
  public long droppedQueueFull() {
    return droppedQueueFull;
  }

  /**
   * Spans that ended after shutdown began: dropped.
   *
   * @return how many were dropped (a usage report refused after shutdown began is kept, see
   *     {@link #usageReportsDeferred()})
   */
  public long droppedAfterShutdown() {
    return droppedAfterShutdown;
  }

  /**
   * Spans dropped because selecting them failed unexpectedly on the app thread.
   *
   * @return how many since start; the error is never thrown into the app
   */
  public long droppedProcessorError() {
    return droppedProcessorError;
  }

  /**
   * Spans that could not be mapped to events.
   *
   * @return how many spans were dropped because mapping them failed
   */
  public long mappingFailures() {
    return mappingFailures;
  }

  /**
   * Events the destination refused for their content (HTTP 400) and that were dropped.
   *
   * @return how many events since start; they are never resent
   */
  public long droppedRejected() {
    return droppedRejected;
  }

  /**
   * Events too large for the destination ever to take (PostHog: over 1 MB; GA4: a request body of
   * 130 kB or more for the event alone), dropped.
   *
   * @return how many events since start
   */
  public long droppedOversize() {
    return droppedOversize;
  }

  /**
   * Events too old for the destination to take (GA4: more than 72 hours old when sent, after an
   * outage or a long time offline), dropped.
   *
   * @return how many events since start
   */
  public long droppedTooOld() {
    return droppedTooOld;
  }

  /**
   * Times a usage report could not be queued (the queue was full, or shutdown had begun) and was
   * kept in the usage-report window instead, to be queued again at the next export or run. Not a
   * drop: the report is sent later, once.
   *
   * @return how many refusals since start (a report refused at two exports counts twice)
   */
  public long usageReportsDeferred() {
    return usageReportsDeferred;
  }

  /**
   * Undelivered events dropped, oldest first, because the outbox reached its size bound.
   *
   * @return how many events since start
   */
  public long droppedOutboxFull() {
    return droppedOutboxFull;
  }

  /**
   * Corrupt or truncated outbox lines skipped.
   *
   * @return how many lines since start; each was one event, now lost
   */
  public long droppedCorrupt() {
    return droppedCorrupt;
  }

  /**
   * Outbox files set aside because they cannot be read as batches (a directory, a FIFO, a link,
   * another user's file): renamed {@code unreadable-<name>}, never sent, left for a person to look at.
   *
   * @return how many files since start (their events cannot be counted)
   */
  public long outboxFilesSetAside() {
    return outboxFilesSetAside;
  }

  /**
   * Outbox batch files found empty: what a power cut leaves of a batch whose content had not
   * reached the disk (or a kill between creating a batch file and its first write). Their events,
   * at least one a file, are lost; how many cannot be known, so files are counted, not events.
   *
   * @return how many files since start
   */
  public long outboxFilesEmpty() {
    return outboxFilesEmpty;
  }

  /**
   * Delivery attempts that will be retried (429, 5xx, time-outs, I/O errors).
   *
   * @return how many attempts since start (attempts, not events)
   */
  public long retries() {
    return retries;
  }

  /**
   * Bytes waiting in the outbox (events, for the in-memory fallback); 0 for local destinations.
   *
   * @return the size of what waits to be sent when the snapshot was taken
   */
  public long outboxSize() {
    return outboxSize;
  }

  /**
   * Why sending is paused (a refused key, a wrong endpoint: it is tried again after the longest backoff), or null while it runs.
   *
   * @return the reason, safe to log; sending resumes only after a restart
   */
  public String stoppedReason() {
    return stoppedReason;
  }

  /**
   * Events the destination accepted.
   *
   * @return how many events since start, not counting those left out as oversize
   */
  public long eventsDelivered() {
    return eventsDelivered;
  }

  /**
   * Events that could not be delivered or kept for a later attempt.
   *
   * @return how many events since start: a local destination threw, or the outbox could not be opened or written
   */
  public long eventsFailed() {
    return eventsFailed;
  }

  /**
   * Spans waiting in the queue when the snapshot was taken.
   *
   * @return how many spans were waiting to be mapped
   */
  public long queued() {
    return queued;
  }

  /**
   * Attribute values dropped by each value guard.
   *
   * @return the count for each guard, by its name: {@code email}, {@code ip_address},
   *     {@code home_path}, {@code url_secret}, {@code secret_token}, {@code card_number}, {@code personal_id}
   */
  public Map<String, Long> valuesRedacted() {
    return valuesRedacted;
  }

  /**
   * Attribute values dropped because the policy does not name their key.
   *
   * @return how many values since start
   */
  public long attributesNotAllowed() {
    return attributesNotAllowed;
  }

  /**
   * Event names cut to their safe leading words (span names holding arguments, paths, options).
   *
   * @return how many names since start
   */
  public long eventNamesShortened() {
    return eventNamesShortened;
  }

  /**
   * Attribute values dropped because they do not fit their key's type in the policy (a sentence
   * where a {@code token} is expected, a path where a {@code route} is, text where an {@code int} is).
   *
   * @return how many values since start
   */
  public long valuesNotOfType() {
    return valuesNotOfType;
  }

  /**
   * Values of {@code enum} attributes sent as {@code other} because the policy does not list them.
   *
   * @return how many values since start
   */
  public long valuesOutsideEnum() {
    return valuesOutsideEnum;
  }

  /**
   * Event names sent as {@code other} because the policy's {@code events.names} does not list them.
   *
   * @return how many names since start
   */
  public long eventNamesNotListed() {
    return eventNamesNotListed;
  }

  @Override
  public String toString() {
    return "DeliveryStats{accepted=" + accepted + ", droppedQueueFull=" + droppedQueueFull
        + ", droppedAfterShutdown=" + droppedAfterShutdown + ", droppedProcessorError=" + droppedProcessorError
        + ", mappingFailures=" + mappingFailures + ", eventsDelivered=" + eventsDelivered
        + ", eventsFailed=" + eventsFailed + ", queued=" + queued + ", valuesRedacted=" + valuesRedacted
        + ", attributesNotAllowed=" + attributesNotAllowed + ", valuesNotOfType=" + valuesNotOfType
        + ", valuesOutsideEnum=" + valuesOutsideEnum + ", eventNamesShortened=" + eventNamesShortened
        + ", eventNamesNotListed=" + eventNamesNotListed
        + ", droppedRejected=" + droppedRejected + ", droppedOversize=" + droppedOversize + ", droppedTooOld=" + droppedTooOld
        + ", droppedOutboxFull=" + droppedOutboxFull + ", droppedCorrupt=" + droppedCorrupt + ", retries=" + retries
        + (outboxFilesSetAside == 0 ? "" : ", outboxFilesSetAside=" + outboxFilesSetAside)
        + (usageReportsDeferred == 0 ? "" : ", usageReportsDeferred=" + usageReportsDeferred)
        + (outboxFilesEmpty == 0 ? "" : ", outboxFilesEmpty=" + outboxFilesEmpty)
        + ", outboxSize=" + outboxSize + (stoppedReason == null ? "" : ", stopped=" + stoppedReason) + "}";
  }
}
