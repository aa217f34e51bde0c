package dev.otelanalytics.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.UsageReportExporter;
import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.delivery.Outbox;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's shutdown order with usage reports on (issue 14, fault 0): the tracer provider shuts down
 * first, so the span processor's lease only flushes the shared worker; the meter provider follows,
 * and the usage-report exporter's lease, the last one, shuts the worker down. When that shutdown
 * begins while the worker is still busy with the span processor's flush, the shutdown's own flush
 * must still wait for the sender's attempt, not be answered at once, which closed the sender
 * before it had sent anything: in a CLI, whose sender is still warming up at exit, nothing was
 * ever sent again.
 */
class ShutdownAfterSpanFlushTest {
  @TempDir Path stateDir;

  /** Remote; its warm-up (OkHttp's class loading, in a real run) lasts until released. */
  static final class SlowToWarmUp implements Destination {
    final CountDownLatch warm = new CountDownLatch(1);
    final List<AnalyticsEvent> sent = new ArrayList<>();

    @Override
    public String name() {
      return "slow-to-warm-up";
    }

    @Override
    public boolean isRemote() {
      return true;
    }

    @Override
    public void warmUp() {
      try {
        warm.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public synchronized DeliveryResult send(List<AnalyticsEvent> events) {
      sent.addAll(events);
      return DeliveryResult.delivered();
    }

    synchronized List<AnalyticsEvent> sent() {
      return new ArrayList<>(sent);
    }
  }

  /** The debug output, written on the worker thread inside a batch: holds the worker there until released. */
  static final class HoldingOutput extends OutputStream {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);

    @Override
    public void write(int b) {
      entered.countDown();
      try {
        proceed.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void theReportExportersShutdownWaitsForTheSendersAttemptWhenTheSpanFlushWasStillRunning() throws Exception {
    SlowToWarmUp destination = new SlowToWarmUp();
    HoldingOutput debug = new HoldingOutput();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("cli-app").setStateDirectory(stateDir)
        .setDestination(destination).setDebug(true).setDebugOutput(new PrintStream(debug, true))
        .setLocalHistory(false).setShutdownTimeout(Duration.ofSeconds(10)).build();
    UsageReportExporter exporter = analytics.metricExporter();
    SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    tracing.get("test").spanBuilder("version").startSpan().end();

    // The SDK's order: the tracer provider first; its processor's lease flushes the worker.
    tracing.shutdown();
    assertThat(debug.entered.await(10, TimeUnit.SECONDS)).as("the worker is busy with the span's flush").isTrue();

    // Then the meter provider: the exporter's lease is the last, and shuts the worker down.
    Thread meterShutdown = new Thread(exporter::shutdown, "meter-shutdown");
    meterShutdown.start();
    awaitWaiting(meterShutdown);
    debug.proceed.countDown();

    // The sender is still warming up: the shutdown must wait for its attempt.
    meterShutdown.join(500);
    boolean returnedBeforeAnyAttempt = !meterShutdown.isAlive();
    destination.warm.countDown();
    meterShutdown.join(TimeUnit.SECONDS.toMillis(15));
    assertThat(meterShutdown.isAlive()).isFalse();

    assertThat(returnedBeforeAnyAttempt).as("shutdown returned before the sender's first attempt").isFalse();
    assertThat(destination.sent()).extracting(AnalyticsEvent::name).containsExactly("version");
    assertThat(Outbox.batchFiles(stateDir.resolve("outbox"))).isEmpty();
    assertThat(analytics.stats().eventsDelivered()).isEqualTo(1);
  }

  /** Until {@code thread} waits (for the worker, in shutdown); a timed wait is the first it makes. */
  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(thread.getState()).isEqualTo(Thread.State.TIMED_WAITING);
    Thread.sleep(50);
  }
}
