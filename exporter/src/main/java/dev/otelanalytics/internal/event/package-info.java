/**
 * Spans to events: selection, mapping, safe event names, and the JSON encoding of events (Jackson streaming).
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.event;
