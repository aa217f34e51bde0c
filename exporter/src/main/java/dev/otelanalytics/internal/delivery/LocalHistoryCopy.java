package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * Keeps a copy of what a remote destination is sent in the local store, so that the
 * {@code show} and {@code export} commands work whatever the destination. A failure here never
 * stops delivery.
 */
public final class LocalHistoryCopy implements Consumer<List<AnalyticsEvent>> {
  private static final ThrottledLogger logger = ThrottledLogger.get(LocalHistoryCopy.class);

  private final Destination history;

  public LocalHistoryCopy(Destination history) {
    this.history = history;
  }

  @Override
  public void accept(List<AnalyticsEvent> events) {
    try {
      history.send(events);
    } catch (IOException | RuntimeException e) {
      logger.log(Level.FINE, "otel-analytics: could not keep a local copy (" + Failures.describe(e) + ")");
    }
  }
}
