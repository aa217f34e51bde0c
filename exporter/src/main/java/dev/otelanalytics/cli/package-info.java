/**
 * The ready-made {@code telemetry} command line: status, show, export, clear, level, policy, validate.
 */
package dev.otelanalytics.cli;
