package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.internal.delivery.Outbox;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up and shutdown races: runs that shut down at once, with no budget or almost none, often
 * while their worker is still starting. No sender outlives its run's shutdown for long, no outbox
 * lock is left held, and a later run delivers whatever they left; every event is delivered or
 * dropped with a reason. Events a run had not yet written when its budget ran out are counted as
 * failed ({@code eventsFailed}) when its worker, abandoned, gets to them. A request cut off by the
 * deadline may still have reached the endpoint: its batch is sent again by the later run, the one
 * case where a uuid arrives twice (PostHog keeps one); each sender still counts it once.
 */
class WorkerStartStopFaultsTest {
  private static final int RUNS = 24;
  private static final long[] BUDGET_MILLIS = {0, 1, 5, 50};

  @TempDir Path stateDir;

  private static Set<Thread> senders() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().equals("otel-analytics-sender")) {
        out.add(t);
      }
    }
    return out;
  }

  private OtelAnalytics run(LocalPostHog server, Duration budget) {
    return OtelAnalytics.builder().setServiceName("start-stop").setStateDirectory(stateDir)
        .setDestination(PostHogDestination.builder().setEndpoint(server.url()).setApiKey("phc_startStopFaultsKey42").build())
        .setLocalHistory(false).setShutdownTimeout(budget).build();
  }

  @Test
  void runsThatShutDownAtOnceLeaveNoSenderOrLockAndLoseNothingUncounted() throws Exception {
    Set<Thread> before = senders();
    try (LocalPostHog server = new LocalPostHog()) {
      List<OtelAnalytics> runs = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        OtelAnalytics run = run(server, Duration.ofMillis(BUDGET_MILLIS[i % BUDGET_MILLIS.length]));
        Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(run.spanProcessor()).build().get("start-stop");
        for (int s = 0; s < 3; s++) {
          tracer.spanBuilder("command-" + i).startSpan().end();
        }
        run.shutdown();
        runs.add(run);
      }
      // The abandoned workers finish on their own; each run's events are then counted somewhere.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && runs.stream().anyMatch(r -> r.stats().queued() > 0)) {
        Thread.sleep(20);
      }
      Thread.sleep(200);

      OtelAnalytics later = run(server, Duration.ofSeconds(5));
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Outbox.batchFiles(stateDir.resolve("outbox")).isEmpty() && System.nanoTime() < deadline) {
        later.forceFlush().join(5, TimeUnit.SECONDS);
        Thread.sleep(20);
      }
      later.shutdown().join(10, TimeUnit.SECONDS);

      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Set<Thread> left = senders();
      left.removeAll(before);
      while (!left.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
        left = senders();
        left.removeAll(before);
      }
      assertThat(left).as("senders still running").isEmpty();
      try (Stream<Path> files = Files.list(stateDir.resolve("outbox"))) {
        assertThat(files.map(f -> f.getFileName().toString())).as("lock and batch files left")
            .noneMatch(n -> n.startsWith("owner-") || n.startsWith("b-"));
      }
      List<FaultAccounting.Counts> counts = new ArrayList<>();
      long accepted = 0;
      for (OtelAnalytics run : runs) {
        DeliveryStats s = run.stats();
        accepted += s.accepted();
        counts.add(FaultAccounting.Counts.of(s));
      }
      counts.add(FaultAccounting.Counts.of(later.stats()));
      assertThat(accepted).isEqualTo(3L * RUNS);
      FaultAccounting.check(RUNS + " runs shut down at once (budgets 0-50 ms), then a later run", accepted, server.accounting(),
          counts, "delivered_by_the_later_run=" + later.stats().eventsDelivered()
              + " (duplicates: requests the endpoint took but a shutdown deadline cancelled; resent by the later run)", true);
    }
  }
}
