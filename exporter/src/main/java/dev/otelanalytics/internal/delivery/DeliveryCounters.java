package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.destination.DeliveryResult;
import java.util.concurrent.atomic.LongAdder;

/** The mutable counters behind the public {@code DeliveryStats}; cheap to bump from any thread. */
public final class DeliveryCounters {
  public final LongAdder accepted = new LongAdder();
  public final LongAdder droppedQueueFull = new LongAdder();
  public final LongAdder droppedAfterShutdown = new LongAdder();
  public final LongAdder droppedProcessorError = new LongAdder();
  public final LongAdder mappingFailures = new LongAdder();
  public final LongAdder eventsDelivered = new LongAdder();
  public final LongAdder eventsFailed = new LongAdder();
  public final LongAdder droppedRejected = new LongAdder();
  public final LongAdder droppedOversize = new LongAdder();
  /** Events a destination refuses for their age (GA4: older than 72 hours), dropped. */
  public final LongAdder droppedTooOld = new LongAdder();
  public final LongAdder droppedOutboxFull = new LongAdder();
  public final LongAdder droppedCorrupt = new LongAdder();
  public final LongAdder retries = new LongAdder();
  public final LongAdder outboxFilesSetAside = new LongAdder();
  /** Usage reports the worker could not take, kept in the usage-report window for a later export or run (not dropped). */
  public final LongAdder usageReportsDeferred = new LongAdder();

  /** Empty batch files found in the outbox (what a power cut can leave), deleted and counted as files: their events cannot be known. */
  public final LongAdder outboxFilesEmpty = new LongAdder();

  /**
   * A batch of {@code batchSize} events was delivered, except those {@code result} says were left
   * out: each is counted under its own reason (too large, too old), the rest as delivered.
   */
  public void recordDelivered(int batchSize, DeliveryResult result) {
    eventsDelivered.add(batchSize - result.eventsDroppedAsOversize() - result.eventsDroppedAsTooOld());
    droppedOversize.add(result.eventsDroppedAsOversize());
    droppedTooOld.add(result.eventsDroppedAsTooOld());
  }

  /** A span was selected on the app thread but could not be handled (never thrown into the app). */
  public void recordProcessorError() {
    droppedProcessorError.increment();
  }
}
