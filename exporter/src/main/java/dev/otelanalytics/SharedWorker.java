package dev.otelanalytics;

import dev.otelanalytics.internal.delivery.DeliveryWorker;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;

/**
 * The delivery worker of one {@link OtelAnalytics}, shared by its span processor and its metric
 * exporters. Each holds a {@link Lease}; releasing one flushes the worker, and releasing the last
 * shuts it down. So the tracer provider shutting down first (the SDK's order) does not stop the
 * worker before the meter provider's final export has handed over its usage report.
 */
final class SharedWorker {
  private final DeliveryWorker worker;
  private final Duration shutdownTimeout;
  private int users;
  private boolean stopped;

  SharedWorker(DeliveryWorker worker, Duration shutdownTimeout) {
    this.worker = worker;
    this.shutdownTimeout = shutdownTimeout;
  }

  DeliveryWorker worker() {
    return worker;
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
     * the last one, else flushes it. Calling it again repeats the answer.
     */
    CompletableResultCode release() {
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
      return last ? worker.shutdown(shutdownTimeout) : worker.forceFlush();
    }
  }
}
