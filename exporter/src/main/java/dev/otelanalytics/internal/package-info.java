/**
 * Small utilities shared by the internal packages: throttled logging, owner-only files, durations, log-safe text.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal;
