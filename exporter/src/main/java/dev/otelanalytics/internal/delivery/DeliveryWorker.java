package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.event.EncodedEvents;
import dev.otelanalytics.internal.event.EventJson;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * The one daemon thread that does all the work after a span ends: it takes spans from a
 * bounded queue, maps them with an {@link EventMapper}, hands the events to a {@link BatchSink}
 * (for a remote destination: appends them to the outbox) and then shows them to its observers
 * (the debug printer, the local history copy), and seals each batch once it is full or the flush
 * interval has passed.
 *
 * <p>Events reach the sink within {@link #WRITE_DELAY_MILLIS} ms of their span's end, batch full
 * or not, so that a crash loses at most that much; sending still goes by whole batches. For that
 * the worker looks at its queue every {@value #WRITE_DELAY_MILLIS} ms, busy or idle (about
 * 10 short wake-ups a second), instead of being woken by the app thread: waking a thread is a
 * system call (60 to 80 µs measured for the first span after a pause), which {@code onEnd} must
 * not pay. The app thread wakes it only when a batch is full.
 *
 * <p>The app thread only calls {@link #offer}, which never blocks: a full queue drops the span
 * and counts it. Modelled on OpenTelemetry's {@code BatchSpanProcessor} worker.
 */
public final class DeliveryWorker {
  /** Per worker, so that one instance's warnings never use up the log budget of another (its shutdown line above all). */
  private final ThrottledLogger logger = ThrottledLogger.get(DeliveryWorker.class);

  /** Most ready-made events (usage reports) waiting at once; they are rare. */
  public static final int READY_EVENTS_CAPACITY = 64;
  /** Longest time an event waits in memory, from its span's end until it is handed to the sink (written to the outbox). */
  public static final long WRITE_DELAY_MILLIS = 100;
  private static final long WRITE_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(WRITE_DELAY_MILLIS);

  private final BlockingQueue<ReadableSpan> queue;
  /** Makes {@link #offerAll}'s check for room and its adds one step against other callers of it. */
  private final Object admission = new Object();
  private final BlockingQueue<AnalyticsEvent> readyEvents = new ArrayBlockingQueue<>(READY_EVENTS_CAPACITY);
  private final BlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);
  private final AtomicReference<CompletableResultCode> flushRequest = new AtomicReference<>();
  /** Asked-for write-outs: complete once what was queued before them is with the sink. */
  private final ConcurrentLinkedQueue<CompletableResultCode> writeRequests = new ConcurrentLinkedQueue<>();
  private final Supplier<EventMapper> setup;
  private final BatchSink sink;
  private final List<Consumer<List<AnalyticsEvent>>> observers;
  private final int batchSize;
  private final long flushIntervalNanos;
  private final DeliveryCounters counters;
  /** Mapped events not yet handed to the sink. Worker thread only. */
  private final List<AnalyticsEvent> group = new ArrayList<>();
  /** Events of the current batch already handed to the sink. Worker thread only. */
  private int batchCount;
  /** Events mapped (or being handed over) that the sink does not have yet: lost if shutdown gives up now. */
  private volatile int inHand;
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
   * @param sink where the events go
   * @param observers shown the events once the sink has them, in order; each must never throw
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
    wakeIfBatchFull();
    return true;
  }

  /**
   * Queues all of {@code spans}, or none when the queue has no room for all of them; never blocks.
   * Spans refused here are not counted as dropped: the caller hands the refusal back to whoever
   * sent them (the OTLP relay answers 429), who sends them again. All or none holds against other
   * callers of this method; a span this process itself ends at the same moment (the relay ends
   * none) can take a place meanwhile, and the spans left without one are then dropped and counted.
   * The span-end path keeps its plain offer: this costs it nothing.
   *
   * @return true when all were queued (also for an empty list); false when none was (no room, or shut down)
   */
  public boolean offerAll(List<? extends ReadableSpan> spans) {
    if (spans.isEmpty()) {
      return true;
    }
    if (shutdownRequested) {
      return false;
    }
    synchronized (admission) {
      if (queue.remainingCapacity() < spans.size()) {
        return false;
      }
      int queued = 0;
      for (ReadableSpan span : spans) {
        if (!queue.offer(span)) {
          break;
        }
        queued++;
      }
      counters.accepted.add(queued);
      counters.droppedQueueFull.add(spans.size() - queued);
    }
    wakeIfBatchFull();
    return true;
  }

  /** Places left in the queue now. */
  public int remainingCapacity() {
    return queue.remainingCapacity();
  }

  private void wakeIfBatchFull() {
    if (queue.size() >= spansNeeded || queue.remainingCapacity() == 0) {
      wakeUp.offer(Boolean.TRUE);
    }
  }

  /**
   * Queues an event that is already scrubbed (a usage report) without blocking. It goes out in the
   * next batch, like span events. Returns false when it was refused (the queue is full, or shutdown
   * began): the usage reporter keeps a refused report in its window and offers it again at the next
   * export or run, so a refusal is counted as deferred, never as a drop.
   */
  public boolean offerEvent(AnalyticsEvent event) {
    if (shutdownRequested || !readyEvents.offer(event)) {
      counters.usageReportsDeferred.increment();
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
   * Asks the worker to map everything queued so far and hand it to the sink (for a remote
   * destination: write it to the outbox), without waiting for a delivery attempt; completes when
   * it has. Never blocks.
   */
  public CompletableResultCode writeOut() {
    CompletableResultCode request = new CompletableResultCode();
    writeRequests.add(request);
    wakeUp.offer(Boolean.TRUE);
    if (exited) {
      completeLateFlush();
    }
    return request;
  }

  /**
   * Stops accepting spans, hands what is queued to the sink, lets the sink deliver what it can
   * and closes the destination, waiting at most {@code timeout} in all. What is not delivered by
   * then stays in the outbox (remote destinations) and the thread, a daemon, is abandoned. The
   * result fails, and a warning says how many events are lost, when events were not yet written
   * (the worker was stuck) or were held in memory only.
   */
  public CompletableResultCode shutdown(Duration timeout) {
    CompletableResultCode result = new CompletableResultCode();
    if (!shutdownResult.compareAndSet(null, result)) {
      return shutdownResult.get();
    }
    shutdownRequested = true;
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    CompletableResultCode flushed = writeOut();
    flushed.join(timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean written = flushed.isDone() && !thread.isAlive();
    // Counted before the sink lets go: the worker, abandoned, may still move them.
    long notWritten = written ? 0 : (long) queue.size() + readyEvents.size() + inHand;
    sink.close(deadline);
    long inMemory = sink.eventsInMemoryOnly();
    long lost = notWritten + inMemory;
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    if (lost > 0) {
      boolean remote = !(sink instanceof LocalSink);
      logger.log(Level.WARNING, "otel-analytics: shutdown gave up after " + tookMillis + " ms; " + lost + " events are lost: "
          + (notWritten > 0 ? notWritten + " not yet written to " + (remote ? "the outbox" : "the " + sink.destinationName()
              + " destination") : "")
          + (notWritten > 0 && inMemory > 0 ? ", " : "")
          + (inMemory > 0 ? inMemory + (remote ? " held in memory because the outbox could not be written" : " not yet handed to the "
              + sink.destinationName() + " destination") : ""));
      result.fail();
      return result;
    }
    long waiting = sink.waiting();
    if (waiting > 0) {
      logger.log(Level.FINE, "otel-analytics: stopped after " + tookMillis + " ms; " + waiting
          + " bytes of undelivered events stay in the outbox for the next run");
    }
    result.succeed();
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
    long now = System.nanoTime();
    long nextSend = now + flushIntervalNanos;
    long nextWrite = now + WRITE_DELAY_NANOS;
    while (true) {
      // Taken before the queue is drained: a request made later may come after spans not drained yet.
      CompletableResultCode flush = flushRequest.getAndSet(null);
      List<CompletableResultCode> writes = takeWriteRequests();
      if (flush != null || !writes.isEmpty() || shutdownRequested) {
        drainQueue();
        endBatch();
        for (CompletableResultCode written : writes) {
          written.succeed();
        }
        if (flush != null) {
          CompletableResultCode request = flush;
          sink.flushed().whenComplete(request::succeed);
        }
        nextSend = System.nanoTime() + flushIntervalNanos;
        if (shutdownRequested) {
          break;
        }
        continue;
      }
      ReadableSpan span;
      while (batchCount + group.size() < batchSize && (span = queue.poll()) != null) {
        map(span);
      }
      takeReadyEvents();
      now = System.nanoTime();
      if (batchCount + group.size() >= batchSize || (now - nextSend >= 0 && batchCount + group.size() > 0)) {
        endBatch();
        nextSend = System.nanoTime() + flushIntervalNanos;
        continue;
      }
      if (now - nextWrite >= 0) {
        writeGroup();
        nextWrite = now + WRITE_DELAY_NANOS;
      }
      if (queue.isEmpty()) {
        if (now - nextSend >= 0) {
          nextSend = now + flushIntervalNanos;
        }
        // Looks again at the next write; woken earlier only to fill a batch.
        sleep((nextWrite - nextSend < 0 ? nextWrite : nextSend) - now);
      }
    }
    // A span may have slipped in while shutdown began.
    drainQueue();
    endBatch();
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
    for (CompletableResultCode written : takeWriteRequests()) {
      written.succeed();
    }
  }

  private List<CompletableResultCode> takeWriteRequests() {
    List<CompletableResultCode> out = new ArrayList<>();
    CompletableResultCode request;
    while ((request = writeRequests.poll()) != null) {
      out.add(request);
    }
    return out;
  }

  private void sleep(long nanos) {
    spansNeeded = Math.max(1, batchSize - batchCount - group.size());
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
    takeReadyEvents();
    ReadableSpan span;
    while ((span = queue.poll()) != null) {
      map(span);
      if (batchCount + group.size() >= batchSize) {
        endBatch();
      }
    }
  }

  private void takeReadyEvents() {
    if (readyEvents.drainTo(group) > 0) {
      inHand = group.size();
    }
  }

  private void map(ReadableSpan span) {
    EventMapper ready = mapper;
    if (ready == null) {
      counters.mappingFailures.increment();
      return;
    }
    try {
      ready.map(span.toSpanData(), group::add);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // App objects inside a span (a custom List's iterator, say) may throw anything; its message may hold personal data.
      counters.mappingFailures.increment();
      logger.log(Level.WARNING, "otel-analytics: could not map a span to an event (" + e.getClass().getName() + ")");
    } finally {
      inHand = group.size();
    }
  }

  /** Hands the mapped events to the sink (the outbox first), then shows them to the observers (the history copy). */
  private void writeGroup() {
    if (group.isEmpty()) {
      return;
    }
    // Encoded once, on the first write: the outbox and the history copy write the same lines.
    List<AnalyticsEvent> events = EncodedEvents.of(group);
    group.clear();
    sink.append(events);
    inHand = 0;
    batchCount += events.size();
    for (Consumer<List<AnalyticsEvent>> observer : observers) {
      observer.accept(events);
    }
  }

  /** Writes what is mapped and seals the batch. */
  private void endBatch() {
    writeGroup();
    if (batchCount > 0) {
      sink.seal();
      batchCount = 0;
    }
  }
}
