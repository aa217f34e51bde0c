/**
 * The OTLP relay: an OTLP/HTTP receiver that turns spans and metrics from services in any
 * language into the same privacy-preserving analytics events and usage reports as the Java
 * library, through the same policy, queue, outbox and destinations. Run it with
 * {@code java -jar otel-analytics-relay.jar} ({@link dev.otelanalytics.relay.RelayMain}), or start
 * one in code with {@link dev.otelanalytics.relay.OtlpRelay#builder()}. See docs/relay.md.
 */
package dev.otelanalytics.relay;
