package dev.otelanalytics.metrics;

import dev.otelanalytics.consent.InstallIdentity;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.policy.AttributeScrubber;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * The {@code analytics} metric exporter: periodic usage reports, made from the counters a
 * service already records, instead of per-event data.
 *
 * <p>Each SDK export adds the points of the instruments the policy allows into the open window
 * (see {@link UsageAccumulator} for what is kept), and stores the window in the state directory
 * ({@code usage-window.json}). Once the window is as old as the report interval (the policy's
 * {@code metrics.report_interval}, default 24 h, independent of the SDK's export interval), the
 * next export, flush or shutdown closes it and queues one {@code usage_report} event (layout in the
 * README) to the same policy, queue and destination as span events, and a new window opens. A window
 * without any point sends no report.
 *
 * <p>Prefers {@link AggregationTemporality#DELTA} for every instrument; cumulative points are turned
 * into deltas. Never throws into the SDK. Get one from {@code OtelAnalytics.metricExporter()}, or
 * with the SDK autoconfigure from {@code OTEL_METRICS_EXPORTER=analytics} (beside others:
 * {@code otlp,analytics}). Register each exporter with one reader only.
 */
public final class UsageReportExporter implements MetricExporter {
  /** The name of report events (after the event prefix, if any). */
  public static final String REPORT_EVENT = "usage_report";
  /** The file in the state directory that holds the open window. */
  public static final String WINDOW_FILE = UsageWindowStore.WINDOW_FILE;

  private static final ThrottledLogger logger = ThrottledLogger.get(UsageReportExporter.class);

  private final UsageAccumulator accumulator;
  private final UsageWindowStore store;
  private final Duration interval;
  private final Clock clock;
  private final UsageReportOptions options;
  private final LaplaceNoise noise;
  private final String eventName;
  private final Supplier<InstallIdentity> identity;
  private final ReportDelivery delivery;
  private CompletableResultCode shutdownResult;

  /**
   * Wires an exporter; {@code OtelAnalytics.metricExporter()} is the ordinary way to get one.
   *
   * @param policy the instruments ({@code metrics.allow}), attributes and report interval
   * @param stateDirectory where the open window is kept; null keeps it in memory only
   * @param eventPrefix put in front of {@link #REPORT_EVENT}; may be empty
   * @param identity the install id (the report's {@code distinct_id}) and deployment id; asked for at the first report
   * @param scrubber applies the value guards; asked for at the first export
   * @param delivery where reports go
   */
  public UsageReportExporter(PrivacyPolicy policy, Path stateDirectory, String eventPrefix, Supplier<InstallIdentity> identity,
      Supplier<AttributeScrubber> scrubber, ReportDelivery delivery, UsageReportOptions options) {
    this.accumulator = new UsageAccumulator(policy, scrubber);
    this.store = new UsageWindowStore(stateDirectory);
    this.options = Objects.requireNonNull(options, "options");
    this.interval = options.reportInterval() != null ? options.reportInterval() : policy.reportInterval();
    this.clock = options.clock();
    this.noise = options.noise() ? new LaplaceNoise(options.noiseEpsilon(), options.noiseSensitivity(), options.random()) : null;
    this.eventName = (eventPrefix == null ? "" : eventPrefix) + REPORT_EVENT;
    this.identity = Objects.requireNonNull(identity, "identity");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
  }

  /** Delta for every instrument: the SDK then keeps no cumulative state for this exporter. */
  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.DELTA;
  }

  /** Adds {@code metrics} to the open window, stores it, and queues a report when one is due. */
  @Override
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
  @Override
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
  @Override
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

  /** Instruments exported to this exporter that the policy does not list (each time they were exported). */
  public long instrumentsNotAllowed() {
    return accumulator.instrumentsNotAllowed();
  }

  @Override
  public String toString() {
    return "UsageReportExporter{interval=" + interval + ", " + options + "}";
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
          report[0] = UsageReport.toEvent(window, now, eventName, id.installId(), id.deploymentId(), noise, options);
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
