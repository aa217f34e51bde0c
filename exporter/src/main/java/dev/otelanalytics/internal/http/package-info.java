/**
 * HTTP details shared by the remote destinations.
 *
 * <p>Internal: not public API, may change without notice.
 */
package dev.otelanalytics.internal.http;
