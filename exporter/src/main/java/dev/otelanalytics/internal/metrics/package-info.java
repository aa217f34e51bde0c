/**
 * Usage reports from metrics: the accumulator, the persisted window, the report event and the Laplace noise, behind the public {@code UsageReportExporter}.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.metrics;
