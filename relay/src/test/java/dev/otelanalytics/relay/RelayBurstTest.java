package dev.otelanalytics.relay;

import static dev.otelanalytics.relay.OtlpMessages.kv;
import static dev.otelanalytics.relay.OtlpMessages.resource;
import static dev.otelanalytics.relay.OtlpMessages.rootSpan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.DeliveryStats;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of concurrent OTLP requests, bounded in count and time, on loopback: the relay answers
 * every request 200, 429 or 503 (never fails one), keeps its memory bounded (these tests run in a
 * 384 MiB heap, see the pom), each span's event reaches PostHog exactly once after the clients'
 * resends, and the counts add up. Prints the measured throughput as {@code [relay] ...} lines.
 */
class RelayBurstTest {
  private static final int THREADS = 8;

  @TempDir Path dir;

  @Test
  void aBurstIntoASmallQueueIsAnswered429AndEveryEventArrivesOnce() throws Exception {
    Run run = burst(Map.of("otel.analytics.queue.size", "64"), 25, 20);
    assertThat(run.retryAnswers).as("a queue of 64 cannot take 8 clients' bursts without asking them to wait").isPositive();
  }

  @Test
  void throughputWithTheDefaultQueueAndBatchSize() throws Exception {
    burst(Map.of(), 50, 100);
  }

  /** The sender has one request in flight at a time: larger batches (PostHog takes up to 20 MB a request) send more a second. */
  @Test
  void throughputWithBatchesOf1000() throws Exception {
    burst(Map.of("otel.analytics.batch.size", "1000"), 50, 100);
  }

  private Run burst(Map<String, String> extra, int requestsPerThread, int spansPerRequest) throws Exception {
    Run run = new Run();
    int total = THREADS * requestsPerThread * spansPerRequest;
    try (RelayHarness h = RelayHarness.start(dir, extra)) {
      ExecutorService clients = Executors.newFixedThreadPool(THREADS);
      Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
      HeapSampler heap = new HeapSampler();
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(clients.submit(() -> {
          for (int r = 0; r < requestsPerThread; r++) {
            Span[] spans = new Span[spansPerRequest];
            for (int s = 0; s < spansPerRequest; s++) {
              spans[s] = rootSpan("burst-" + thread + "-" + r + "-" + s).addAttributes(kv("cli.command", "burst")).build();
            }
            byte[] body = OtlpMessages.traces(resource(kv("service.name", "svc-" + thread)), spans).toByteArray();
            for (int attempt = 0; ; attempt++) {
              assertThat(attempt).as("resends of one request").isLessThan(3_000);
              HttpResponse<byte[]> response = h.post("/v1/traces", body, "application/x-protobuf");
              statuses.computeIfAbsent(response.statusCode(), k -> new AtomicLong()).incrementAndGet();
              if (response.statusCode() == 200) {
                break;
              }
              assertThat(response.statusCode()).as("a refused burst request").isIn(429, 503);
              assertThat(response.headers().firstValue("Retry-After")).isPresent();
              Thread.sleep(5); // a test client: much sooner than Retry-After asks, to keep the test short
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      long in = System.nanoTime() - start;
      clients.shutdown();
      List<Map<String, Object>> events = h.awaitEvents(total, Duration.ofSeconds(120));
      long out = System.nanoTime() - start;
      long peakHeap = heap.stop();
      assertThat(h.relay.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

      Set<Object> names = new HashSet<>();
      events = h.events();
      events.forEach(e -> names.add(e.get("event")));
      assertThat(events).as("each event exactly once").hasSize(total);
      assertThat(names).hasSize(total);
      DeliveryStats stats = h.relay.analyticsStats();
      long dropped = stats.droppedQueueFull() + stats.droppedAfterShutdown() + stats.droppedProcessorError()
          + stats.mappingFailures() + stats.droppedRejected() + stats.droppedOversize() + stats.droppedOutboxFull()
          + stats.droppedCorrupt();
      assertThat(stats.accepted()).as("accepted = delivered + dropped with a reason").isEqualTo(stats.eventsDelivered() + dropped);
      assertThat(stats.accepted()).isEqualTo(total);
      assertThat(statuses.keySet()).isSubsetOf(200, 429, 503);
      run.retryAnswers = statuses.getOrDefault(429, new AtomicLong()).get() + statuses.getOrDefault(503, new AtomicLong()).get();
      System.out.printf("[relay] %d clients x %d requests x %d spans (queue %s, batch %s): %.0f spans/s in, %.0f events/s out"
              + " (PostHog on loopback, outbox on disk); answers %s; peak heap in use %d MiB (-Xmx384m)%n",
          THREADS, requestsPerThread, spansPerRequest, extra.getOrDefault("otel.analytics.queue.size", "16384 (default)"),
          extra.getOrDefault("otel.analytics.batch.size", "100 (default)"),
          total / (in / 1e9), total / (out / 1e9), statuses, peakHeap >> 20);
    }
    return run;
  }

  /** The most heap in use (garbage included) seen every 10 ms. */
  private static final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread = new Thread(() -> {
      Runtime runtime = Runtime.getRuntime();
      while (running) {
        peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");

    HeapSampler() {
      thread.setDaemon(true);
      thread.start();
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join(1_000);
      return peak.get();
    }
  }

  private static final class Run {
    long retryAnswers;
  }
}
