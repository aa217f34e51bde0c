/**
 * The state directory ({@code StateDirectory}, the one owner of its layout), the install identity and the person's stored choices.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.state;
