package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of the batches this process sealed most recently, so that the sender, which usually
 * claims a batch moments after it was sealed, takes them from memory instead of reading and
 * decoding the file it was just written (that was a quarter of the sender's time). The file stays
 * the truth: a batch is taken from here only when its file still has exactly the length written,
 * and every other batch (an older one, one of an earlier run, one taken out of here) is read from
 * its file. Holds at most {@link #MAX_EVENTS} events; the oldest batches make room.
 */
final class RecentBatches {
  /** About 20 batches of the default size; a few MB of events at most. */
  static final int MAX_EVENTS = 2_048;

  /** A sealed batch as written: its events and the length of its file. */
  static final class Sealed {
    final List<AnalyticsEvent> events;
    final long bytes;

    Sealed(List<AnalyticsEvent> events, long bytes) {
      this.events = events;
      this.bytes = bytes;
    }
  }

  private final Map<Outbox.Entry, Sealed> batches = new LinkedHashMap<>();
  private int events;

  /** Remembers a batch just sealed; one larger than the whole allowance is not kept. */
  synchronized void put(Outbox.Entry entry, List<AnalyticsEvent> batch, long bytes) {
    if (batch.isEmpty() || batch.size() > MAX_EVENTS) {
      return;
    }
    Sealed replaced = batches.put(entry, new Sealed(batch, bytes));
    events += batch.size() - (replaced == null ? 0 : replaced.events.size());
    Iterator<Sealed> oldest = batches.values().iterator();
    while (events > MAX_EVENTS) {
      events -= oldest.next().events.size();
      oldest.remove();
    }
  }

  /** The batch's events as sealed, forgotten here; null when they are not held. */
  synchronized Sealed take(Outbox.Entry entry) {
    Sealed sealed = batches.remove(entry);
    if (sealed != null) {
      events -= sealed.events.size();
    }
    return sealed;
  }

  /** Forgets every batch (the outbox was cleared or closed). */
  synchronized void clear() {
    batches.clear();
    events = 0;
  }
}
