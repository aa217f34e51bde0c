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
  /** Short name for logs and status, e.g. {@code file}. */
  String name();

  /**
   * Delivers {@code events}, in order.
   *
   * @throws IOException when they could not be delivered (the caller counts and logs it)
   */
  void send(List<AnalyticsEvent> events) throws IOException;

  /** True when this destination only prints, so a separate debug print would repeat it. */
  default boolean printsEvents() {
    return false;
  }

  @Override
  default void close() throws IOException {}
}
