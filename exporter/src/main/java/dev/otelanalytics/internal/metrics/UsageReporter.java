package dev.otelanalytics.internal.metrics;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * What the public {@code UsageReportExporter} does: each export adds the points of the
 * instruments the policy allows into the open window (see {@link UsageAccumulator}) and stores it
 * ({@link UsageWindowStore}); once the window is as old as the report interval, the next export,
 * flush or shutdown closes it into one {@link UsageReport} event handed to {@link ReportDelivery},
 * and a new window opens. A window without any point sends no report. Never throws into the SDK.
 */
public final class UsageReporter {
  /** The name of report events (after the event prefix, if any). */
  public static final String REPORT_EVENT = "usage_report";

  private static final ThrottledLogger logger = ThrottledLogger.get(UsageReporter.class);

  private final UsageAccumulator accumulator;
  private final UsageWindowStore store;
  private final Duration interval;
  private final Clock clock;
  private final LaplaceNoise noise;
  private final String eventName;
  private final Supplier<InstallIdentity> identity;
  private final ReportDelivery delivery;
  private CompletableResultCode shutdownResult;

  /**
   * @param policy the instruments ({@code metrics.allow}) and attributes
   * @param state where the open window is kept; null keeps it in memory only
   * @param eventPrefix put in front of {@link #REPORT_EVENT}; may be empty
   * @param identity the install id (the report's {@code distinct_id}) and deployment id; asked for at the first report
   * @param scrubber applies the value guards; asked for at the first export
   * @param delivery where reports go
   * @param interval the report interval
   * @param clock the time windows open and close by
   * @param noise Laplace noise added to each count, or null for none
   */
  public UsageReporter(PrivacyPolicy policy, StateDirectory state, String eventPrefix, Supplier<InstallIdentity> identity,
      Supplier<AttributeScrubber> scrubber, ReportDelivery delivery, Duration interval, Clock clock, LaplaceNoise noise) {
    this.accumulator = new UsageAccumulator(policy, scrubber);
    this.store = new UsageWindowStore(state);
    this.interval = Objects.requireNonNull(interval, "interval");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.noise = noise;
    this.eventName = (eventPrefix == null ? "" : eventPrefix) + REPORT_EVENT;
    this.identity = Objects.requireNonNull(identity, "identity");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
  }

  /** Adds {@code metrics} to the open window, stores it, and queues a report when one is due. */
  public synchronized CompletableResultCode export(Collection<MetricData> metrics) {
    if (shutdownResult != null) {
      return CompletableResultCode.ofFailure();
    }
    try {
      accumulator.add(metrics);
      checkpoint();
      return CompletableResultCode.ofSuccess();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      logger.log(Level.WARNING, "otel-analytics: could not add metrics to the usage report (" + t.getClass().getName() + ")");
      return CompletableResultCode.ofFailure();
    }
  }

  /** Stores the open window, queues a report when one is due, and delivers what is queued. */
  public synchronized CompletableResultCode flush() {
    if (shutdownResult != null) {
      return CompletableResultCode.ofSuccess();
    }
    try {
      checkpoint();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      logger.log(Level.WARNING, "otel-analytics: could not store the usage-report window (" + t.getClass().getName() + ")");
    }
    return delivery.flush();
  }

  /**
   * Stores the open window, queues a report when one is due, and lets delivery finish (within
   * {@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT} when this was its last user).
   */
  public synchronized CompletableResultCode shutdown() {
    if (shutdownResult != null) {
      return shutdownResult;
    }
    try {
      checkpoint();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      logger.log(Level.WARNING, "otel-analytics: could not store the usage-report window (" + t.getClass().getName() + ")");
    }
    shutdownResult = delivery.release();
    return shutdownResult;
  }

  /** The report interval in force. */
  public Duration reportInterval() {
    return interval;
  }

  /** The file holding the open window; null when it is kept in memory only. */
  public synchronized Path windowFile() {
    return store.file();
  }

  /** Instruments exported here that the policy does not list (each time they were exported). */
  public long instrumentsNotAllowed() {
    return accumulator.instrumentsNotAllowed();
  }

  /** Merges the pending counts into the stored window and, when it is due, closes it into a report. */
  private void checkpoint() {
    Instant now = clock.instant();
    UsageWindow pending = accumulator.takePending();
    UsageWindow[] closed = new UsageWindow[1];
    AnalyticsEvent[] report = new AnalyticsEvent[1];
    try {
      store.update(now, current -> {
        if (pending.isEmpty() && !isDue(current, now)) {
          return current;
        }
        UsageWindow window = accumulator.filter(current);
        if (window.remote() != delivery.remote()) {
          // Counts collected while reports stayed on this machine (level local, a first-run notice)
          // never leave it later, and counts meant to be sent are not reported locally instead.
          if (!window.isEmpty()) {
            logger.log(Level.FINE, "otel-analytics: the open usage-report window was collected for a "
                + (window.remote() ? "remote" : "local") + " destination; it is dropped and a new one starts");
          }
          window = new UsageWindow(now);
          window.setRemote(delivery.remote());
        }
        if (window.start().isAfter(now)) {
          // A clock that went back (or a file from elsewhere): never a window from the future.
          window.setStart(now);
        }
        window.addAll(pending);
        if (!isDue(window, now)) {
          return window;
        }
        if (!window.isEmpty()) {
          InstallIdentity id = identity.get();
          report[0] = UsageReport.toEvent(window, now, eventName, id.installId(), id.deploymentId(), noise);
          closed[0] = window;
        }
        UsageWindow next = new UsageWindow(now);
        next.setRemote(window.remote());
        next.setResource(window.resource());
        return next;
      });
    } catch (RuntimeException e) {
      accumulator.restore(pending);
      throw e;
    }
    if (report[0] != null && !delivery.offer(report[0])) {
      // Refused (queue full, or delivery already shut down): keep the counts for the next
      // report instead of losing them.
      logger.log(Level.FINE, "otel-analytics: a usage report could not be queued; its counts move to the next window");
      accumulator.restore(closed[0]);
      UsageWindow again = accumulator.takePending();
      store.update(now, current -> {
        UsageWindow window = accumulator.filter(current);
        window.addAll(again);
        return window;
      });
    }
  }

  private boolean isDue(UsageWindow window, Instant now) {
    return !now.isBefore(window.start().plus(interval));
  }
}
