package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload: eight threads end spans as fast as they can, first while the endpoint answers, then
 * while it is stalled (requests hang). The app threads' {@code onEnd} stays as fast as before (it
 * only offers to the bounded queue), the heap does not grow with the backlog (the queue bound
 * plus a small constant: the rest is on disk or dropped), every span is accepted or dropped and
 * counted, and once the endpoint answers again every accepted event is delivered or dropped with
 * a reason. Timings are measured and printed, asserted only loosely.
 */
class WorkerOverloadFaultsTest {
  private static final int THREADS = 8;
  private static final long FLOWING_MILLIS = 1_000;
  private static final long STALLED_MILLIS = 2_000;

  @TempDir Path stateDir;

  /** Times each onEnd of the analytics processor: a power-of-two histogram per thread, and the maximum. */
  static final class Timed implements SpanProcessor {
    final SpanProcessor delegate;
    final ConcurrentLinkedQueue<long[]> histograms = new ConcurrentLinkedQueue<>();
    final ThreadLocal<long[]> mine = ThreadLocal.withInitial(() -> {
      long[] h = new long[65];
      histograms.add(h);
      return h;
    });
    final AtomicLong max = new AtomicLong();
    final AtomicLong calls = new AtomicLong();

    Timed(SpanProcessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      long start = System.nanoTime();
      delegate.onEnd(span);
      long took = System.nanoTime() - start;
      mine.get()[64 - Long.numberOfLeadingZeros(took)]++;
      if (took > max.get()) {
        max.accumulateAndGet(took, Math::max);
      }
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }

    /** Starts a new phase: the histograms and maximum so far are returned and cleared. */
    synchronized String takePhase() {
      long[] sum = new long[65];
      for (long[] h : histograms) {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += h[i];
          h[i] = 0;   // racy with the (stopped) producers only
        }
      }
      long total = 0;
      for (long n : sum) {
        total += n;
      }
      calls.addAndGet(total);
      long seen = 0;
      int p99 = 0;
      int p50 = 0;
      for (int i = 0; i < sum.length; i++) {
        seen += sum[i];
        if (p50 == 0 && seen >= total * 0.50) {
          p50 = i;
        }
        if (seen >= total * 0.99) {
          p99 = i;
          break;
        }
      }
      String out = "calls=" + total + " p50<=" + (1L << p50) + "ns p99<=" + (1L << p99) + "ns max=" + max.getAndSet(0) / 1000 + "us";
      lastP99 = 1L << p99;
      return out;
    }

    long lastP99;
  }

  @Test
  void eightThreadsEndingSpansAgainstAStalledEndpointNeverWaitAndEverySpanIsCounted() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (LocalPostHog server = new LocalPostHog()) {
      OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("overload").setStateDirectory(stateDir)
          .setDestination(PostHogDestination.builder().setEndpoint(server.url()).setApiKey("phc_overloadFaultsKey42")
              .setTimeout(Duration.ofMinutes(1)).build())
          .setShutdownTimeout(Duration.ofSeconds(5)).build();
      Timed timed = new Timed(analytics.spanProcessor());
      SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(timed).build();
      Tracer tracer = provider.get("overload");
      System.gc();
      long baseline = memory.getHeapMemoryUsage().getUsed();

      String flowing = produce(tracer, FLOWING_MILLIS, memory, null);
      String flowingLatency = timed.takePhase();
      long flowingP99 = timed.lastP99;

      server.stall();
      AtomicLong peakHeap = new AtomicLong();
      String stalled = produce(tracer, STALLED_MILLIS, memory, peakHeap);
      String stalledLatency = timed.takePhase();
      long stalledP99 = timed.lastP99;
      System.gc();
      System.gc();
      long retainedMiB = (memory.getHeapMemoryUsage().getUsed() - baseline) >> 20;
      DeliveryStats during = analytics.stats();

      server.answer();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while ((analytics.stats().outboxSize() > 0 || analytics.stats().queued() > 0) && System.nanoTime() < deadline) {
        analytics.forceFlush().join(10, TimeUnit.SECONDS);
        Thread.sleep(20);
      }
      analytics.shutdown().join(20, TimeUnit.SECONDS);
      DeliveryStats stats = analytics.stats();

      assertThat(stats.accepted() + stats.droppedQueueFull() + stats.droppedAfterShutdown())
          .as("every onEnd is accepted or dropped and counted").isEqualTo(timed.calls.get());
      assertThat(during.droppedQueueFull()).as("the queue overflowed").isPositive();
      // Loose: a flat onEnd, not a benchmark (two cores, eight producers, the worker and the sender).
      assertThat(stalledP99).as("p99 of onEnd while stalled vs flowing").isLessThanOrEqualTo(Math.max(16 * flowingP99, 65_536));
      assertThat(retainedMiB).as("MiB retained after GC with the endpoint stalled").isLessThan(64);
      FaultAccounting.check("overload, 8 threads, stalled endpoint", stats.accepted(), server.accounting(), stats,
          "dropped_queue_full=" + stats.droppedQueueFull() + " | flowing: " + flowing + " " + flowingLatency
              + " | stalled: " + stalled + " " + stalledLatency + " | peak_heap_used=" + (peakHeap.get() >> 20) + "MiB"
              + " retained_after_gc=" + retainedMiB + "MiB (baseline " + (baseline >> 20) + "MiB)");
    }
  }

  /** Eight threads end spans for {@code millis}; samples the heap into {@code peakHeap} when given. */
  private static String produce(Tracer tracer, long millis, MemoryMXBean memory, AtomicLong peakHeap) throws InterruptedException {
    AtomicBoolean go = new AtomicBoolean(true);
    AtomicLong spans = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread producer = new Thread(() -> {
        long n = 0;
        while (go.get()) {
          tracer.spanBuilder("request").startSpan().end();
          n++;
        }
        spans.addAndGet(n);
      });
      threads.add(producer);
      producer.start();
    }
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      if (peakHeap != null) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      }
      Thread.sleep(10);
    }
    go.set(false);
    for (Thread producer : threads) {
      producer.join();
    }
    return "spans=" + spans.get();
  }
}
