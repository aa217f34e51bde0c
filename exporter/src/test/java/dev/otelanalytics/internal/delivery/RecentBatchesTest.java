package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentBatchesTest {
  private static Outbox.Entry entry(int i) {
    Path dir = Paths.get("outbox");
    return new Outbox.Entry(dir.resolve("b-" + i + ".jsonl"));
  }

  private static List<AnalyticsEvent> batch(int size) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      out.add(Events.at("2026-11-29T10:00:00Z", "e" + i));
    }
    return out;
  }

  @Test
  void givesABatchOnceWithTheLengthItWasSealedWith() {
    RecentBatches recent = new RecentBatches();
    List<AnalyticsEvent> events = batch(3);
    recent.put(entry(1), events, 321);
    RecentBatches.Sealed sealed = recent.take(entry(1));
    assertThat(sealed.events).isSameAs(events);
    assertThat(sealed.bytes).isEqualTo(321);
    assertThat(recent.take(entry(1))).isNull();
    assertThat(recent.take(entry(2))).isNull();
  }

  @Test
  void holdsAtMostItsAllowanceTheOldestBatchesGoingFirst() {
    RecentBatches recent = new RecentBatches();
    int perBatch = 100;
    int batches = RecentBatches.MAX_EVENTS / perBatch + 5;
    for (int i = 0; i < batches; i++) {
      recent.put(entry(i), batch(perBatch), 1000);
    }
    int kept = RecentBatches.MAX_EVENTS / perBatch;
    for (int i = 0; i < batches - kept; i++) {
      assertThat(recent.take(entry(i))).as("batch %d", i).isNull();
    }
    for (int i = batches - kept; i < batches; i++) {
      assertThat(recent.take(entry(i))).as("batch %d", i).isNotNull();
    }
  }

  @Test
  void aBatchLargerThanTheAllowanceOrEmptyIsNotKeptAndClearForgetsAll() {
    RecentBatches recent = new RecentBatches();
    recent.put(entry(1), batch(RecentBatches.MAX_EVENTS + 1), 1);
    recent.put(entry(2), Collections.<AnalyticsEvent>emptyList(), 0);
    assertThat(recent.take(entry(1))).isNull();
    assertThat(recent.take(entry(2))).isNull();
    recent.put(entry(3), batch(2), 10);
    recent.clear();
    assertThat(recent.take(entry(3))).isNull();
  }
}
