package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.testing.Events;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A usage report the worker cannot take (its queue for ready-made events is full, or it is shutting
 * down) is not lost: the usage reporter keeps it in its window and offers it again at the next
 * export or run. So a refusal is counted as deferred, never as a dropped event.
 */
class RefusedReportsAreNotDropsTest {
  @Test
  void aReportRefusedForAFullQueueOrAfterShutdownIsDeferredNotDropped() {
    CountDownLatch starting = new CountDownLatch(1);
    DeliveryCounters counters = new DeliveryCounters();
    // The worker is held in its setup, so nothing is drained and the queue fills.
    DeliveryWorker worker = new DeliveryWorker(() -> {
      try {
        starting.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return (EventMapper) (span, out) -> {};
    }, new PromptOutboxTest.OrderSink(), List.of(), 16, 100, Duration.ofDays(1), counters);
    try {
      for (int i = 0; i < DeliveryWorker.READY_EVENTS_CAPACITY; i++) {
        assertThat(worker.offerEvent(Events.at("2026-01-01T00:00:00Z", "usage_report"))).isTrue();
      }
      assertThat(worker.offerEvent(Events.at("2026-01-01T00:00:00Z", "usage_report"))).as("the queue is full").isFalse();

      assertThat(counters.droppedQueueFull.sum()).isZero();
      assertThat(counters.usageReportsDeferred.sum()).isEqualTo(1);
    } finally {
      starting.countDown();
      worker.shutdown(Duration.ofSeconds(5));
    }

    assertThat(worker.offerEvent(Events.at("2026-01-01T00:00:00Z", "usage_report"))).as("shut down").isFalse();
    assertThat(counters.droppedAfterShutdown.sum()).isZero();
    assertThat(counters.usageReportsDeferred.sum()).isEqualTo(2);
    assertThat(counters.accepted.sum()).isEqualTo(DeliveryWorker.READY_EVENTS_CAPACITY);
  }
}
