/**
 * The delivery engine: the bounded queue and its worker thread, the batch sinks (local destination, or the on-disk outbox and its sender thread), retries and backoff, and the counters.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.delivery;
