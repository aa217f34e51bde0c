package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Writes the events for a remote destination to the outbox as the worker maps them (the open
 * batch, sealed when complete), and runs the {@link OutboxSender} that sends each sealed batch and
 * removes it once the destination acknowledged it. So a hung connection never keeps scrubbed events
 * out of the outbox, and a process that exits at any moment leaves nothing behind but what the
 * next run sends: see docs/delivery.md for what a crash can still lose. While the disk cannot take
 * them, batches wait in memory ({@link FallbackStore}).
 */
public final class OutboxSink implements BatchSink {
  private static final ThrottledLogger logger = ThrottledLogger.get(OutboxSink.class);

  private final Destination destination;
  private final Callable<BatchStore> storeOpener;
  private final RetryPolicy retryPolicy;
  private final DeliveryCounters counters;
  private final int memoryEvents;
  private volatile BatchStore store;
  private volatile OutboxSender sender;
  /** Shutdown has released this sink: whatever start-up opens now is closed at once. Guarded by {@code this}. */
  private boolean closed;

  /**
   * @param storeOpener opens the outbox (on the worker thread, so its cost overlaps the app's own work)
   * @param memoryEvents most events kept in memory while the outbox cannot be written (a full or read-only disk)
   */
  public OutboxSink(Destination destination, Callable<BatchStore> storeOpener, RetryPolicy retryPolicy, DeliveryCounters counters,
      int memoryEvents) {
    this.destination = destination;
    this.storeOpener = storeOpener;
    this.retryPolicy = retryPolicy;
    this.counters = counters;
    this.memoryEvents = memoryEvents;
  }

  /**
   * Opens the outbox, takes over the batches of earlier runs (a failure there leaves them for a
   * later look, it does not give up the outbox) and starts the sender, unless shutdown came first:
   * then what was opened is closed again, so that no sender or lock outlives the shutdown.
   */
  @Override
  public void start() {
    BatchStore opened = OutboxWrites.open(storeOpener, logger);
    if (opened == null) {
      return;
    }
    if (opened.durable()) {
      opened = new FallbackStore(opened, new MemoryBatchStore(memoryEvents, counters));
    }
    OutboxWrites.takeOverOrphans(opened, logger);
    OutboxSender started;
    synchronized (this) {
      if (closed) {
        opened.close();
        return;
      }
      store = opened;
      started = new OutboxSender(opened, destination, retryPolicy, counters);
      sender = started;
    }
    // Batches left by an earlier run (or a crashed process) go out now.
    started.wake();
  }

  /** Appends to the open batch in the outbox (memory while the disk cannot take it). */
  @Override
  public void append(List<AnalyticsEvent> events) {
    OutboxSender sending = sender;
    if (OutboxWrites.append(store, events, counters, logger) && sending != null) {
      sending.warmUpSoon();
    }
  }

  /** The batch is complete: the sender may send it. */
  @Override
  public void seal() {
    BatchStore target = store;
    if (target == null) {
      return;
    }
    OutboxWrites.seal(target, logger);
    OutboxSender sending = sender;
    if (sending != null) {
      sending.wake();
    }
  }

  /** Done once the sender has tried what is now stored; the worker thread does not wait for it. */
  @Override
  public CompletableResultCode flushed() {
    OutboxSender sending = sender;
    return sending == null ? CompletableResultCode.ofSuccess() : sending.requestPass();
  }

  @Override
  public void workerDone() {}

  /**
   * Lets the sender use what is left of shutdown's budget: it sends what is stored, and makes
   * retries that fall due in time, until {@code deadlineNanos}; an attempt still running then is
   * cancelled (its batch stays in the outbox).
   * The outbox is closed, which lets another run take its batches over, only once the sender's
   * thread has ended: before that, an abandoned attempt may still deliver a batch, and a second
   * sender would send it again.
   */
  @Override
  public void close(long deadlineNanos) {
    OutboxSender sending;
    BatchStore held;
    synchronized (this) {
      closed = true;
      sending = sender;
      held = store;
    }
    if (sending != null) {
      sending.finish(deadlineNanos);
      if (!sending.awaitExit(deadlineNanos)) {
        sending.stop();
      }
    }
    Failures.close(destination);
    if (held == null) {
      return;
    }
    if (sending != null) {
      sending.whenExited(held::close);
    } else {
      held.close();
    }
  }

  @Override
  public long waiting() {
    BatchStore held = store;
    return held == null ? 0 : held.size();
  }

  @Override
  public long eventsInMemoryOnly() {
    BatchStore held = store;
    if (held instanceof FallbackStore) {
      return ((FallbackStore) held).eventsInMemory();
    }
    return held instanceof MemoryBatchStore ? ((MemoryBatchStore) held).events() : 0;
  }

  @Override
  public String stoppedReason() {
    OutboxSender sending = sender;
    return sending == null ? null : sending.stoppedReason();
  }

  @Override
  public String destinationName() {
    return destination.name();
  }
}
