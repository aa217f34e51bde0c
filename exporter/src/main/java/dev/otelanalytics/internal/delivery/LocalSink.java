package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

/** Hands each batch straight to a local destination (the file or the console) on the worker thread. */
public final class LocalSink implements BatchSink {
  private static final ThrottledLogger logger = ThrottledLogger.get(LocalSink.class);

  private final Destination destination;
  private final DeliveryCounters counters;
  /** The current batch: a local destination is handed whole batches. */
  private final List<AnalyticsEvent> batch = new ArrayList<>();
  private volatile int held;

  public LocalSink(Destination destination, DeliveryCounters counters) {
    this.destination = destination;
    this.counters = counters;
  }

  @Override
  public void start() {}

  @Override
  public void append(List<AnalyticsEvent> events) {
    batch.addAll(events);
    held = batch.size();
  }

  @Override
  public void seal() {
    if (batch.isEmpty()) {
      return;
    }
    List<AnalyticsEvent> events = new ArrayList<>(batch);
    try {
      send(events);
    } finally {
      batch.clear();
      held = 0;
    }
  }

  private void send(List<AnalyticsEvent> events) {
    try {
      destination.send(events);
      counters.eventsDelivered.add(events.size());
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      counters.eventsFailed.add(events.size());
      logger.log(Level.WARNING, "otel-analytics: " + events.size() + " events could not be delivered to the "
          + destination.name() + " destination (" + Failures.describe(e) + ")");
    }
  }

  @Override
  public CompletableResultCode flushed() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public void workerDone() {
    Failures.close(destination);
  }

  @Override
  public void close(long deadlineNanos) {}

  @Override
  public long waiting() {
    return 0;
  }

  @Override
  public long eventsInMemoryOnly() {
    return held;
  }

  @Override
  public String stoppedReason() {
    return null;
  }

  @Override
  public String destinationName() {
    return destination.name();
  }
}
