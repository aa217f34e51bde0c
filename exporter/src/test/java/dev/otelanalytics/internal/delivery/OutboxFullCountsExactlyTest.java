package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.delivery.SenderHandOverTest.HeldDestination;
import dev.otelanalytics.testing.Events;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the outbox is full, making room never deletes a batch that is being sent, so no event is
 * both delivered and counted as dropped (issue 14, fault 9).
 */
class OutboxFullCountsExactlyTest {
  @TempDir Path dir;

  static List<AnalyticsEvent> events(int n, String name) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Events.at("2026-01-01T00:00:00Z", name + i, Map.of("padding", "x".repeat(200))));
    }
    return out;
  }

  @Test
  void makingRoomSkipsABatchAnotherOutboxIsSending() throws Exception {
    DeliveryCounters sending = new DeliveryCounters();
    DeliveryCounters writing = new DeliveryCounters();
    try (Outbox a = Outbox.open(dir, 4096, sending); Outbox b = Outbox.open(dir, 4096, writing)) {
      a.add(events(3, "in-flight-"));
      BatchStore.Batch inFlight = a.pending().get(0);
      assertThat(a.claim(inFlight)).hasSize(3);

      for (int i = 0; i < 10; i++) {
        b.add(events(3, "new-" + i + "-"));
      }

      assertThat(a.read(inFlight)).as("the batch being sent is still there").hasSize(3);
      a.acknowledge(inFlight);
      long left = 0;
      for (BatchStore.Batch batch : b.pending()) {
        left += b.read(batch).size();
      }
      assertThat(writing.droppedOutboxFull.sum() + left).as("every event b wrote is dropped (counted) or still there")
          .isEqualTo(30);
      assertThat(sending.droppedOutboxFull.sum()).isZero();
    }
  }

  @Test
  void theBatchBeingSentWhenTheOutboxFillsIsDeliveredAndNotAlsoCountedAsDropped() throws Exception {
    HeldDestination destination = new HeldDestination(true, DeliveryResult.delivered());
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("svc").setStateDirectory(dir)
        .setDestination(destination).setBatchSize(1).setOutboxMaxSize(2048).setLocalHistory(false)
        .setRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).setShutdownTimeout(Duration.ofSeconds(5)).build();
    Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build().get("svc");
    tracer.spanBuilder("first").startSpan().end();
    assertThat(destination.entered.await(10, TimeUnit.SECONDS)).as("the first batch is being sent").isTrue();
    for (int i = 0; i < 20; i++) {
      tracer.spanBuilder("more-" + i).startSpan().end();
    }
    analytics.spanProcessor().forceFlush();   // writes all; the sender is still held
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (analytics.stats().droppedOutboxFull() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    destination.release.countDown();
    analytics.shutdown().join(20, TimeUnit.SECONDS);

    DeliveryStats stats = analytics.stats();
    assertThat(stats.droppedOutboxFull()).as("the bound was reached").isPositive();
    assertThat(destination.delivered()).doesNotHaveDuplicates();
    assertThat(stats.eventsDelivered()).isEqualTo(destination.delivered().size());
    assertThat(stats.eventsDelivered() + stats.droppedOutboxFull()).as("delivered + dropped").isEqualTo(stats.accepted());
  }
}
