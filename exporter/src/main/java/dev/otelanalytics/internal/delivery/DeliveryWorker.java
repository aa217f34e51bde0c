package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.event.EventJson;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * The one daemon thread that does all the work after a span ends: it takes spans from a
 * bounded queue, maps them with an {@link EventMapper}, batches the events, shows each batch to
 * its observers (the debug printer, the local history copy) and hands it to a {@link BatchSink}.
 *
 * <p>The app thread only calls {@link #offer}, which never blocks: a full queue drops the span
 * and counts it. Modelled on OpenTelemetry's {@code BatchSpanProcessor} worker.
 */
public final class DeliveryWorker {
  private static final ThrottledLogger logger = ThrottledLogger.get(DeliveryWorker.class);

  /** Most ready-made events (usage reports) waiting at once; they are rare. */
  public static final int READY_EVENTS_CAPACITY = 64;

  private final BlockingQueue<ReadableSpan> queue;
  private final BlockingQueue<AnalyticsEvent> readyEvents = new ArrayBlockingQueue<>(READY_EVENTS_CAPACITY);
  private final BlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);
  private final AtomicReference<CompletableResultCode> flushRequest = new AtomicReference<>();
  private final Supplier<EventMapper> setup;
  private final BatchSink sink;
  private final List<Consumer<List<AnalyticsEvent>>> observers;
  private final int batchSize;
  private final long flushIntervalNanos;
  private final DeliveryCounters counters;
  private final List<AnalyticsEvent> batch = new ArrayList<>();
  private final Thread thread;
  private final AtomicReference<CompletableResultCode> shutdownResult = new AtomicReference<>();
  private volatile EventMapper mapper;
  private volatile boolean shutdownRequested;
  /**
   * While the worker sleeps: how many more spans would fill its batch (it may already hold some),
   * so the app thread wakes it exactly then. While it works: never.
   */
  private volatile int spansNeeded = Integer.MAX_VALUE;
  /** The thread has finished its last pass; a flush asked for now completes at once. */
  private volatile boolean exited;

  /**
   * Starts the worker thread.
   *
   * @param setup builds the mapper; runs first on the worker thread, so that its cost (key
   *     files, random seeding, class loading) overlaps the app's own work instead of delaying it
   * @param sink where each batch goes
   * @param observers shown each batch before the sink takes it, in order; each must never throw
   */
  public DeliveryWorker(
      Supplier<EventMapper> setup,
      BatchSink sink,
      List<Consumer<List<AnalyticsEvent>>> observers,
      int queueSize,
      int batchSize,
      Duration flushInterval,
      DeliveryCounters counters) {
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.setup = setup;
    this.sink = sink;
    this.observers = Collections.unmodifiableList(new ArrayList<>(observers));
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
      // The worker has gone (it had drained the queue): answer once the sink tried what it holds.
      // Never at once: this may be shutdown's own flush, made while the worker was leaving.
      completeLateFlush();
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
    sink.close();
    if (!complete) {
      logger.log(Level.FINE, "otel-analytics: shutdown gave up after " + timeout.toMillis() + " ms"
          + (sink instanceof OutboxSink ? "; undelivered events stay in the outbox for the next run" : ""));
      result.fail();
    } else {
      result.succeed();
    }
    return result;
  }

  /** Spans waiting in the queue. */
  public int queued() {
    return queue.size();
  }

  /** The sink this worker hands its batches to. */
  public BatchSink sink() {
    return sink;
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
    sink.start();
    long nextSend = System.nanoTime() + flushIntervalNanos;
    while (true) {
      CompletableResultCode flush = flushRequest.getAndSet(null);
      if (flush != null) {
        drainQueue();
        sendBatch();
        CompletableResultCode request = flush;
        sink.flushed().whenComplete(request::succeed);
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
    sink.workerDone();
    // A flush asked for while the last one ran (shutdown's own, say) is done now too.
    exited = true;
    completeLateFlush();
  }

  /**
   * Answers a flush asked for after the worker's last pass (shutdown's own, when an earlier flush
   * was running as shutdown began): its events are in the sink, so it is done once the sink tried
   * them, as for any other flush. Completing it at once would let shutdown close the sink before
   * the sender made a single attempt.
   */
  private void completeLateFlush() {
    CompletableResultCode late = flushRequest.getAndSet(null);
    if (late != null) {
      sink.flushed().whenComplete(late::succeed);
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
    EventMapper ready = mapper;
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

  /** Shows the current batch to the observers, then hands it to the sink. */
  private void sendBatch() {
    if (batch.isEmpty()) {
      return;
    }
    List<AnalyticsEvent> events = new ArrayList<>(batch);
    batch.clear();
    for (Consumer<List<AnalyticsEvent>> observer : observers) {
      observer.accept(events);
    }
    sink.accept(events);
  }
}
