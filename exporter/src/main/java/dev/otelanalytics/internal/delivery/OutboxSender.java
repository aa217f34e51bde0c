package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

/**
 * Sends the stored batches of a remote destination, oldest first, on its own daemon thread.
 *
 * <p>It is separate from the {@link DeliveryWorker} so that a hung connection can never keep
 * scrubbed events out of the outbox: the worker only ever writes to disk, this thread does the
 * waiting. Failed attempts wait a {@link RetryPolicy} backoff (or the server's Retry-After). A
 * "stop" answer (refused key, wrong endpoint) keeps every batch and pauses sending for the
 * longest backoff ({@link RetryPolicy#pause()}); then the oldest batch is tried again, as a proxy's
 * passing error or a key fixed meanwhile deserve, and a 2xx resumes sending. It is warned about
 * once per process ({@link StopWarning}). A batch refused for its content (400) or too large
 * (413) is split in halves until the events at fault are alone; only those are dropped.
 *
 * <p>No batch holds back the others. A failed attempt of a batch with no other batch delivered
 * since its last failure looks like an outage: everything waits the backoff. One that fails
 * while others get through waits alone, behind them, for a backoff of its own; when that happened
 * {@link #SUSPECT_AFTER} times it is halved, and its halves again, until the failing event is
 * alone. That event is not dropped (a 5xx or a network error is never proof that it is bad): it
 * is tried again after its own backoff, at most the longest one apart, and leaves the outbox when
 * delivered or when the size bound drops it as the oldest (counted).
 */
final class OutboxSender {
  /** Per sender, so one instance's failures never use up another's log budget. */
  private final ThrottledLogger logger = ThrottledLogger.get(OutboxSender.class);

  private final BatchStore store;
  private final Destination destination;
  private final RetryPolicy retryPolicy;
  private final DeliveryCounters counters;
  /** How often a running sender looks for batches of runs that have ended. */
  static final long TAKE_OVER_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** The least time an attempt is assumed to take when judging whether it fits before shutdown's deadline. */
  static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Object lock = new Object();
  /** Set by {@link #wake()}: a pass is wanted. Guarded by {@link #lock}. */
  private boolean passRequested;
  /** Something was written to the outbox: load the HTTP client now, before the batch is sealed. Set under {@link #lock}. */
  private volatile boolean warmUpRequested;
  /** The destination was warmed up. Guarded by {@link #lock}. */
  private boolean warmedUp;
  /** Completed after the next pass; only flushes add to it. Guarded by {@link #lock}. */
  private List<CompletableResultCode> waiters = new ArrayList<>();
  private final Thread thread;
  /** False once {@link #stop()} was called: no attempt starts after that. Guarded by {@link #lock} for writes. */
  private volatile boolean running = true;
  /** The thread has ended: no attempt of this sender can deliver anything any more. Guarded by {@link #lock}. */
  private boolean exited;
  /** Run once the thread has ended. Guarded by {@link #lock}. */
  private Runnable onExit;
  /** Failures, each after another batch was delivered since the batch's last failure, that have it halved. */
  static final int SUSPECT_AFTER = 2;

  /** A batch whose last attempt failed: its own backoff, and whether others got through meanwhile. */
  private static final class Failing {
    int failures;
    /** Failures after which another batch had been delivered since this one's previous failure. */
    int othersGotThrough;
    /** {@link #deliveries} at this batch's last failure. */
    long deliveriesAtLastFailure;
    long notBeforeNanos;
  }

  /** Batches whose last attempt failed; only batches still pending (sender thread only). */
  private final Map<BatchStore.Batch, Failing> failing = new HashMap<>();
  /** Batches this sender delivered (sender thread only). */
  private long deliveries;
  /** The earliest time a batch waiting on its own backoff is due; Long.MAX_VALUE for none (sender thread only). */
  private long deferredUntilNanos = Long.MAX_VALUE;
  /** Batches delivered whose file could not be deleted: never sent again by this process. */
  private final Set<BatchStore.Batch> deliveredButKept = new HashSet<>();
  /** Shutdown's last pass: sends what is due, and retries that are due, until {@link #drainDeadline}. */
  private volatile boolean draining;
  /** A {@link System#nanoTime()}: no attempt starts that would likely end after it. */
  private volatile long drainDeadline;
  /** How long the last attempt took, to judge whether another still fits before {@link #drainDeadline}. */
  private long lastAttemptNanos;
  /** When batches of runs that ended were last looked for; a flush always looks. */
  private long lastTakeOverNanos = System.nanoTime();
  private volatile String stoppedReason;
  private int failedAttempts;
  private long nextAttemptNanos;
  /** A backoff is running: the next pass is due at {@link #nextAttemptNanos}, request or not. */
  private boolean retryScheduled;

  OutboxSender(BatchStore store, Destination destination, RetryPolicy retryPolicy, DeliveryCounters counters) {
    this.store = store;
    this.destination = destination;
    this.retryPolicy = retryPolicy;
    this.counters = counters;
    this.thread = new Thread(this::run, "otel-analytics-sender");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Events were written to the outbox: the sender loads the destination's HTTP client now, so the
   * first send does not wait for it. Until then a service that sends nothing (a replica at
   * start-up, say) loads none of it. Never blocks.
   */
  void warmUpSoon() {
    if (warmUpRequested) {
      return;   // every append after the first: no lock
    }
    synchronized (lock) {
      warmUpRequested = true;
      lock.notifyAll();
    }
  }

  /** Asks for a delivery pass over everything stored now. Never blocks. */
  void wake() {
    synchronized (lock) {
      passRequested = true;
      lock.notifyAll();
    }
  }

  /**
   * Asks for a delivery pass over everything stored now; completes when that pass ended (all
   * sent, or a backoff, a stop or an error ended it). Never blocks.
   */
  CompletableResultCode requestPass() {
    CompletableResultCode done = new CompletableResultCode();
    synchronized (lock) {
      if (!running) {
        done.succeed();
        return done;
      }
      waiters.add(done);
      passRequested = true;
      lock.notifyAll();
    }
    return done;
  }

  /** Why sending is paused after a "stop" answer, or null (never stopped, or resumed since). */
  String stoppedReason() {
    return stoppedReason;
  }

  /**
   * Shutdown: sends what is stored, waiting for retries that fall due in time, until everything
   * is sent or no attempt fits before {@code deadlineNanos} (a {@link System#nanoTime()}) any
   * more; then the thread ends. What is left stays in the outbox for the next run.
   */
  void finish(long deadlineNanos) {
    synchronized (lock) {
      drainDeadline = deadlineNanos;
      draining = true;
      passRequested = true;
      lock.notifyAll();
    }
  }

  /**
   * Starts no further attempt; the thread ends once an attempt in progress has ended (it is not
   * interrupted: a request on the wire goes on regardless, and its answer still counts).
   * Stored batches stay for the next run.
   */
  void stop() {
    synchronized (lock) {
      running = false;
      lock.notifyAll();
    }
  }

  /** Waits until the thread has ended or {@code deadlineNanos} (a {@link System#nanoTime()}) has come; true when it ended. */
  boolean awaitExit(long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    try {
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  /**
   * Runs {@code action} once the thread has ended: at once when it has, else on the thread as its
   * last act. Whoever owns the outbox closes it here, so that no other run takes over a batch
   * while an attempt of this one may still deliver it.
   */
  void whenExited(Runnable action) {
    synchronized (lock) {
      if (!exited) {
        onExit = action;
        return;
      }
    }
    action.run();
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  private void run() {
    try {
      loop();
    } finally {
      Runnable last;
      synchronized (lock) {
        exited = true;
        last = onExit;
        for (CompletableResultCode result : waiters) {
          result.succeed();
        }
        waiters = new ArrayList<>();
      }
      if (last != null) {
        last.run();
      }
    }
  }

  private void loop() {
    while (running) {
      List<CompletableResultCode> done;
      boolean warmUp;
      synchronized (lock) {
        long wait = waitNanos();
        // An overdue retry must not fall back to the long wait.
        while (running && !passRequested && !(warmUpRequested && !warmedUp) && wait > 0) {
          try {
            TimeUnit.NANOSECONDS.timedWait(lock, wait);
          } catch (InterruptedException e) {
            // stop() clears running; anything else is not ours to act on
          }
          wait = waitNanos();
        }
        if (!running) {
          break;
        }
        warmUp = warmUpRequested && !warmedUp;
        warmedUp |= warmUp;
        passRequested = false;
        done = waiters;
        waiters = new ArrayList<>();
      }
      if (warmUp) {
        // Then a pass as for any wake-up: it sends only sealed batches, so it finds little or nothing.
        destination.warmUp();
      }
      takeOverOrphans(!done.isEmpty());
      // Only a pass that listed the outbox after shutdown began has seen the worker's last batches.
      boolean drainingAtStart = draining;
      boolean allSent = pass();
      for (CompletableResultCode result : done) {
        result.succeed();
      }
      if (draining && ((allSent && drainingAtStart) || !fitsBeforeDeadline(nextDueNanos()))) {
        return;
      }
    }
  }

  /** When the next attempt may start: now, or after the running backoff or pause, or a batch's own backoff. */
  private long nextDueNanos() {
    if (retryScheduled) {
      return nextAttemptNanos;
    }
    return deferredUntilNanos != Long.MAX_VALUE ? deferredUntilNanos : System.nanoTime();
  }

  /**
   * Whether an attempt starting at {@code startNanos} would likely end before shutdown's
   * deadline: twice the last attempt's time, at least {@link #MIN_ATTEMPT_NANOS}.
   */
  private boolean fitsBeforeDeadline(long startNanos) {
    if (startNanos == Long.MAX_VALUE) {
      return false;
    }
    long expected = Math.max(MIN_ATTEMPT_NANOS, 2 * lastAttemptNanos);
    return drainDeadline - (startNanos + expected) >= 0;
  }

  /** How long to sleep: until a retry is due, else until it is time to look for batches of runs that ended. */
  private long waitNanos() {
    long now = System.nanoTime();
    long takeOver = store.durable() ? lastTakeOverNanos + TAKE_OVER_EVERY_NANOS - now : TimeUnit.HOURS.toNanos(1);
    if (takeOver <= 0) {
      // Wakes up for the look; the pass it starts only sends what is due.
      return 0;
    }
    if (retryScheduled) {
      // Everything waits for the backoff; a batch's own backoff matters only after it.
      return Math.min(nextAttemptNanos - now, takeOver);
    }
    return deferredUntilNanos != Long.MAX_VALUE ? Math.min(deferredUntilNanos - now, takeOver) : takeOver;
  }

  /**
   * Takes over the batches of runs that have ended since this one started (their sender may have
   * outlived their shutdown), every {@link #TAKE_OVER_EVERY_NANOS} and on every flush.
   */
  private void takeOverOrphans(boolean flush) {
    long now = System.nanoTime();
    if (!flush && now - lastTakeOverNanos < TAKE_OVER_EVERY_NANOS) {
      return;
    }
    lastTakeOverNanos = now;
    try {
      store.takeOverOrphans();
    } catch (IOException | RuntimeException e) {
      logger.log(Level.FINE, "otel-analytics: could not take over the batches of runs that ended (" + Failures.describe(e) + ")");
    }
  }

  /**
   * Sends stored batches, oldest first, until one must wait or sending stopped.
   *
   * @return true when everything stored was handled; false when something waits
   */
  private boolean pass() {
    if (System.nanoTime() - nextAttemptNanos < 0) {
      return false;
    }
    retryScheduled = false;
    deferredUntilNanos = Long.MAX_VALUE;
    try {
      boolean again = true;
      boolean waiting = false;
      while (again) {
        again = false;
        waiting = false;
        List<? extends BatchStore.Batch> pending = store.pending();
        failing.keySet().retainAll(new HashSet<>(pending));
        for (BatchStore.Batch stored : pending) {
          Failing f = failing.get(stored);
          long now = System.nanoTime();
          if (f != null && f.notBeforeNanos - now > 0) {
            // Waits behind the others, for its own backoff.
            waiting = true;
            deferredUntilNanos = Math.min(deferredUntilNanos, f.notBeforeNanos);
            continue;
          }
          Outcome outcome = deliver(stored);
          if (outcome == Outcome.WAIT) {
            return false;
          }
          if (outcome == Outcome.RELIST) {
            again = true;
            break;
          }
        }
      }
      return !waiting && deferredUntilNanos == Long.MAX_VALUE;
    } catch (IOException | RuntimeException e) {
      counters.retries.increment();
      nextAttemptNanos = System.nanoTime() + retryPolicy.delay(failedAttempts++, null).toNanos();
      retryScheduled = true;
      logger.log(Level.WARNING, "otel-analytics: outbox error (" + e.getClass().getName() + "); will try again");
      return false;
    }
  }

  private enum Outcome { NEXT, RELIST, WAIT }

  private List<? extends BatchStore.Batch> splitInHalves(BatchStore.Batch stored, List<AnalyticsEvent> events) throws IOException {
    int half = events.size() / 2;
    List<List<AnalyticsEvent>> parts = new ArrayList<>();
    parts.add(new ArrayList<>(events.subList(0, half)));
    parts.add(new ArrayList<>(events.subList(half, events.size())));
    failing.remove(stored);
    return store.split(stored, parts);
  }

  /** "5 min", "20 ms": for the stop warning. */
  private static String describe(Duration d) {
    long millis = d.toMillis();
    if (millis % 60_000 == 0) {
      return millis / 60_000 + " min";
    }
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private Outcome deliver(BatchStore.Batch stored) throws IOException {
    if (!running || (draining && !fitsBeforeDeadline(System.nanoTime()))) {
      return Outcome.WAIT;
    }
    if (deliveredButKept.contains(stored)) {
      return Outcome.NEXT;
    }
    List<AnalyticsEvent> events = store.claim(stored);
    if (events.isEmpty()) {
      store.acknowledge(stored);
      return Outcome.NEXT;
    }
    boolean settled = false;
    try {
      Outcome outcome = attempt(stored, events);
      settled = true;
      return outcome;
    } finally {
      if (!settled) {
        releaseQuietly(stored);
      }
    }
  }

  private void releaseQuietly(BatchStore.Batch stored) {
    try {
      store.release(stored);
    } catch (IOException | RuntimeException e) {
      logger.log(Level.FINE, "otel-analytics: could not put a batch back in the outbox (" + Failures.describe(e) + ")");
    }
  }

  /**
   * Counts a delivered batch, then forgets it. When its file cannot be deleted, it is remembered
   * as delivered, so that this process does not send it again (a later run may: PostHog merges
   * it by uuid).
   */
  private void acknowledgeDelivered(BatchStore.Batch stored) {
    try {
      store.acknowledge(stored);
    } catch (IOException | RuntimeException e) {
      deliveredButKept.add(stored);
      logger.log(Level.WARNING, "otel-analytics: could not remove a delivered batch from the outbox (" + Failures.describe(e)
          + "); a later run may send it again");
    }
  }

  private Outcome attempt(BatchStore.Batch stored, List<AnalyticsEvent> events) throws IOException {
    DeliveryResult result;
    long started = System.nanoTime();
    try {
      result = destination.send(events);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      result = DeliveryResult.retry(e.getClass().getSimpleName(), null);
    } finally {
      lastAttemptNanos = System.nanoTime() - started;
    }
    switch (result.kind()) {
      case DELIVERED:
        counters.recordDelivered(events.size(), result);
        acknowledgeDelivered(stored);
        failing.remove(stored);
        deliveries++;
        if (failedAttempts > 0) {
          failedAttempts = 0;
          // The outage is over: what failed only during it goes now (its failures still count).
          for (Failing f : failing.values()) {
            if (f.othersGotThrough == 0) {
              f.notBeforeNanos = System.nanoTime();
            }
          }
        }
        if (stoppedReason != null) {
          stoppedReason = null;
          logger.log(Level.INFO, "otel-analytics: " + destination.name() + " took a batch again; sending resumed");
        }
        return Outcome.NEXT;
      case REJECTED:
        if (events.size() > 1) {
          // Usually one bad event: halve until it is alone, so that the good ones still go.
          logger.log(Level.FINE, "otel-analytics: " + destination.name() + " rejected a batch of " + events.size()
              + " events (" + result.reason() + "); sending it in halves to find the events at fault");
          splitInHalves(stored, events);
          return Outcome.RELIST;
        }
        store.acknowledge(stored);
        counters.droppedRejected.increment();
        logger.log(Level.WARNING, "otel-analytics: " + destination.name() + " rejected an event (" + result.reason()
            + "); it was dropped and will not be resent");
        return Outcome.NEXT;
      case TOO_LARGE:
        if (events.size() == 1) {
          store.acknowledge(stored);
          counters.droppedOversize.increment();
          return Outcome.NEXT;
        }
        splitInHalves(stored, events);
        return Outcome.RELIST;
      case STOP:
        store.release(stored);
        stoppedReason = result.reason();
        Duration pause = retryPolicy.pause();
        nextAttemptNanos = System.nanoTime() + pause.toNanos();
        retryScheduled = true;
        // Not through the throttled logger: this is the one line a person must see, even at exit.
        StopWarning.give(destination + "\n" + result.reason(), "otel-analytics: stopped sending to " + destination.name()
            + ": " + result.reason() + ". Undelivered events stay in the outbox; sending is tried again every "
            + describe(retryPolicy.max()) + " and at the next start.");
        logger.log(Level.FINE, "otel-analytics: sending to " + destination.name() + " paused for " + pause.toMillis() + " ms");
        return Outcome.WAIT;
      case RETRY:
      default:
        store.release(stored);
        counters.retries.increment();
        return retryLater(stored, events, result);
    }
  }

  /** After a failed attempt: everything waits (an outage), or only this batch (others get through), or it is halved. */
  private Outcome retryLater(BatchStore.Batch stored, List<AnalyticsEvent> events, DeliveryResult result) throws IOException {
    Failing f = failing.get(stored);
    if (f == null) {
      f = new Failing();
      failing.put(stored, f);
    }
    // A Retry-After is the server pacing everyone, never a sign against this batch.
    if (f.failures > 0 && deliveries > f.deliveriesAtLastFailure && result.retryAfter() == null) {
      f.othersGotThrough++;
    }
    f.failures++;
    f.deliveriesAtLastFailure = deliveries;
    if (f.othersGotThrough >= SUSPECT_AFTER && events.size() > 1) {
      logger.log(Level.FINE, "otel-analytics: a batch of " + events.size() + " events keeps failing at " + destination.name()
          + " while others are delivered (" + result.reason() + "); sending it in halves to find the events at fault");
      // Each half is one failure after another delivery away from being halved again.
      for (BatchStore.Batch part : splitInHalves(stored, events)) {
        Failing inherited = new Failing();
        inherited.failures = 1;
        inherited.othersGotThrough = SUSPECT_AFTER - 1;
        inherited.deliveriesAtLastFailure = deliveries;
        failing.put(part, inherited);
      }
      return Outcome.RELIST;
    }
    Duration own = retryPolicy.delay(f.failures - 1, result.retryAfter());
    f.notBeforeNanos = System.nanoTime() + own.toNanos();
    if (f.othersGotThrough > 0) {
      // Others get through: only this batch waits, and the pass goes on with the next. The sender
      // must wake for it when its own backoff ends, not at the next look for orphans (10 s on).
      deferredUntilNanos = Math.min(deferredUntilNanos, f.notBeforeNanos);
      logger.log(Level.FINE, "otel-analytics: " + destination.name() + " did not take a batch of " + events.size()
          + " events again (" + result.reason() + ") while taking others; it waits " + own.toMillis() + " ms behind them");
      return Outcome.NEXT;
    }
    Duration wait = retryPolicy.delay(failedAttempts++, result.retryAfter());
    nextAttemptNanos = System.nanoTime() + wait.toNanos();
    retryScheduled = true;
    logger.log(Level.FINE, "otel-analytics: " + destination.name() + " did not take " + events.size() + " events ("
        + result.reason() + "); next attempt in " + wait.toMillis() + " ms");
    return Outcome.WAIT;
  }
}
