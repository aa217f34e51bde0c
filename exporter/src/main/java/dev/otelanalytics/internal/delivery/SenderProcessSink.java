package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * {@code OTEL_ANALYTICS_SENDER=process}: writes a remote destination's events to the outbox as
 * {@link OutboxSink} does, but sends nothing from this process. When the process shuts down, it
 * releases the outbox and starts a sender process, which sends them after this process
 * has exited: a command-line tool neither loads the HTTP client nor waits for the network.
 */
public final class SenderProcessSink implements BatchSink {
  private static final ThrottledLogger logger = ThrottledLogger.get(SenderProcessSink.class);

  private final String destinationName;
  private final Callable<BatchStore> storeOpener;
  private final DeliveryCounters counters;
  private final Runnable startSender;
  private final Supplier<String> lastStop;
  private volatile BatchStore store;
  /** Shutdown has released this sink. Guarded by {@code this}. */
  private boolean closed;

  /**
   * @param storeOpener opens the outbox (on the worker thread)
   * @param startSender starts the sender process (never throws, never waits for it)
   * @param lastStop why the last sender process stopped sending (a refused key, a wrong endpoint), or null
   */
  public SenderProcessSink(String destinationName, Callable<BatchStore> storeOpener, DeliveryCounters counters,
      Runnable startSender, Supplier<String> lastStop) {
    this.destinationName = destinationName;
    this.storeOpener = storeOpener;
    this.counters = counters;
    this.startSender = startSender;
    this.lastStop = lastStop;
  }

  /**
   * Says why the last sender process stopped sending, if it did (its user sees only this run),
   * opens the outbox and takes over earlier runs' batches, so that this run's sender process sends
   * them too.
   */
  @Override
  public void start() {
    String stopped = lastStop.get();
    if (stopped != null) {
      StopWarning.give(destinationName + "\n" + stopped, "otel-analytics: the last sender process " + stopped
          + ". Undelivered events stay in the outbox; the next sender process tries again.");
    }
    BatchStore opened = OutboxWrites.open(storeOpener, logger);
    if (opened == null) {
      return;
    }
    OutboxWrites.takeOverOrphans(opened, logger);
    synchronized (this) {
      if (closed) {
        opened.close();
        return;
      }
      store = opened;
    }
  }

  @Override
  public void append(List<AnalyticsEvent> events) {
    OutboxWrites.append(store, events, counters, logger);
  }

  @Override
  public void seal() {
    OutboxWrites.seal(store, logger);
  }

  /** Nothing is sent before exit: what was accepted is in the outbox, which is all a flush promises here. */
  @Override
  public CompletableResultCode flushed() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public void workerDone() {}

  /**
   * Closes the outbox (which lets another process take its batches over) and, when it holds
   * anything, starts the sender process. Events only in memory (the disk refused them) are lost
   * with this process, and counted.
   */
  @Override
  public void close(long deadlineNanos) {
    BatchStore held;
    synchronized (this) {
      closed = true;
      held = store;
    }
    if (held == null) {
      return;
    }
    long waiting = held.size();
    boolean durable = held.durable();
    held.close();
    if (!durable) {
      if (waiting > 0) {
        counters.eventsFailed.add(waiting);
        logger.log(Level.WARNING, "otel-analytics: " + waiting + " events were held in memory only (the outbox could not be"
            + " written) and are lost with this process");
      }
      return;
    }
    if (waiting != 0) {   // -1: the outbox could not be listed; the sender process looks for itself
      startSender.run();
    }
  }

  @Override
  public long waiting() {
    BatchStore held = store;
    return held == null ? 0 : held.size();
  }

  @Override
  public String stoppedReason() {
    return null;
  }

  @Override
  public String destinationName() {
    return destinationName;
  }
}
