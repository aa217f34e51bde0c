package dev.otelanalytics.internal.delivery;

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
  public final LongAdder droppedOutboxFull = new LongAdder();
  public final LongAdder droppedCorrupt = new LongAdder();
  public final LongAdder retries = new LongAdder();
  public final LongAdder outboxFilesSetAside = new LongAdder();
  public final LongAdder outboxFilesEmpty = new LongAdder();

  /** A span was selected on the app thread but could not be handled (never thrown into the app). */
  public void recordProcessorError() {
    droppedProcessorError.increment();
  }
}
