package dev.otelanalytics;

import dev.otelanalytics.event.AnalyticsEvent;
import java.util.Collections;
import java.util.List;

/**
 * Events read from the local history, and how many of its lines could not be read (a partial
 * write on a full disk or at a power cut leaves a damaged line; it is skipped, never a failure).
 * Immutable.
 */
public final class StoredEvents {
  private final List<AnalyticsEvent> events;
  private final long unreadableLines;

  StoredEvents(List<AnalyticsEvent> events, long unreadableLines) {
    this.events = Collections.unmodifiableList(events);
    this.unreadableLines = unreadableLines;
  }

  /**
   * The events, oldest first, exactly as stored.
   *
   * @return the events, unmodifiable
   */
  public List<AnalyticsEvent> events() {
    return events;
  }

  /**
   * Lines of the history that could not be read and were skipped.
   *
   * @return how many, in the whole history (not only among the events returned)
   */
  public long unreadableLines() {
    return unreadableLines;
  }

  @Override
  public String toString() {
    return "StoredEvents{events=" + events.size() + ", unreadableLines=" + unreadableLines + "}";
  }
}
