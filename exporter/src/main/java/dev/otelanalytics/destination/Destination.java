package dev.otelanalytics.destination;

import dev.otelanalytics.event.AnalyticsEvent;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Where scrubbed events go. Called only from the single delivery worker thread, so an
 * implementation needs no locking of its own; it must never be handed unscrubbed data.
 */
public interface Destination extends Closeable {
  /**
   * Short name for logs and status, e.g. {@code file}.
   *
   * @return the name, in lower case
   */
  String name();

  /**
   * Delivers {@code events}, in order, and says how it went. A local destination may throw
   * instead; the worker then counts the batch as failed.
   *
   * @param events scrubbed events, at most {@link #maxBatchSize()} of them
   * @return whether to acknowledge, drop, split, retry or stop
   * @throws IOException when they could not be delivered
   */
  DeliveryResult send(List<AnalyticsEvent> events) throws IOException;

  /**
   * True for destinations outside the process (PostHog, GA4): their events go through the
   * on-disk outbox first and are retried, so an outage or an exit loses nothing.
   *
   * @return true for a remote destination; false (the default) for a local one
   */
  default boolean isRemote() {
    return false;
  }

  /**
   * Where events go, in words for the people using the app ({@code telemetry status} and the
   * privacy statement), for instance {@code PostHog at https://eu.i.posthog.com}. Never holds a
   * key or a secret.
   *
   * @return the description; {@link #name()} by default
   */
  default String description() {
    return name();
  }

  /**
   * Most events the destination takes in one request; batches are never larger.
   *
   * @return the limit; {@code Integer.MAX_VALUE} (the default) for none
   */
  default int maxBatchSize() {
    return Integer.MAX_VALUE;
  }

  /**
   * Prepares for the first send (loads an HTTP client, say) on the delivery thread while the
   * app works, so that a short-lived process's first send is not slowed by it. Never throws.
   */
  default void warmUp() {}

  /**
   * True when this destination only prints, so a separate debug print would repeat it.
   *
   * @return true when {@link #send} prints each event itself; false by default
   */
  default boolean printsEvents() {
    return false;
  }

  @Override
  default void close() throws IOException {}
}
