package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst: four threads end spans as fast as they can against a local PostHog endpoint that
 * answers at once ({@link LocalPostHog}), so the worker writes the outbox faster than the sender empties it. Whatever
 * the bound drops is counted exactly (issue 14, fault 9): no batch is both delivered and dropped.
 *
 * <p>The suite runs a small burst into a 1 MiB outbox. The measurement behind the defaults in
 * docs/delivery.md: {@code -Dfaults.burst.events=200000 -Dfaults.burst.outbox=67108864}, optionally
 * {@code -Dfaults.burst.queue=2048} (the default queue, which then drops most of the burst) and
 * {@code -Dfaults.burst.trace=true} (a progress line a second).
 */
class OutboxBurstFaultsTest {
  private static final int EVENTS = Integer.getInteger("faults.burst.events", 20_000);
  /** Large enough to take every span, so that the outbox, not the queue, is what the burst fills. */
  private static final int QUEUE = Integer.getInteger("faults.burst.queue", EVENTS);
  private static final long OUTBOX = Long.getLong("faults.burst.outbox", 1024L * 1024);
  private static final int THREADS = 4;
  /** Events a second in all, 0 for as fast as the threads can. */
  private static final int RATE = Integer.getInteger("faults.burst.rate", 0);
  /** How long the endpoint takes to answer (PostHog over the internet: 100 ms or more). */
  private static final long RTT_MILLIS = Long.getLong("faults.burst.rttMillis", 0);
  private static final int BATCH = Integer.getInteger("faults.burst.batch", 100);

  @TempDir Path stateDir;

  @Test
  void fourThreadsEndingSpansAsFastAsTheyCanAgainstALocalEndpoint() throws Exception {
    try (LocalPostHog server = new LocalPostHog(RTT_MILLIS)) {
      OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("burst").setStateDirectory(stateDir)
          .setDestination(PostHogDestination.builder().setEndpoint(server.url()).setApiKey("phc_burstFaultsKey42").build())
          .setQueueSize(QUEUE).setOutboxMaxSize(OUTBOX).setBatchSize(BATCH).setShutdownTimeout(Duration.ofSeconds(5)).build();
      SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
      Tracer tracer = provider.get("burst");

      AtomicBoolean producing = new AtomicBoolean(true);
      AtomicLong peakOutboxBytes = new AtomicLong();
      long traceStart = System.nanoTime();
      Thread monitor = new Thread(() -> {
        while (producing.get()) {
          DeliveryStats seen = analytics.stats();
          peakOutboxBytes.accumulateAndGet(seen.outboxSize(), Math::max);
          if (Boolean.getBoolean("faults.burst.trace")) {
            System.out.println("[trace] " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - traceStart) + " ms queued=" + seen.queued() + " delivered=" + seen.eventsDelivered() + " dropped=" + seen.droppedOutboxFull() + " outbox=" + seen.outboxSize());
          }
          sleep(Boolean.getBoolean("faults.burst.trace") ? 1000 : 50);
        }
      });
      monitor.setDaemon(true);
      monitor.start();

      long start = System.nanoTime();
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread producer = new Thread(() -> {
          long interval = RATE == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * THREADS / RATE;
          long next = System.nanoTime();
          for (int i = 0; i < EVENTS / THREADS; i++) {
            if (interval > 0) {
              next += interval;
              while (System.nanoTime() < next) {
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
              }
            }
            tracer.spanBuilder("burst-" + thread).startSpan().end();
          }
        });
        producers.add(producer);
        producer.start();
      }
      for (Thread producer : producers) {
        producer.join();
      }
      long producedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("faults.burst.drainSeconds", 120));
      DeliveryStats stats = analytics.stats();
      while ((stats.queued() > 0 || stats.outboxSize() > 0) && System.nanoTime() < deadline) {
        analytics.forceFlush().join(10, TimeUnit.SECONDS);
        sleep(20);
        stats = analytics.stats();
      }
      long drainedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      producing.set(false);
      assertThat(analytics.shutdown().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
      stats = analytics.stats();

      assertThat(stats.accepted() + stats.droppedQueueFull()).as("every span ended is accepted or dropped").isEqualTo(EVENTS);
      FaultAccounting.check("burst (" + THREADS + " threads, " + EVENTS + " spans" + (RATE == 0 ? "" : " at " + RATE + "/s")
          + ", queue " + QUEUE + ", outbox " + OUTBOX + " B, batch " + BATCH + (RTT_MILLIS == 0 ? "" : ", answers after "
          + RTT_MILLIS + " ms") + ")", stats.accepted(), server.accounting(), stats,
          "dropped_queue_full=" + stats.droppedQueueFull() + " producers_ms=" + producedMillis + " all_out_ms=" + drainedMillis
              + " peak_outbox_bytes=" + peakOutboxBytes.get() + " requests=" + server.requests()
              + " retries=" + stats.retries());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
