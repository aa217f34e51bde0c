package dev.otelanalytics;

import dev.otelanalytics.internal.delivery.DeliveryWorker;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The delivery worker of one {@link OtelAnalytics}, shared by its span processor and its metric
 * exporters. Each holds a {@link Lease}; releasing one flushes the worker, and releasing the last
 * shuts it down. So the tracer provider shutting down first (the SDK's order) does not stop the
 * worker before the meter provider's final export has handed over its usage report.
 */
final class SharedWorker {
  private static final Logger logger = Logger.getLogger(SharedWorker.class.getName());

  private final DeliveryWorker worker;
  private final Duration shutdownTimeout;
  private final Supplier<DeliveryStats> stats;
  private int users;
  private boolean stopped;

  /** @param stats a snapshot of the worker's counters, logged (FINE) when it stops */
  SharedWorker(DeliveryWorker worker, Duration shutdownTimeout, Supplier<DeliveryStats> stats) {
    this.worker = worker;
    this.shutdownTimeout = shutdownTimeout;
    this.stats = stats;
  }

  DeliveryWorker worker() {
    return worker;
  }

  DeliveryStats stats() {
    return stats.get();
  }

  /** {@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT}. */
  Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** A lease for a new user; null when the worker was already shut down. */
  synchronized Lease acquire() {
    if (stopped) {
      return null;
    }
    users++;
    return new Lease();
  }

  /** One user's hold on the worker. */
  final class Lease {
    private boolean released;
    private boolean wasLast;

    /**
     * This user is done: shuts the worker down (waiting at most the shutdown timeout) when it was
     * the last one; else has what is queued written out (to the outbox, for a remote destination),
     * waiting at most the shutdown timeout and never for a delivery attempt, which the last user's
     * shutdown makes. Calling it again repeats the answer.
     */
    CompletableResultCode release() {
      return release(shutdownTimeout);
    }

    /** Like {@link #release()}, waiting at most {@code most} (never more than the shutdown timeout). */
    CompletableResultCode release(Duration most) {
      boolean last;
      synchronized (SharedWorker.this) {
        if (!released) {
          released = true;
          users--;
          wasLast = users == 0;
          stopped |= wasLast;
        }
        last = wasLast;
      }
      if (!last) {
        CompletableResultCode written = worker.writeOut();
        written.join(shutdownTimeout.toNanos(), TimeUnit.NANOSECONDS);
        return written.isDone() ? written : CompletableResultCode.ofFailure();
      }
      CompletableResultCode stoppedResult = worker.shutdown(most.compareTo(shutdownTimeout) < 0 ? most : shutdownTimeout);
      logger.fine("otel-analytics: stopped; " + stats.get());
      return stoppedResult;
    }
  }
}
