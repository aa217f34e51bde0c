package dev.otelanalytics.relay.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the relay received and how it answered, since start; cheap to bump from any HTTP thread. */
public final class RelayCounters {
  private final Map<Outcome, LongAdder> requests = new EnumMap<>(Outcome.class);
  /** Spans in requests answered 200: taken (selected or not). */
  public final LongAdder spansReceived = new LongAdder();
  /** Spans refused as invalid (partial success). */
  public final LongAdder spansRejected = new LongAdder();
  /** Spans in requests answered 429/503 for lack of room: the client sends them again. */
  public final LongAdder spansRefused = new LongAdder();
  /** Data points in requests answered 200. */
  public final LongAdder pointsReceived = new LongAdder();
  /** Data points refused as invalid (partial success). */
  public final LongAdder pointsRejected = new LongAdder();
  /** Cumulative points that only set the starting value of their stream (see {@code CumulativeToDelta}). */
  public final LongAdder pointsBaseline = new LongAdder();
  /** Streams forgotten because more were tracked than the limit. */
  public final LongAdder streamsEvicted = new LongAdder();

  public RelayCounters() {
    for (Outcome outcome : Outcome.values()) {
      requests.put(outcome, new LongAdder());
    }
  }

  public void count(Outcome outcome) {
    requests.get(outcome).increment();
  }

  public long requests(Outcome outcome) {
    return requests.get(outcome).sum();
  }
}
