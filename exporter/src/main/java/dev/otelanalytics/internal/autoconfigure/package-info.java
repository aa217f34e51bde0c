/**
 * The SDK autoconfigure SPI providers (also what the Java agent loads): the customizer that adds the span processor and the {@code analytics} metric exporter, and the setup that applies the settings to {@code OtelAnalyticsBuilder}.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.autoconfigure;
