/**
 * The OpenTelemetry Collector configuration generated from a privacy policy: the gateway that
 * lets services in any language send OTLP through the same policy to the relay.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.collector;
