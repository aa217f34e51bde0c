package dev.otelanalytics.internal.event;

import dev.otelanalytics.event.AnalyticsEvent;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A fixed list of events that keeps its JSON Lines encoding once made, so that the stores a group
 * of events passes through (the outbox, then the local history copy) write the same bytes instead
 * of encoding the events once each. {@link EventJson#toJsonLines} returns that encoding.
 */
public final class EncodedEvents extends AbstractList<AnalyticsEvent> implements RandomAccess {
  private final List<AnalyticsEvent> events;
  private volatile byte[] jsonLines;

  private EncodedEvents(List<AnalyticsEvent> events) {
    this.events = events;
  }

  /** A copy of {@code events}, encoded on first use. */
  public static EncodedEvents of(List<AnalyticsEvent> events) {
    return new EncodedEvents(new ArrayList<>(events));
  }

  @Override
  public AnalyticsEvent get(int index) {
    return events.get(index);
  }

  @Override
  public int size() {
    return events.size();
  }

  /** The events as JSON Lines, made on the first call; shared, so never to be changed. */
  byte[] jsonLines() {
    byte[] lines = jsonLines;
    if (lines == null) {
      lines = EventJson.encodeJsonLines(events);
      jsonLines = lines;
    }
    return lines;
  }
}
