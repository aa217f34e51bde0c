package dev.otelanalytics;

import dev.otelanalytics.internal.delivery.DeliveryCounters;
import dev.otelanalytics.internal.delivery.DeliveryWorker;
import dev.otelanalytics.internal.event.SpanSelector;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.ArrayList;
import java.util.List;

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

  /** A processor that does nothing: analytics is off. */
  static AnalyticsSpanProcessor disabled() {
    return new AnalyticsSpanProcessor(null, null, null, null);
  }

  /** Does nothing: a span is only looked at when it ends. */
  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  /** False: {@link #onStart} does nothing. */
  @Override
  public boolean isStartRequired() {
    return false;
  }

  /** Offers {@code span} to the worker when it is selected; never blocks, never throws. */
  @Override
  public void onEnd(ReadableSpan span) {
    if (worker == null) {
      return;
    }
    try {
      if (selector.isSelected(span)) {
        worker.offer(span);
      }
    } catch (RuntimeException e) {
      counters.recordProcessorError();
    }
  }

  /**
   * For a process that receives finished spans from other processes (the OTLP relay): selects
   * each span as {@link #onEnd} does, and queues all the selected ones, or none of them when the
   * queue has no room for all. So the sender can be told to send the whole request again later,
   * and a resend never delivers a span twice. Never blocks, never throws. Spans refused here are
   * not counted as dropped in {@link DeliveryStats}: the caller answers for them.
   *
   * @param spans finished spans; those not selected are ignored
   * @return true when every selected span was queued (or none was selected, or analytics is
   *     off); false when none was queued because the queue could not take them all or shutdown began
   */
  public boolean offerAll(List<? extends ReadableSpan> spans) {
    if (worker == null) {
      return true;
    }
    List<ReadableSpan> selected = new ArrayList<>(spans.size());
    for (ReadableSpan span : spans) {
      try {
        if (selector.isSelected(span)) {
          selected.add(span);
        }
      } catch (RuntimeException e) {
        counters.recordProcessorError();
      }
    }
    return worker.offerAll(selected);
  }

  /**
   * How many more spans the queue can take now; an estimate, since others may queue meanwhile.
   *
   * @return the free places; 0 when analytics is off
   */
  public int remainingCapacity() {
    return worker == null ? 0 : worker.remainingCapacity();
  }

  @Override
  public boolean isEndRequired() {
    return worker != null;
  }

  /** Maps and delivers everything queued so far. */
  @Override
  public CompletableResultCode forceFlush() {
    return worker == null ? CompletableResultCode.ofSuccess() : worker.forceFlush();
  }

  /**
   * Delivers what is queued and stops, waiting at most the configured shutdown timeout. While a
   * metric exporter of the same {@link OtelAnalytics} still runs, it only delivers what is queued:
   * the exporter's shutdown, which comes later, stops the worker.
   */
  @Override
  public CompletableResultCode shutdown() {
    return lease == null ? CompletableResultCode.ofSuccess() : lease.release();
  }

  @Override
  public String toString() {
    return worker == null ? "AnalyticsSpanProcessor{off}" : "AnalyticsSpanProcessor{queued=" + worker.queued() + "}";
  }
}
