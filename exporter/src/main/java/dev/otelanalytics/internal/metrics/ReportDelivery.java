package dev.otelanalytics.internal.metrics;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.config.AnalyticsConfig;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;

/**
 * Where a {@link UsageReportExporter} hands its reports: the same queue, worker and destination as
 * span events ({@code OtelAnalytics} provides it).
 */
public interface ReportDelivery {
  /** Queues {@code report} without blocking; false when it was refused (queue full, shut down). */
  boolean offer(AnalyticsEvent report);

  /**
   * True when reports leave the machine (PostHog), false when they stay on it (the file or console
   * destination, level {@code local}, a first-run notice). A window's counts are only ever reported
   * the way they were collected.
   */
  boolean remote();

  /** Delivers what is queued; completes when done. */
  CompletableResultCode flush();

  /** The exporter is shut down and will offer nothing more; completes when delivery is done with it. */
  CompletableResultCode release();

  /**
   * Like {@link #release()}, waiting at most {@code timeLeft} for delivery (what is left of the
   * shutdown budget after the exporter's own work).
   */
  default CompletableResultCode release(Duration timeLeft) {
    return release();
  }

  /** {@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT}: the most a shutdown may take; it also bounds waits for the window's lock. */
  default Duration shutdownTimeout() {
    return AnalyticsConfig.DEFAULT_SHUTDOWN_TIMEOUT;
  }
}
