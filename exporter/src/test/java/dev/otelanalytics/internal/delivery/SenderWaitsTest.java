package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sender that waits uses no CPU: a batch's own backoff ending during the common backoff does not make it spin. */
class SenderWaitsTest {
  @TempDir Path dir;

  /** Jitter fractions in this order: a batch's own backoff first, then the common one, per failure. */
  private static final class Scripted extends Random {
    private static final long serialVersionUID = 1L;
    private final double[] values = {0.9, 0.1, 0.5, 0.99, 0.5, 0.99, 0.5, 0.99};
    private int next;

    @Override
    public synchronized double nextDouble() {
      return values[Math.min(next++, values.length - 1)];
    }
  }

  private static Set<Thread> senders() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("otel-analytics-sender")) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void whileTheCommonBackoffRunsTheSenderSleepsEvenWhenABatchOfItsOwnIsDue() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Destination down = new Destination() {
      @Override
      public String name() {
        return "down";
      }

      @Override
      public boolean isRemote() {
        return true;
      }

      @Override
      public DeliveryResult send(List<AnalyticsEvent> events) {
        attempts.incrementAndGet();
        return DeliveryResult.retry("HTTP 503", null);
      }
    };
    DeliveryCounters counters = new DeliveryCounters();
    Set<Thread> before = senders();
    OutboxSink sink = new OutboxSink(down, () -> Outbox.open(dir, 1 << 20, counters),
        new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(2), new Scripted()), counters, 100);
    sink.start();
    sink.accept(List.of(Events.at("2026-01-01T00:00:00Z", "a")));
    sink.accept(List.of(Events.at("2026-01-01T00:00:00Z", "b")));
    Set<Thread> started = senders();
    started.removeAll(before);
    Thread sender = started.iterator().next();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    long cpuBefore = threads.getThreadCpuTime(sender.getId());
    Thread.sleep(2_500);
    long cpuMillis = TimeUnit.NANOSECONDS.toMillis(threads.getThreadCpuTime(sender.getId()) - cpuBefore);
    sink.close(System.nanoTime());

    assertThat(attempts.get()).as("attempts in 2.5 s of backoff").isBetween(2, 6);
    assertThat(cpuMillis).as("ms of CPU the sender used while waiting").isLessThan(300);
  }
}
