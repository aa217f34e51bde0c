package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.internal.delivery.Outbox;
import dev.otelanalytics.testing.PhasedDispatcher;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances in this JVM and a third in another JVM share one state directory while the
 * endpoint is down and the outbox bound is small: each batch has one sender at a time, batches of
 * instances that ended are taken over, what the bound drops is counted once by whoever dropped
 * it, and in the end every event is delivered once or dropped with a reason.
 */
class OutboxSharedStateFaultsTest {
  private static final int SPANS = 300;

  @TempDir Path stateDir;

  static OtelAnalytics analytics(Path stateDir, String endpoint, Duration shutdownTimeout) {
    return OtelAnalytics.builder().setServiceName("shared").setStateDirectory(stateDir)
        .setDestination(PostHogDestination.builder().setEndpoint(endpoint).setApiKey("phc_sharedFaultsKey42").build())
        .setBatchSize(20).setOutboxMaxSize(48 * 1024).setRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .setShutdownTimeout(shutdownTimeout).build();
  }

  static void endSpans(OtelAnalytics analytics, String name, int n) {
    Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build().get("shared");
    for (int i = 0; i < n; i++) {
      tracer.spanBuilder(name).startSpan().end();
      if (i % 50 == 49) {
        try {
          Thread.sleep(30);   // interleave with the other instances
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The instance in the other JVM: ends its spans, shuts down, prints what it counted. */
  public static final class OtherProcess {
    public static void main(String[] args) {
      OtelAnalytics analytics = analytics(Path.of(args[0]), args[1], Duration.ofMillis(500));
      endSpans(analytics, "other-jvm", Integer.parseInt(args[2]));
      analytics.shutdown().join(10, TimeUnit.SECONDS);
      DeliveryStats s = analytics.stats();
      System.out.println("COUNTS " + s.accepted() + " " + s.eventsDelivered() + " " + s.droppedOutboxFull() + " "
          + s.droppedCorrupt() + " " + s.droppedRejected() + " " + s.droppedOversize() + " " + s.mappingFailures() + " "
          + s.eventsFailed());
    }
  }

  @Test
  void twoInstancesAndAnotherJvmShareAStateDirectoryThroughAnOutage() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(503));
      server.setDispatcher(dispatcher);
      server.start();
      String endpoint = server.url("/").toString();
      Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), OtherProcess.class.getName(), stateDir.toString(), endpoint,
          Integer.toString(SPANS)).redirectErrorStream(true).start();

      OtelAnalytics a = analytics(stateDir, endpoint, Duration.ofMillis(500));
      OtelAnalytics b = analytics(stateDir, endpoint, Duration.ofSeconds(5));
      Thread ta = new Thread(() -> endSpans(a, "instance-a", SPANS));
      Thread tb = new Thread(() -> endSpans(b, "instance-b", SPANS));
      ta.start();
      tb.start();
      ta.join();
      tb.join();
      a.shutdown().join(10, TimeUnit.SECONDS);   // its batches stay, for b to take over
      assertThat(other.waitFor(60, TimeUnit.SECONDS)).as("the other JVM ends").isTrue();
      String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(output).as(output).contains("COUNTS ");

      dispatcher.setPhase(() -> PhasedDispatcher.status(200));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Outbox.batchFiles(stateDir.resolve("outbox")).isEmpty() && System.nanoTime() < deadline) {
        b.forceFlush().join(5, TimeUnit.SECONDS);   // a flush also takes over the batches of instances that ended
        Thread.sleep(20);
      }
      b.shutdown().join(10, TimeUnit.SECONDS);

      String[] n = output.substring(output.indexOf("COUNTS ") + 7).trim().split("\\s+");
      Map<String, Long> otherDrops = new LinkedHashMap<>();
      String[] reasons = {"outbox_full", "corrupt", "rejected", "oversize", "mapping", "failed"};
      for (int i = 0; i < reasons.length; i++) {
        otherDrops.put(reasons[i], Long.parseLong(n[2 + i]));
      }
      List<FaultAccounting.Counts> counts = new ArrayList<>();
      counts.add(FaultAccounting.Counts.of(a.stats()));
      counts.add(FaultAccounting.Counts.of(b.stats()));
      counts.add(new FaultAccounting.Counts(Long.parseLong(n[1]), otherDrops));
      long accepted = a.stats().accepted() + b.stats().accepted() + Long.parseLong(n[0]);
      assertThat(accepted).isEqualTo(3L * SPANS);
      assertThat(Outbox.batchFiles(stateDir.resolve("outbox"))).isEmpty();
      FaultAccounting.check("two instances and a second JVM on one state directory (48 KiB bound, outage)", accepted,
          dispatcher.accounting(), counts, "requests=" + dispatcher.exchanges().size());
    }
  }
}
