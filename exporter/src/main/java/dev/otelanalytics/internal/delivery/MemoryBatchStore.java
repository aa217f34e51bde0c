package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The fallback when the outbox directory cannot be written (at start, or for a while: a full or
 * read-only disk, see {@link FallbackStore}): batches wait in memory, at most {@code maxEvents}
 * of them (oldest dropped and counted), and are lost when the process ends.
 */
public final class MemoryBatchStore implements BatchStore {
  private final int maxEvents;
  private final DeliveryCounters counters;
  private final List<Held> batches = new ArrayList<>();
  /** The open batch's events, counted in {@link #events}; not pending until sealed. */
  private List<AnalyticsEvent> opening = new ArrayList<>();
  private int events;

  public MemoryBatchStore(int maxEvents, DeliveryCounters counters) {
    this.maxEvents = maxEvents;
    this.counters = counters;
  }

  static final class Held implements Batch {
    final List<AnalyticsEvent> events;
    /** Being sent: never dropped to make room. */
    boolean claimed;

    Held(List<AnalyticsEvent> events) {
      this.events = Collections.unmodifiableList(new ArrayList<>(events));
    }
  }

  @Override
  public synchronized Batch add(List<AnalyticsEvent> newEvents) {
    makeRoomFor(newEvents.size());
    Held held = new Held(newEvents);
    batches.add(held);
    events += newEvents.size();
    return held;
  }

  @Override
  public synchronized void append(List<AnalyticsEvent> newEvents) {
    makeRoomFor(newEvents.size());
    opening.addAll(newEvents);
    events += newEvents.size();
  }

  @Override
  public synchronized void seal() {
    if (!opening.isEmpty()) {
      batches.add(new Held(opening));
      opening = new ArrayList<>();
    }
  }

  /** Drops the oldest batches not being sent until {@code more} events fit (the open batch is never dropped). */
  private void makeRoomFor(int more) {
    for (Iterator<Held> it = batches.iterator(); it.hasNext() && events + more > maxEvents; ) {
      Held oldest = it.next();
      if (oldest.claimed) {
        continue;
      }
      it.remove();
      events -= oldest.events.size();
      counters.droppedOutboxFull.add(oldest.events.size());
    }
  }

  @Override
  public synchronized List<? extends Batch> pending() {
    List<Held> out = new ArrayList<>();
    for (Held held : batches) {
      if (!held.claimed) {
        out.add(held);
      }
    }
    return out;
  }

  @Override
  public synchronized List<AnalyticsEvent> claim(Batch batch) {
    if (!batches.contains(batch)) {
      return Collections.emptyList();
    }
    ((Held) batch).claimed = true;
    return ((Held) batch).events;
  }

  @Override
  public synchronized void release(Batch batch) {
    ((Held) batch).claimed = false;
  }

  @Override
  public synchronized List<AnalyticsEvent> read(Batch batch) {
    return batches.contains(batch) ? ((Held) batch).events : Collections.<AnalyticsEvent>emptyList();
  }

  @Override
  public synchronized void acknowledge(Batch batch) {
    if (batches.remove(batch)) {
      events -= ((Held) batch).events.size();
    }
  }

  @Override
  public synchronized List<Held> split(Batch batch, List<List<AnalyticsEvent>> parts) {
    List<Held> out = new ArrayList<>();
    int at = batches.indexOf(batch);
    if (at < 0) {
      return out;
    }
    batches.remove(at);
    events -= ((Held) batch).events.size();
    for (List<AnalyticsEvent> part : parts) {
      Held held = new Held(part);
      batches.add(at++, held);
      out.add(held);
      events += part.size();
    }
    return out;
  }

  @Override
  public synchronized long size() {
    return events;
  }

  /** Events held (waiting or being sent). */
  public synchronized int events() {
    return events;
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public void close() {}
}
