package dev.otelanalytics.testing;

import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps what it is sent; can be made to stall until released, like a hung network. */
public final class RecordingDestination implements Destination {
  private final List<AnalyticsEvent> events = new ArrayList<>();
  private final List<Integer> batchSizes = new ArrayList<>();
  private final CountDownLatch release;
  private final CountDownLatch entered = new CountDownLatch(1);
  private volatile boolean closed;

  private RecordingDestination(boolean stalled) {
    this.release = new CountDownLatch(stalled ? 1 : 0);
  }

  public static RecordingDestination recording() {
    return new RecordingDestination(false);
  }

  /** Every send blocks until {@link #release()}. */
  public static RecordingDestination stalled() {
    return new RecordingDestination(true);
  }

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public DeliveryResult send(List<AnalyticsEvent> batch) {
    entered.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      events.addAll(batch);
      batchSizes.add(batch.size());
    }
    return DeliveryResult.delivered();
  }

  /** Waits until the worker is inside {@link #send}. */
  public boolean awaitSendStarted(long seconds) throws InterruptedException {
    return entered.await(seconds, TimeUnit.SECONDS);
  }

  public void release() {
    release.countDown();
  }

  public synchronized List<AnalyticsEvent> events() {
    return new ArrayList<>(events);
  }

  public synchronized List<Integer> batchSizes() {
    return new ArrayList<>(batchSizes);
  }

  @Override
  public void close() {
    closed = true;
  }

  public boolean closed() {
    return closed;
  }
}
