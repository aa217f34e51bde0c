package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.List;

/**
 * Where the {@link DeliveryWorker} hands each finished batch: a local destination
 * ({@link LocalSink}) or the outbox of a remote one ({@link OutboxSink}). Every method but
 * {@link #close(long)} runs on the worker thread.
 */
public interface BatchSink {
  /** Prepares on the worker thread before the first batch (opening files, say). Never throws. */
  void start();

  /** Takes one batch of scrubbed events. Never throws: a failure is counted. */
  void accept(List<AnalyticsEvent> events);

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

  /** Why sending stopped for this run, or null. */
  String stoppedReason();

  /** The destination's name, for logs. */
  String destinationName();
}
