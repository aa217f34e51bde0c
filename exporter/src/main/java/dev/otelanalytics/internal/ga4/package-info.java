/**
 * Google Analytics 4 Measurement Protocol rules, enforced client-side: names, reserved words, limits.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.ga4;
