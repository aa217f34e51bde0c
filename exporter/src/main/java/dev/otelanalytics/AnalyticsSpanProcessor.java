package dev.otelanalytics;

import dev.otelanalytics.delivery.DeliveryCounters;
import dev.otelanalytics.delivery.DeliveryWorker;
import dev.otelanalytics.event.SpanSelector;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Turns selected finished spans into analytics events. On the app thread it only checks the
 * selection and offers the span to a bounded queue, never blocking and never throwing;
 * everything else happens on the delivery worker. Get one from {@link OtelAnalytics}.
 */
public final class AnalyticsSpanProcessor implements SpanProcessor {
  private final SpanSelector selector;
  private final DeliveryWorker worker;
  private final DeliveryCounters counters;
  private final SharedWorker.Lease lease;

  AnalyticsSpanProcessor(SpanSelector selector, DeliveryWorker worker, DeliveryCounters counters, SharedWorker.Lease lease) {
    this.selector = selector;
    this.worker = worker;
    this.counters = counters;
    this.lease = lease;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    try {
      if (selector.isSelected(span)) {
        worker.offer(span);
      }
    } catch (RuntimeException e) {
      counters.recordProcessorError();
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /** Maps and delivers everything queued so far. */
  @Override
  public CompletableResultCode forceFlush() {
    return worker.forceFlush();
  }

  /**
   * Delivers what is queued and stops, waiting at most the configured shutdown timeout. While a
   * metric exporter of the same {@link OtelAnalytics} still runs, it only delivers what is queued:
   * the exporter's shutdown, which comes later, stops the worker.
   */
  @Override
  public CompletableResultCode shutdown() {
    return lease.release();
  }

  @Override
  public String toString() {
    return "AnalyticsSpanProcessor{" + worker.stats() + "}";
  }
}
