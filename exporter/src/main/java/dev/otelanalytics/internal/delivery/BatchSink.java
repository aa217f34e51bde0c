package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.List;

/**
 * Where the {@link DeliveryWorker} hands its events: a local destination ({@link LocalSink}) or
 * the outbox of a remote one ({@link OutboxSink}). The worker appends events as it maps them (a
 * few at a time, within {@link DeliveryWorker#WRITE_DELAY_MILLIS}) and seals the batch once it is
 * full or the flush interval has passed. Every method but {@link #close(long)}, {@link #waiting()},
 * {@link #eventsInMemoryOnly()} and {@link #stoppedReason()} runs on the worker thread.
 */
public interface BatchSink {
  /** Prepares on the worker thread before the first batch (opening files, say). Never throws. */
  void start();

  /**
   * Takes scrubbed events of the current batch. For a remote destination they are in the outbox
   * when this returns. Never throws: a failure is counted.
   */
  void append(List<AnalyticsEvent> events);

  /** The current batch is complete: it may be delivered now. Never throws: a failure is counted. */
  void seal();

  /** Takes one whole batch: {@link #append} then {@link #seal}. */
  default void accept(List<AnalyticsEvent> events) {
    append(events);
    seal();
  }

  /** Completes once what was accepted so far has been tried; never waits on the worker thread. */
  CompletableResultCode flushed();

  /** The worker has handed over its last batch (still on the worker thread). */
  void workerDone();

  /**
   * The worker has stopped (or shutdown gave up on it): release what is left, waiting for work
   * in progress at most until {@code deadlineNanos}, a {@link System#nanoTime()} (from the thread
   * that shut down).
   */
  void close(long deadlineNanos);

  /** Bytes (or events, for the in-memory fallback) waiting to be sent; 0 for a local destination. */
  long waiting();

  /**
   * Events taken but held in memory only (a local destination's batch not yet written; batches
   * kept in memory while the outbox cannot be written): lost if the process ends now.
   */
  default long eventsInMemoryOnly() {
    return 0;
  }

  /** Why sending stopped for this run, or null. */
  String stoppedReason();

  /** The destination's name, for logs. */
  String destinationName();
}
