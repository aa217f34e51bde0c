/**
 * Every setting, read once with one reader, with one-line errors that name the variable, the property, the value and what is accepted; and the defaults, kept once.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.config;
