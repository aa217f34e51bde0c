package dev.otelanalytics;

import dev.otelanalytics.internal.metrics.UsageReporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/**
 * The {@code analytics} metric exporter: periodic usage reports, made from the counters a
 * service already records, instead of per-event data.
 *
 * <p>Each SDK export adds the points of the instruments the policy allows into the open window,
 * and stores the window in the state directory. Once the window is as old as the report interval
 * (the policy's {@code metrics.report_interval}, default 24 h, independent of the SDK's export
 * interval), the next export, flush or shutdown closes it and queues one {@code usage_report}
 * event (layout in docs/usage-reports.md) to the same policy, queue and destination as span events, and a new
 * window opens. A window without any point sends no report.
 *
 * <p>Prefers {@link AggregationTemporality#DELTA} for every instrument; cumulative points are turned
 * into deltas. Never throws into the SDK. Get one from {@link OtelAnalytics#metricExporter()}, or
 * with the SDK autoconfigure from {@code OTEL_METRICS_EXPORTER=analytics} (beside others:
 * {@code otlp,analytics}, with opentelemetry-exporter-otlp on the class path). Register each exporter with one reader only.
 */
public final class UsageReportExporter implements MetricExporter {
  /** The name of report events (after the event prefix, if any). */
  public static final String REPORT_EVENT = UsageReporter.REPORT_EVENT;

  private final UsageReporter reporter;
  private final UsageReportOptions options;

  /** @param reporter does the work; null when analytics is off (exports nothing) */
  UsageReportExporter(UsageReporter reporter, UsageReportOptions options) {
    this.reporter = reporter;
    this.options = options;
  }

  /** Delta for every instrument: the SDK then keeps no cumulative state for this exporter. */
  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.DELTA;
  }

  /** Adds {@code metrics} to the open window, stores it, and queues a report when one is due. */
  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    return reporter == null ? CompletableResultCode.ofSuccess() : reporter.export(metrics);
  }

  /** Stores the open window, queues a report when one is due, and delivers what is queued. */
  @Override
  public CompletableResultCode flush() {
    return reporter == null ? CompletableResultCode.ofSuccess() : reporter.flush();
  }

  /**
   * Stores the open window, queues a report when one is due, and lets delivery finish (within
   * {@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT} when this was its last user).
   */
  @Override
  public CompletableResultCode shutdown() {
    return reporter == null ? CompletableResultCode.ofSuccess() : reporter.shutdown();
  }

  /**
   * The report interval in force.
   *
   * @return the options' interval, else the policy's {@code metrics.report_interval}; null when analytics is off
   */
  public Duration reportInterval() {
    return reporter == null ? null : reporter.reportInterval();
  }

  /**
   * The file holding the open window.
   *
   * @return the file, or null when the window is kept in memory only
   */
  public Path windowFile() {
    return reporter == null ? null : reporter.windowFile();
  }

  /**
   * Instruments exported to this exporter that the policy does not list.
   *
   * @return how many, counted each time they were exported
   */
  public long instrumentsNotAllowed() {
    return reporter == null ? 0 : reporter.instrumentsNotAllowed();
  }

  @Override
  public String toString() {
    return reporter == null ? "UsageReportExporter{off: exports nothing}"
        : "UsageReportExporter{interval=" + reporter.reportInterval() + ", " + options + "}";
  }
}
