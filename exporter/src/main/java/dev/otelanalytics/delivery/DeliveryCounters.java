package dev.otelanalytics.delivery;

import java.util.concurrent.atomic.LongAdder;

/** The mutable counters behind {@link DeliveryStats}; cheap to bump from any thread. */
public final class DeliveryCounters {
  final LongAdder accepted = new LongAdder();
  final LongAdder droppedQueueFull = new LongAdder();
  final LongAdder droppedAfterShutdown = new LongAdder();
  final LongAdder droppedProcessorError = new LongAdder();
  final LongAdder mappingFailures = new LongAdder();
  final LongAdder eventsDelivered = new LongAdder();
  final LongAdder eventsFailed = new LongAdder();
  final LongAdder droppedRejected = new LongAdder();
  final LongAdder droppedOversize = new LongAdder();
  final LongAdder droppedOutboxFull = new LongAdder();
  final LongAdder droppedCorrupt = new LongAdder();
  final LongAdder retries = new LongAdder();

  /** A span was selected on the app thread but could not be handled (never thrown into the app). */
  public void recordProcessorError() {
    droppedProcessorError.increment();
  }
}
