package dev.otelanalytics.internal.destination;

import dev.otelanalytics.event.AnalyticsEvent;
import java.util.Collections;
import java.util.List;

/**
 * What one pass over the local history found: the events asked for, how many events it holds,
 * and how many lines could not be read (damaged by a partial write) and were skipped. Immutable.
 */
public final class HistoryRead {
  private final List<AnalyticsEvent> events;
  private final long eventCount;
  private final long unreadableLines;

  HistoryRead(List<AnalyticsEvent> events, long eventCount, long unreadableLines) {
    this.events = Collections.unmodifiableList(events);
    this.eventCount = eventCount;
    this.unreadableLines = unreadableLines;
  }

  /** The events asked for, oldest first (the last {@code n}; none for a count or an export). */
  public List<AnalyticsEvent> events() {
    return events;
  }

  /** How many events were read (for an export: written). */
  public long eventCount() {
    return eventCount;
  }

  /** How many lines could not be read and were skipped. */
  public long unreadableLines() {
    return unreadableLines;
  }
}
