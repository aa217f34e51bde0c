package dev.otelanalytics.delivery;

import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.destination.EventJson;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.event.SpanEventMapper;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.policy.AttributeScrubber;
import dev.otelanalytics.policy.GuardReason;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * The one daemon thread that does all the work after a span ends: it takes spans from a
 * bounded queue, maps and scrubs them, batches the events and delivers them.
 *
 * <p>The app thread only calls {@link #offer}, which never blocks: a full queue drops the span
 * and counts it. Modelled on OpenTelemetry's {@code BatchSpanProcessor} worker.
 *
 * <p>For a remote destination this thread only writes each batch to a {@link BatchStore} (the
 * on-disk outbox); an {@link OutboxSender} thread sends and removes it once the destination
 * acknowledged it. So a hung connection never keeps scrubbed events out of the outbox, and a
 * process that exits at any moment leaves nothing behind but what the next run sends.
 */
public final class DeliveryWorker {
  private static final ThrottledLogger logger = ThrottledLogger.get(DeliveryWorker.class);

  /** Most ready-made events (usage reports) waiting at once; they are rare. */
  public static final int READY_EVENTS_CAPACITY = 64;

  private final BlockingQueue<ReadableSpan> queue;
  private final BlockingQueue<AnalyticsEvent> readyEvents = new ArrayBlockingQueue<>(READY_EVENTS_CAPACITY);
  private final BlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);
  private final AtomicReference<CompletableResultCode> flushRequest = new AtomicReference<>();
  private final Supplier<SpanEventMapper> setup;
  private final Callable<BatchStore> storeOpener;
  private final RetryPolicy retryPolicy;
  private final Destination destination;
  private final Destination history;
  private final PrintStream debugOut;
  private final int batchSize;
  private final long flushIntervalNanos;
  private final DeliveryCounters counters;
  private final List<AnalyticsEvent> batch = new ArrayList<>();
  private final Thread thread;
  private final AtomicReference<CompletableResultCode> shutdownResult = new AtomicReference<>();
  private volatile SpanEventMapper mapper;
  private volatile BatchStore store;
  private volatile boolean shutdownRequested;
  /**
   * While the worker sleeps: how many more spans would fill its batch (it may already hold some),
   * so the app thread wakes it exactly then. While it works: never.
   */
  private volatile int spansNeeded = Integer.MAX_VALUE;
  private volatile OutboxSender sender;
  /** The thread has finished its last pass; a flush asked for now completes at once. */
  private volatile boolean exited;

  /**
   * Starts the worker thread.
   *
   * @param setup builds the mapper; runs first on the worker thread, so that its cost (key
   *     files, random seeding, class loading) overlaps the app's own work instead of delaying it
   * @param history the local store that keeps a copy of what a remote destination is sent; null for none
   * @param storeOpener opens the outbox for a remote destination (on the worker thread); null for a local one
   * @param debugOut where to print every scrubbed event before it is sent; null for no printing
   */
  public DeliveryWorker(
      Supplier<SpanEventMapper> setup,
      Destination destination,
      Destination history,
      Callable<BatchStore> storeOpener,
      RetryPolicy retryPolicy,
      PrintStream debugOut,
      int queueSize,
      int batchSize,
      Duration flushInterval,
      DeliveryCounters counters) {
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.setup = setup;
    this.storeOpener = destination.isRemote() ? storeOpener : null;
    this.retryPolicy = retryPolicy;
    this.destination = destination;
    this.history = destination.isRemote() ? history : null;
    this.debugOut = destination.printsEvents() ? null : debugOut;
    this.batchSize = batchSize;
    this.flushIntervalNanos = flushInterval.toNanos();
    this.counters = counters;
    this.thread = new Thread(this::run, "otel-analytics-worker");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues {@code span} without blocking; returns false (and counts) when it was dropped. */
  public boolean offer(ReadableSpan span) {
    if (shutdownRequested) {
      counters.droppedAfterShutdown.increment();
      return false;
    }
    if (!queue.offer(span)) {
      counters.droppedQueueFull.increment();
      return false;
    }
    counters.accepted.increment();
    if (queue.size() >= spansNeeded || queue.remainingCapacity() == 0) {
      wakeUp.offer(Boolean.TRUE);
    }
    return true;
  }

  /**
   * Queues an event that is already scrubbed (a usage report) without blocking; returns false
   * (and counts, like a span) when it was dropped. It goes out in the next batch, like span events.
   */
  public boolean offerEvent(AnalyticsEvent event) {
    if (shutdownRequested) {
      counters.droppedAfterShutdown.increment();
      return false;
    }
    if (!readyEvents.offer(event)) {
      counters.droppedQueueFull.increment();
      return false;
    }
    counters.accepted.increment();
    wakeUp.offer(Boolean.TRUE);
    return true;
  }

  /**
   * Asks the worker to map and deliver everything queued so far; completes when it has (for a
   * remote destination: when it is in the outbox and one delivery attempt was made, unless a
   * backoff is running).
   */
  public CompletableResultCode forceFlush() {
    CompletableResultCode request = new CompletableResultCode();
    while (!flushRequest.compareAndSet(null, request)) {
      CompletableResultCode pending = flushRequest.get();
      if (pending != null) {
        request = pending;
        break;
      }
    }
    wakeUp.offer(Boolean.TRUE);
    if (exited) {
      // Nobody is left to answer: what was queued was delivered (or abandoned) at shutdown.
      completeLateFlush();
      request.succeed();
    }
    return request;
  }

  /**
   * Stops accepting spans, delivers what is queued, and closes the destination, waiting at
   * most {@code timeout}. What is not delivered by then stays in the outbox (remote destinations)
   * and the thread, a daemon, is abandoned.
   */
  public CompletableResultCode shutdown(Duration timeout) {
    CompletableResultCode result = new CompletableResultCode();
    if (!shutdownResult.compareAndSet(null, result)) {
      return shutdownResult.get();
    }
    shutdownRequested = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableResultCode flushed = forceFlush();
    flushed.join(timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean complete = flushed.isDone() && !thread.isAlive();
    if (destination.isRemote()) {
      // Only now: the sender had until the deadline for its last pass. An attempt still running
      // is abandoned; its batch stays in the outbox for the next run.
      closeRemote();
    }
    if (!complete) {
      logger.log(Level.FINE, "otel-analytics: shutdown gave up after " + timeout.toMillis() + " ms"
          + (destination.isRemote() ? "; undelivered events stay in the outbox for the next run" : ""));
      result.fail();
    } else {
      result.succeed();
    }
    logger.log(Level.FINE, "otel-analytics: " + stats());
    return result;
  }

  /** A snapshot of the counters. */
  public DeliveryStats stats() {
    SpanEventMapper ready = mapper;
    BatchStore held = store;
    OutboxSender sending = sender;
    long outboxSize = held == null ? 0 : held.size();
    String stoppedReason = sending == null ? null : sending.stoppedReason();
    if (ready == null) {
      return new DeliveryStats(counters, queue.size(), Collections.<GuardReason, Long>emptyMap(), 0, 0, outboxSize, stoppedReason);
    }
    AttributeScrubber scrubber = ready.scrubber();
    return new DeliveryStats(counters, queue.size(), scrubber.guardDrops(), scrubber.keysNotAllowed(),
        scrubber.namesShortened(), outboxSize, stoppedReason);
  }

  private void run() {
    try {
      mapper = setup.get();
      if (storeOpener != null) {
        store = storeOpener.call();
        sender = new OutboxSender(store, destination, retryPolicy, counters);
        // Batches left by an earlier run (or a crashed process) go out now.
        sender.wake();
      }
      EventJson.warmUp();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      logger.log(Level.WARNING, "otel-analytics: could not start (" + e.getClass().getName() + "); spans will be dropped");
    }
    long nextSend = System.nanoTime() + flushIntervalNanos;
    while (true) {
      CompletableResultCode flush = flushRequest.getAndSet(null);
      if (flush != null) {
        drainQueue();
        sendBatch();
        OutboxSender sending = sender;
        if (sending != null) {
          // Done once the sender has tried what is now stored; this thread does not wait for it.
          CompletableResultCode request = flush;
          sending.requestPass().whenComplete(request::succeed);
        } else {
          flush.succeed();
        }
        nextSend = System.nanoTime() + flushIntervalNanos;
        if (shutdownRequested) {
          break;
        }
        continue;
      }
      ReadableSpan span;
      while (batch.size() < batchSize && (span = queue.poll()) != null) {
        map(span);
      }
      readyEvents.drainTo(batch);
      long now = System.nanoTime();
      if (batch.size() >= batchSize || (now - nextSend >= 0 && !batch.isEmpty())) {
        sendBatch();
        nextSend = System.nanoTime() + flushIntervalNanos;
        continue;
      }
      if (queue.isEmpty()) {
        if (now - nextSend >= 0) {
          nextSend = now + flushIntervalNanos;
        }
        sleep(nextSend - now);
      }
    }
    // A span may have slipped in while shutdown began.
    drainQueue();
    sendBatch();
    if (!destination.isRemote()) {
      closeDestination();
    }
    // A flush asked for while the last one ran (shutdown's own, say) is done now too.
    exited = true;
    completeLateFlush();
  }

  private void completeLateFlush() {
    CompletableResultCode late = flushRequest.getAndSet(null);
    if (late != null) {
      late.succeed();
    }
  }

  private void sleep(long nanos) {
    spansNeeded = Math.max(1, batchSize - batch.size());
    try {
      // A span offered just before spansNeeded was set found no sleeper to wake: look again.
      if (queue.size() < spansNeeded && nanos > 0) {
        wakeUp.poll(nanos, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      // Nothing interrupts this thread on purpose; keep going until asked to stop.
    } finally {
      spansNeeded = Integer.MAX_VALUE;
    }
  }

  private void drainQueue() {
    readyEvents.drainTo(batch);
    ReadableSpan span;
    while ((span = queue.poll()) != null) {
      map(span);
      if (batch.size() >= batchSize) {
        sendBatch();
      }
    }
  }

  private void map(ReadableSpan span) {
    SpanEventMapper ready = mapper;
    if (ready == null) {
      counters.mappingFailures.increment();
      return;
    }
    try {
      ready.map(span.toSpanData(), batch::add);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // App objects inside a span (a custom List's iterator, say) may throw anything; its message may hold personal data.
      counters.mappingFailures.increment();
      logger.log(Level.WARNING, "otel-analytics: could not map a span to an event (" + e.getClass().getName() + ")");
    }
  }

  /** Hands the current batch on: straight to a local destination, or into the outbox for a remote one. */
  private void sendBatch() {
    if (batch.isEmpty()) {
      return;
    }
    List<AnalyticsEvent> events = new ArrayList<>(batch);
    batch.clear();
    if (debugOut != null) {
      for (AnalyticsEvent event : events) {
        debugOut.println("[otel-analytics] debug: " + EventJson.toPrettyJson(event));
      }
      debugOut.flush();
    }
    if (!destination.isRemote()) {
      sendLocal(events);
      return;
    }
    if (history != null) {
      try {
        history.send(events);
      } catch (IOException | RuntimeException e) {
        logger.log(Level.FINE, "otel-analytics: could not keep a local copy (" + describe(e) + ")");
      }
    }
    BatchStore target = store;
    if (target == null) {
      counters.eventsFailed.add(events.size());
      return;
    }
    try {
      target.add(events);
      OutboxSender sending = sender;
      if (sending != null) {
        sending.wake();
      }
    } catch (IOException | RuntimeException e) {
      counters.eventsFailed.add(events.size());
      logger.log(Level.WARNING, "otel-analytics: could not write " + events.size() + " events to the outbox (" + describe(e) + ")");
    }
  }

  private void sendLocal(List<AnalyticsEvent> events) {
    try {
      destination.send(events);
      counters.eventsDelivered.add(events.size());
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      counters.eventsFailed.add(events.size());
      logger.log(Level.WARNING, "otel-analytics: " + events.size() + " events could not be delivered to the "
          + destination.name() + " destination (" + describe(e) + ")");
    }
  }

  private void closeRemote() {
    OutboxSender sending = sender;
    if (sending != null) {
      sending.shutdown();
    }
    closeDestination();
    BatchStore held = store;
    if (held != null) {
      held.close();
    }
  }

  private void closeDestination() {
    try {
      destination.close();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      logger.log(Level.FINE, "otel-analytics: closing the " + destination.name() + " destination failed (" + describe(e) + ")");
    }
  }

  /** The exception class, plus the file for file-system errors; never event content. */
  private static String describe(Throwable e) {
    if (e instanceof FileSystemException) {
      FileSystemException fse = (FileSystemException) e;
      return e.getClass().getSimpleName() + ": " + LogText.path(fse.getFile())
          + (fse.getReason() == null ? "" : " (" + fse.getReason() + ")");
    }
    return e.getClass().getName();
  }
}
