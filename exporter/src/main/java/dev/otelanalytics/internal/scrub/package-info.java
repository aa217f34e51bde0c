/**
 * The privacy policy applied to attributes: the allowlist, keyed hashing (HMAC-SHA256) and the guards.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.scrub;
