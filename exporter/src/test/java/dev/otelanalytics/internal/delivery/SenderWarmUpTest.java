package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.testing.Events;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender loads the destination's HTTP client once something was written to the outbox, not
 * when it starts: a service that has not handled a request yet (an agent starting up) loads none
 * of it, and the first batch still finds it ready.
 */
class SenderWarmUpTest {
  @TempDir Path dir;

  /** Counts its warm-ups. */
  static final class WarmingDestination extends OutboxSinkLifecycleTest.CountingDestination {
    final AtomicInteger warmUps = new AtomicInteger();
    final CountDownLatch warmed = new CountDownLatch(1);

    @Override
    public void warmUp() {
      warmUps.incrementAndGet();
      warmed.countDown();
    }
  }

  private static java.util.List<dev.otelanalytics.event.AnalyticsEvent> events(int n) {
    java.util.List<dev.otelanalytics.event.AnalyticsEvent> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Events.at(java.time.Instant.now().toString(), "command"));
    }
    return out;
  }

  @Test
  void theClientIsLoadedAfterTheFirstEventsAreWrittenAndOnlyOnce() throws Exception {
    DeliveryCounters counters = new DeliveryCounters();
    WarmingDestination destination = new WarmingDestination();
    OutboxSink sink = new OutboxSink(destination, () -> Outbox.open(dir, 1 << 20, counters),
        new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), new Random(1)), counters, 100);
    sink.start();
    try {
      assertThat(destination.warmed.await(300, TimeUnit.MILLISECONDS)).as("nothing written yet: nothing loaded").isFalse();

      sink.append(events(3));
      assertThat(destination.warmed.await(10, TimeUnit.SECONDS)).as("loaded once events were written").isTrue();
      sink.append(events(2));
      sink.seal();
      assertThat(sink.flushed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(destination.sent()).isEqualTo(5);
      assertThat(destination.warmUps.get()).isEqualTo(1);
    } finally {
      sink.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }
  }
}
