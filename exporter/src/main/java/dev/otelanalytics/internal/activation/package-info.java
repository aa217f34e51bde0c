/**
 * The one on/off decision ({@code Activation}): from the settings, the environment, the person's stored choices and the service name to the level in force, its reasons and the first-run notice. Every entry point and the {@code status} command use it.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.activation;
