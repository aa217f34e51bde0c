package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.testing.RecordingDestination;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app thread is never held up by analytics: a stalled destination fills the bounded queue,
 * after which spans are dropped and counted, and shutdown gives up after its timeout.
 *
 * <p>The preemptive timeouts are deadlock guards (a blocking onEnd would hang forever), not
 * performance assertions; they are far above any normal run time.
 */
class NeverBlockTheHostTest {
  private static final Duration DEADLOCK_GUARD = Duration.ofSeconds(20);

  @TempDir Path stateDir;

  @Test
  void onEndReturnsAndCountsDropsWhileTheWorkerIsStalledAndTheQueueFull() throws Exception {
    RecordingDestination destination = RecordingDestination.stalled();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app")
        .setStateDirectory(stateDir)
        .setDestination(destination)
        .setQueueSize(4)
        .setBatchSize(1)
        .setShutdownTimeout(Duration.ofMillis(100))
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    Tracer tracer = provider.get("test");

    tracer.spanBuilder("first").startSpan().end();
    assertThat(destination.awaitSendStarted(10)).as("worker stalled inside send").isTrue();

    assertTimeoutPreemptively(DEADLOCK_GUARD, () -> {
      for (int i = 0; i < 1000; i++) {
        tracer.spanBuilder("command-" + i).startSpan().end();
      }
    });

    DeliveryStats stats = analytics.stats();
    assertThat(stats.accepted()).isEqualTo(1 + 4);
    assertThat(stats.droppedQueueFull()).isEqualTo(1000 - 4);
    assertThat(stats.queued()).isEqualTo(4);

    destination.release();
    assertThat(analytics.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(destination.events()).hasSize(5);
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void shutdownGivesUpAfterItsTimeoutWhenTheDestinationHangs() throws Exception {
    RecordingDestination destination = RecordingDestination.stalled();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app")
        .setStateDirectory(stateDir)
        .setDestination(destination)
        .setShutdownTimeout(Duration.ofMillis(200))
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    provider.get("test").spanBuilder("inspect").startSpan().end();

    CompletableResultCode result = assertTimeoutPreemptively(DEADLOCK_GUARD, () -> analytics.shutdown());

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    destination.release();
  }

  @Test
  void spansEndingAfterShutdownAreDroppedAndCounted() {
    RecordingDestination destination = RecordingDestination.recording();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app").setStateDirectory(stateDir).setDestination(destination).build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    Tracer tracer = provider.get("test");
    tracer.spanBuilder("before").startSpan().end();

    assertThat(analytics.shutdown().isSuccess()).isTrue();
    tracer.spanBuilder("after").startSpan().end();

    assertThat(destination.events()).extracting(e -> e.name()).containsExactly("before");
    assertThat(destination.closed()).isTrue();
    assertThat(analytics.stats().droppedAfterShutdown()).isEqualTo(1);
  }

  @Test
  void forceFlushDeliversWithoutWaitingForTheFlushInterval() {
    RecordingDestination destination = RecordingDestination.recording();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app")
        .setStateDirectory(stateDir)
        .setDestination(destination)
        .setFlushInterval(Duration.ofDays(1))
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    for (int i = 0; i < 3; i++) {
      provider.get("test").spanBuilder("cmd").startSpan().end();
    }

    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(destination.events()).hasSize(3);
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void fullBatchesAreSentWithoutForceFlushAndRespectTheBatchSize() throws Exception {
    RecordingDestination destination = RecordingDestination.recording();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app")
        .setStateDirectory(stateDir)
        .setDestination(destination)
        .setBatchSize(10)
        .setFlushInterval(Duration.ofDays(1))
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    for (int i = 0; i < 25; i++) {
      provider.get("test").spanBuilder("cmd").startSpan().end();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (destination.events().size() < 20 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(destination.events()).hasSizeGreaterThanOrEqualTo(20);
    provider.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(destination.events()).hasSize(25);
    assertThat(destination.batchSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 10));
  }

  @Test
  void aFailingDestinationIsCountedAndNeverThrowsIntoTheApp() {
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app")
        .setStateDirectory(stateDir)
        .setDestination(new dev.otelanalytics.destination.Destination() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public dev.otelanalytics.destination.DeliveryResult send(java.util.List<dev.otelanalytics.event.AnalyticsEvent> events)
              throws java.io.IOException {
            throw new java.io.IOException("disk on fire");
          }
        })
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    provider.get("test").spanBuilder("cmd").startSpan().end();
    provider.forceFlush().join(10, TimeUnit.SECONDS);

    assertThat(analytics.stats().eventsFailed()).isEqualTo(1);
    assertThat(analytics.stats().eventsDelivered()).isZero();
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void theWorkerIsADaemonThread() {
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app").setStateDirectory(stateDir).setDestination(RecordingDestination.recording()).build();
    Thread worker = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("otel-analytics-worker") && t.isAlive())
        .findFirst().orElseThrow();
    assertThat(worker.isDaemon()).isTrue();
    analytics.shutdown();
  }
}
