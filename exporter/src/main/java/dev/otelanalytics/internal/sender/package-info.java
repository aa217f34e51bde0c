/**
 * The sender process of a command-line tool ({@code OTEL_ANALYTICS_SENDER=process}): started as
 * the tool exits, it sends the outbox with the delivery engine and ends; one per state directory.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.sender;
