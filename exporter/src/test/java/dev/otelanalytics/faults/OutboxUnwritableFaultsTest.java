package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.delivery.DeliveryCounters;
import dev.otelanalytics.internal.delivery.DeliveryWorker;
import dev.otelanalytics.internal.delivery.Outbox;
import dev.otelanalytics.internal.delivery.OutboxSink;
import dev.otelanalytics.internal.delivery.RetryPolicy;
import dev.otelanalytics.testing.PhasedDispatcher;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox fills up, or cannot be written for a while (a full or read-only disk): what the
 * bound drops is counted, what the disk cannot take waits in memory and is delivered, and nothing
 * is lost without a reason.
 */
class OutboxUnwritableFaultsTest {
  @TempDir Path stateDir;

  @Test
  void anOutageFillsASmallOutboxAndTheOldestBatchesAreDroppedAndCounted() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(503));
      server.setDispatcher(dispatcher);
      server.start();
      OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("full").setStateDirectory(stateDir)
          .setDestination(PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey("phc_fullFaultsKey42")
              .build())
          .setBatchSize(20).setOutboxMaxSize(16 * 1024).setRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
          .setShutdownTimeout(Duration.ofSeconds(5)).build();
      Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build().get("full");
      for (int i = 0; i < 1_000; i++) {
        tracer.spanBuilder("during-the-outage").startSpan().end();
        if (i % 100 == 99) {
          analytics.forceFlush().join(5, TimeUnit.SECONDS);
        }
      }
      analytics.forceFlush().join(5, TimeUnit.SECONDS);
      dispatcher.setPhase(() -> PhasedDispatcher.status(200));
      drain(analytics);
      analytics.shutdown().join(10, TimeUnit.SECONDS);

      DeliveryStats stats = analytics.stats();
      assertThat(stats.droppedOutboxFull()).as("16 KiB holds far fewer than 1,000 events").isPositive();
      FaultAccounting.check("outbox full during an outage (16 KiB bound)", stats.accepted(), dispatcher.accounting(), stats,
          "retries=" + stats.retries());
    }
  }

  @Test
  void whileTheDiskIsFullOrReadOnlyBatchesWaitInMemoryAndAreDelivered() throws Exception {
    AtomicBoolean full = new AtomicBoolean();
    Outbox.Disk disk = (channel, file, content) -> {
      if (full.get()) {
        throw new FileSystemException(file.toString(), null, "No space left on device");
      }
      Outbox.Disk.REAL.write(channel, file, content);
    };
    DeliveryCounters counters = new DeliveryCounters();
    try (MockWebServer server = new MockWebServer()) {
      PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(200));
      server.setDispatcher(dispatcher);
      server.start();
      PostHogDestination destination = PostHogDestination.builder().setEndpoint(server.url("/").toString())
          .setApiKey("phc_diskFullFaultsKey42").build();
      OutboxSink sink = new OutboxSink(destination, () -> Outbox.open(stateDir.resolve("outbox"), 1 << 20, counters, disk),
          new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(50), new Random(1)), counters, 2048);
      DeliveryWorker worker = new DeliveryWorker(() -> (span, out) -> out.accept(AnalyticsEvent.create(span.getName(),
          "install-1", span.getEndEpochNanos(), UUID.randomUUID().toString(), Collections.emptyMap())),
          sink, List.of(), 2048, 25, Duration.ofMillis(200), counters);
      Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(new Offer(worker)).build().get("disk");

      int spans = 0;
      for (String phase : List.of("disk-fine", "disk-full", "disk-fine-again")) {
        full.set(phase.equals("disk-full"));
        if (phase.equals("disk-full")) {
          dispatcher.setPhase(() -> PhasedDispatcher.status(503));   // and the endpoint down: memory holds them
        }
        for (int i = 0; i < 300; i++) {
          tracer.spanBuilder(phase).startSpan().end();
          spans++;
        }
        worker.forceFlush().join(5, TimeUnit.SECONDS);
        dispatcher.setPhase(() -> PhasedDispatcher.status(200));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (counters.eventsDelivered.sum() + counters.droppedOutboxFull.sum() < counters.accepted.sum()
          && System.nanoTime() < deadline) {
        worker.forceFlush().join(5, TimeUnit.SECONDS);
        Thread.sleep(20);
      }
      assertThat(worker.shutdown(Duration.ofSeconds(5)).isSuccess()).isTrue();

      assertThat(counters.accepted.sum()).isEqualTo(spans);
      FaultAccounting.check("disk full then writable again (endpoint down meanwhile)", spans, dispatcher.accounting(),
          List.of(FaultAccounting.Counts.of(counters)), "");
    }
  }

  /** Hands every span to the worker, as the analytics span processor does. */
  private static final class Offer implements SpanProcessor {
    private final DeliveryWorker worker;

    Offer(DeliveryWorker worker) {
      this.worker = worker;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      worker.offer(span);
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  private static void drain(OtelAnalytics analytics) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((analytics.stats().outboxSize() > 0 || analytics.stats().queued() > 0) && System.nanoTime() < deadline) {
      analytics.forceFlush().join(5, TimeUnit.SECONDS);
      Thread.sleep(20);
    }
  }
}
