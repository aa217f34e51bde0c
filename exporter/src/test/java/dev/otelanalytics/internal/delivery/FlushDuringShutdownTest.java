package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.testing.RecordingDestination;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush asked for while the worker is busy with another, followed by shutdown: the worker ends
 * after the first flush, and must still answer the second (which shutdown waits for) instead of
 * leaving shutdown to time out. The usage-report exporter's shutdown flushes right before the
 * span processor's shutdown, so this is the ordinary SDK shutdown order.
 */
class FlushDuringShutdownTest {
  @TempDir Path stateDir;

  @Test
  void shutdownRightAfterAPendingFlushCompletesAtOnce() throws Exception {
    RecordingDestination destination = RecordingDestination.stalled();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app").setStateDirectory(stateDir).setDestination(destination)
        .setShutdownTimeout(Duration.ofSeconds(20)).build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    provider.get("test").spanBuilder("inspect").startSpan().end();

    CompletableResultCode first = analytics.forceFlush();
    assertThat(destination.awaitSendStarted(10)).as("the worker is inside send for the first flush").isTrue();
    CompletableResultCode second = analytics.forceFlush();   // waits: the worker is busy

    AtomicReference<CompletableResultCode> shutdown = new AtomicReference<>();
    Thread closer = new Thread(() -> shutdown.set(analytics.shutdown()), "closer");
    closer.start();
    // Until shutdown has asked to stop and waits for its flush (the pending second one).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(closer.getState()).isEqualTo(Thread.State.TIMED_WAITING);

    long start = System.nanoTime();
    destination.release();
    closer.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("seconds shutdown took").isLessThan(10);
    assertThat(shutdown.get().isSuccess()).isTrue();
    assertThat(first.isSuccess()).isTrue();
    assertThat(second.isSuccess()).isTrue();
    assertThat(destination.events()).hasSize(1);
    // A flush after the worker ended completes at once instead of never.
    assertThat(analytics.forceFlush().join(1, TimeUnit.SECONDS).isSuccess()).isTrue();
  }
}
