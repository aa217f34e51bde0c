/**
 * Privacy-preserving product analytics from OpenTelemetry spans and metrics.
 *
 * <p>The entry points: {@link dev.otelanalytics.OtelAnalytics} and its builder for an SDK built by
 * hand, giving the {@link dev.otelanalytics.AnalyticsSpanProcessor} and the
 * {@link dev.otelanalytics.UsageReportExporter}; {@link dev.otelanalytics.AnalyticsControl} for a
 * host app's {@code telemetry} command. With the SDK autoconfigure or the Java agent, no code is
 * needed: {@code OTEL_ANALYTICS_ENABLED=true}.
 *
 * <p>Everything under {@code dev.otelanalytics.internal} is not public API and may change without
 * notice.
 */
package dev.otelanalytics;
