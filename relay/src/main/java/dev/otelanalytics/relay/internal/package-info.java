/**
 * The OTLP relay's parts: internal, unstable; may change in any release. The public entry points
 * are {@code dev.otelanalytics.relay.RelayMain} and {@code dev.otelanalytics.relay.OtlpRelay}.
 */
package dev.otelanalytics.relay.internal;
