/**
 * Where scrubbed events go: the {@link dev.otelanalytics.destination.Destination} interface, PostHog and Google Analytics 4 (with their builders), and the console.
 */
package dev.otelanalytics.destination;
