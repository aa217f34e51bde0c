/**
 * The analytics event: what a destination receives, already scrubbed.
 */
package dev.otelanalytics.event;
