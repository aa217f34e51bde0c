package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.event.AnalyticsEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The in-memory fallback store: bounded by events, oldest dropped and counted, split in place. */
class MemoryBatchStoreTest {
  private final DeliveryCounters counters = new DeliveryCounters();

  private static AnalyticsEvent event(String name) {
    return AnalyticsEvent.create(name, "install-1", 1_000L, UUID.randomUUID().toString(), Map.of("k", name));
  }

  private static List<AnalyticsEvent> events(String prefix, int n) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(event(prefix + i));
    }
    return out;
  }

  private static List<BatchStore.Batch> pending(MemoryBatchStore store) {
    return new ArrayList<>(store.pending());
  }

  private static List<String> names(MemoryBatchStore store) {
    List<String> out = new ArrayList<>();
    for (BatchStore.Batch b : store.pending()) {
      out.addAll(store.read(b).stream().map(AnalyticsEvent::name).collect(Collectors.toList()));
    }
    return out;
  }

  @Test
  void addPendingReadAcknowledge() {
    MemoryBatchStore store = new MemoryBatchStore(100, counters);
    List<AnalyticsEvent> first = events("a", 2);
    List<AnalyticsEvent> second = events("b", 3);

    BatchStore.Batch a = store.add(first);
    BatchStore.Batch b = store.add(second);

    assertThat(pending(store)).containsExactly(a, b);
    assertThat(store.read(a)).containsExactlyElementsOf(first);
    assertThat(store.read(b)).containsExactlyElementsOf(second);
    assertThat(store.size()).isEqualTo(5);

    store.acknowledge(a);

    assertThat(pending(store)).containsExactly(b);
    assertThat(store.size()).isEqualTo(3);
    store.acknowledge(a); // twice: no double count
    assertThat(store.size()).isEqualTo(3);
    store.acknowledge(b);
    assertThat(store.pending()).isEmpty();
    assertThat(store.size()).isZero();
    assertThat(counters.droppedOutboxFull.sum()).isZero();
  }

  @Test
  void aStoredBatchIsACopyAndCannotBeChanged() {
    MemoryBatchStore store = new MemoryBatchStore(100, counters);
    List<AnalyticsEvent> events = events("a", 2);

    BatchStore.Batch batch = store.add(events);
    events.clear();

    assertThat(store.read(batch)).hasSize(2);
    assertThatThrownBy(() -> store.read(batch).clear()).isInstanceOf(UnsupportedOperationException.class);
    List<? extends BatchStore.Batch> pending = store.pending();
    pending.clear();
    assertThat(store.pending()).hasSize(1);
  }

  @ParameterizedTest(name = "max {0}, batches of {1} -> keeps {2}, drops {3}")
  @CsvSource({
      // max, batch sizes, expected kept names, expected dropped
      "5,  2;2;2,   b1-0 b1-1 b2-0 b2-1,            2",
      "6,  2;2;2,   b0-0 b0-1 b1-0 b1-1 b2-0 b2-1,  0",
      "4,  1;1;1;1;1;1, b2-0 b3-0 b4-0 b5-0,        2",
      "5,  3;3;1,   b1-0 b1-1 b1-2 b2-0,            3",
      "3,  1;1;3,   b2-0 b2-1 b2-2,                 2",
  })
  void theBoundDropsTheOldestBatchesAndCountsTheirEvents(int max, String sizes, String kept, long dropped) {
    MemoryBatchStore store = new MemoryBatchStore(max, counters);
    String[] each = sizes.split(";");
    for (int i = 0; i < each.length; i++) {
      store.add(events("b" + i + "-", Integer.parseInt(each[i])));
      assertThat(store.size()).isLessThanOrEqualTo(max);
    }

    assertThat(names(store)).containsExactly(kept.split(" "));
    assertThat(counters.droppedOutboxFull.sum()).isEqualTo(dropped);
    assertThat(store.size()).isEqualTo(kept.split(" ").length);
  }

  /** Issue 14, fault 9: the batch being sent is delivered, so dropping it too would count it twice. */
  @Test
  void aBatchBeingSentIsNeverDroppedToMakeRoomAndIsNotPendingUntilReleased() {
    MemoryBatchStore store = new MemoryBatchStore(4, counters);
    BatchStore.Batch sending = store.add(events("s", 2));
    assertThat(store.claim(sending)).hasSize(2);
    assertThat(store.pending()).isEmpty();

    store.add(events("n", 2));
    store.add(events("m", 2));

    assertThat(store.read(sending)).as("still held").hasSize(2);
    assertThat(counters.droppedOutboxFull.sum()).as("only n0 and n1").isEqualTo(2);
    store.release(sending);
    assertThat(pending(store)).containsExactly(sending, store.pending().get(1));
  }

  @Test
  void aSingleBatchLargerThanTheBoundReplacesEverythingAndIsKept() {
    // Recorded behaviour: one batch bigger than the bound is still held whole.
    MemoryBatchStore store = new MemoryBatchStore(3, counters);
    store.add(events("old", 2));

    store.add(events("big", 5));

    assertThat(names(store)).containsExactly("big0", "big1", "big2", "big3", "big4");
    assertThat(counters.droppedOutboxFull.sum()).isEqualTo(2);
    assertThat(store.size()).isEqualTo(5);
  }

  @Test
  void splitReplacesABatchByItsPartsInItsPlace() {
    MemoryBatchStore store = new MemoryBatchStore(100, counters);
    store.add(events("before", 1));
    List<AnalyticsEvent> big = events("big", 4);
    BatchStore.Batch batch = store.add(big);
    store.add(events("after", 1));

    store.split(batch, List.of(new ArrayList<>(big.subList(0, 2)), new ArrayList<>(big.subList(2, 4))));

    assertThat(pending(store)).hasSize(4).doesNotContain(batch);
    assertThat(names(store)).containsExactly("before0", "big0", "big1", "big2", "big3", "after0");
    assertThat(store.read(store.pending().get(1))).containsExactlyElementsOf(big.subList(0, 2));
    assertThat(store.read(store.pending().get(2))).containsExactlyElementsOf(big.subList(2, 4));
    assertThat(store.size()).isEqualTo(6);
    assertThat(counters.droppedOutboxFull.sum()).isZero();
  }

  @Test
  void splitOfABatchThatIsGoneDoesNothing() {
    MemoryBatchStore store = new MemoryBatchStore(100, counters);
    BatchStore.Batch batch = store.add(events("a", 2));
    store.acknowledge(batch);

    store.split(batch, List.of(List.of(event("x")), List.of(event("y"))));

    assertThat(store.pending()).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void thePartsOfASplitCanBeAcknowledgedOneByOne() {
    MemoryBatchStore store = new MemoryBatchStore(100, counters);
    List<AnalyticsEvent> big = events("big", 3);
    BatchStore.Batch batch = store.add(big);
    store.split(batch, List.of(new ArrayList<>(big.subList(0, 1)), new ArrayList<>(big.subList(1, 3))));

    store.acknowledge(store.pending().get(0));
    assertThat(store.size()).isEqualTo(2);
    store.acknowledge(store.pending().get(0));

    assertThat(store.pending()).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void sizeFollowsTheEventsOfTheParts() {
    MemoryBatchStore store = new MemoryBatchStore(100, counters);
    BatchStore.Batch batch = store.add(events("a", 4));

    store.split(batch, List.of(List.of(event("x")), List.of(event("y"))));

    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void readOfABatchThatIsGoneIsEmpty() {
    MemoryBatchStore store = new MemoryBatchStore(2, counters);
    BatchStore.Batch acknowledged = store.add(events("a", 1));
    store.acknowledge(acknowledged);
    BatchStore.Batch dropped = store.add(events("b", 2));
    store.add(events("c", 2));

    assertThat(store.read(acknowledged)).isEmpty();
    assertThat(store.read(dropped)).isEmpty();
  }

  @Test
  void notDurable() {
    MemoryBatchStore store = new MemoryBatchStore(10, counters);

    assertThat(store.durable()).isFalse();
    store.close();
  }
}
