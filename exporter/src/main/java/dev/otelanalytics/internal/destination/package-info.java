/**
 * The local store: the file destination (daily JSONL files) and its reader for the {@code show}, {@code export} and {@code clear} commands.
 *
 * <p>Internal: not public API. It may change, or go, without notice, like OpenTelemetry's and
 * OkHttp's {@code internal} packages.
 */
package dev.otelanalytics.internal.destination;
