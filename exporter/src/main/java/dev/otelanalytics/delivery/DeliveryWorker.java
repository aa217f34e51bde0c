package dev.otelanalytics.delivery;

import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.destination.EventJson;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.event.SpanEventMapper;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.policy.AttributeScrubber;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.time.Duration;
import dev.otelanalytics.policy.GuardReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * The one daemon thread that does all the work after a span ends: it takes spans from a
 * bounded queue, maps and scrubs them, batches the events and hands them to the destination.
 *
 * <p>The app thread only calls {@link #offer}, which never blocks: a full queue drops the span
 * and counts it. Modelled on OpenTelemetry's {@code BatchSpanProcessor} worker.
 */
public final class DeliveryWorker {
  private static final ThrottledLogger logger = ThrottledLogger.get(DeliveryWorker.class);

  private final BlockingQueue<ReadableSpan> queue;
  private final BlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);
  private final AtomicReference<CompletableResultCode> flushRequest = new AtomicReference<>();
  private final Supplier<SpanEventMapper> setup;
  private volatile SpanEventMapper mapper;
  private final Destination destination;
  private final PrintStream debugOut;
  private final int batchSize;
  private final long flushIntervalNanos;
  private final DeliveryCounters counters;
  private final List<AnalyticsEvent> batch = new ArrayList<>();
  private final Thread thread;
  private volatile boolean shutdownRequested;
  /**
   * While the worker sleeps: how many more spans would fill its batch (it may already hold some),
   * so the app thread wakes it exactly then. While it works: never.
   */
  private volatile int spansNeeded = Integer.MAX_VALUE;
  private final AtomicReference<CompletableResultCode> shutdownResult = new AtomicReference<>();

  /**
   * Starts the worker thread.
   *
   * @param setup builds the mapper; runs first on the worker thread, so that its cost (key
   *     files, random seeding, class loading) overlaps the app's own work instead of delaying it
   * @param debugOut where to print every scrubbed event before it is sent; null for no printing
   */
  public DeliveryWorker(
      Supplier<SpanEventMapper> setup,
      Destination destination,
      PrintStream debugOut,
      int queueSize,
      int batchSize,
      Duration flushInterval,
      DeliveryCounters counters) {
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.setup = setup;
    this.destination = destination;
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

  /** Asks the worker to map and deliver everything queued so far; completes when it has. */
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
    return request;
  }

  /**
   * Stops accepting spans, delivers what is queued, and closes the destination, waiting at
   * most {@code timeout}. What is not done by then is abandoned (the thread is a daemon).
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
    if (thread.isAlive()) {
      logger.log(Level.FINE, "otel-analytics: shutdown gave up after " + timeout.toMillis() + " ms; "
          + queue.size() + " spans were still queued");
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
    if (ready == null) {
      return new DeliveryStats(counters, queue.size(), Collections.<GuardReason, Long>emptyMap(), 0, 0);
    }
    AttributeScrubber scrubber = ready.scrubber();
    return new DeliveryStats(counters, queue.size(), scrubber.guardDrops(), scrubber.keysNotAllowed(), scrubber.namesShortened());
  }

  private void run() {
    try {
      mapper = setup.get();
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
        flush.succeed();
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
      long now = System.nanoTime();
      if (batch.size() >= batchSize || (now - nextSend >= 0 && !batch.isEmpty())) {
        sendBatch();
        nextSend = System.nanoTime() + flushIntervalNanos;
      } else if (queue.isEmpty()) {
        if (now - nextSend >= 0) {
          nextSend = now + flushIntervalNanos;
        }
        spansNeeded = Math.max(1, batchSize - batch.size());
        try {
          // A span offered just before spansNeeded was set found no sleeper to wake: look again.
          if (queue.size() < spansNeeded) {
            wakeUp.poll(nextSend - now, TimeUnit.NANOSECONDS);
          }
        } catch (InterruptedException e) {
          // Nothing interrupts this thread on purpose; keep going until asked to stop.
        } finally {
          spansNeeded = Integer.MAX_VALUE;
        }
      }
    }
    // A span may have slipped in while shutdown began.
    drainQueue();
    sendBatch();
    closeDestination();
  }

  private void drainQueue() {
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
