/**
 * The value guards and the never-kept keys: rules no policy can loosen.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.guard;
