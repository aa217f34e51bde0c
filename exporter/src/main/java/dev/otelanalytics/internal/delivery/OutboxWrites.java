package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;

/** Opening the outbox and writing to it, for both outbox sinks; each failure is counted and logged (to the sink's logger), never thrown. */
final class OutboxWrites {
  private OutboxWrites() {}

  /** The opened outbox, or null (logged: its events are dropped). */
  static BatchStore open(Callable<BatchStore> opener, ThrottledLogger logger) {
    try {
      return opener.call();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      logger.log(Level.WARNING, "otel-analytics: could not open the outbox (" + e.getClass().getName() + "); events will be dropped");
      return null;
    }
  }

  /** Takes over the batches of runs that ended; a failure leaves them for a later look. */
  static void takeOverOrphans(BatchStore store, ThrottledLogger logger) {
    try {
      store.takeOverOrphans();
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "otel-analytics: could not take over the batches of earlier runs (" + Failures.describe(e)
          + "); will try again");
    }
  }

  /** Appends to the open batch; true when written, false when counted as failed. */
  static boolean append(BatchStore store, List<AnalyticsEvent> events, DeliveryCounters counters, ThrottledLogger logger) {
    if (store == null) {
      counters.eventsFailed.add(events.size());
      return false;
    }
    try {
      store.append(events);
      return true;
    } catch (IOException | RuntimeException e) {
      counters.eventsFailed.add(events.size());
      logger.log(Level.WARNING, "otel-analytics: could not write " + events.size() + " events to the outbox ("
          + Failures.describe(e) + ")");
      return false;
    }
  }

  /** Seals the open batch; a failure leaves it for the next run. */
  static void seal(BatchStore store, ThrottledLogger logger) {
    if (store == null) {
      return;
    }
    try {
      store.seal();
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "otel-analytics: could not complete a batch in the outbox (" + Failures.describe(e)
          + "); it is sent by the next run");
    }
  }
}
