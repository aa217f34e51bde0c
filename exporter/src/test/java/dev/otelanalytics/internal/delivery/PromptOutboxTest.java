package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.delivery.SenderHandOverTest.HeldDestination;
import dev.otelanalytics.testing.Events;
import dev.otelanalytics.testing.LogCapture;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A crash loses nothing" holds within a fraction of a second (issue 14, fault 5): events are in
 * the outbox soon after their span ended even when the batch is far from full, the local history
 * copy is written after the outbox, and shutdown's log line says what really happened.
 */
class PromptOutboxTest {
  @TempDir Path stateDir;

  private static String contentOf(List<Path> files) throws Exception {
    StringBuilder out = new StringBuilder();
    for (Path f : files) {
      out.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  @Test
  void anEventIsInTheOutboxWellBeforeItsBatchIsFullOrTheFlushIntervalHasPassed() throws Exception {
    HeldDestination destination = new HeldDestination(true, DeliveryResult.delivered());
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("svc").setStateDirectory(stateDir)
        .setDestination(destination).setBatchSize(100).setFlushInterval(Duration.ofDays(1)).setLocalHistory(false)
        .setShutdownTimeout(Duration.ofMillis(100)).build();
    SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build().get("svc")
        .spanBuilder("command").startSpan().end();

    long start = System.nanoTime();
    Path outbox = stateDir.resolve("outbox");
    while (!contentOf(Outbox.batchFiles(outbox)).contains("\"command\"") && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
      Thread.sleep(5);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("[faults] prompt outbox write: " + millis + " ms after the span ended");
    assertThat(contentOf(Outbox.batchFiles(outbox))).as("a crash now would lose nothing").contains("\"command\"");
    assertThat(millis).as("ms until the event was on disk").isLessThan(2_000);
    destination.release.countDown();
    analytics.shutdown().join(5, TimeUnit.SECONDS);
  }

  /** Records how many events the sink had taken each time an observer (the history copy) saw some. */
  static final class OrderSink implements BatchSink {
    final List<AnalyticsEvent> taken = new ArrayList<>();

    @Override
    public void start() {}

    @Override
    public synchronized void append(List<AnalyticsEvent> events) {
      taken.addAll(events);
    }

    @Override
    public void seal() {}

    synchronized int taken() {
      return taken.size();
    }

    @Override
    public CompletableResultCode flushed() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public void workerDone() {}

    @Override
    public void close(long deadlineNanos) {}

    @Override
    public long waiting() {
      return 0;
    }

    @Override
    public String stoppedReason() {
      return null;
    }

    @Override
    public String destinationName() {
      return "order";
    }
  }

  @Test
  void theLocalHistoryCopySeesEventsOnlyAfterTheOutboxHasThem() {
    OrderSink sink = new OrderSink();
    List<String> seen = new ArrayList<>();
    Consumer<List<AnalyticsEvent>> history = events -> seen.add(events.size() + " seen, " + sink.taken() + " in the outbox");
    DeliveryWorker worker = new DeliveryWorker(() -> (span, out) -> {}, sink, List.of(history), 16, 2, Duration.ofDays(1),
        new DeliveryCounters());
    worker.offerEvent(Events.at("2026-01-01T00:00:00Z", "a"));
    worker.offerEvent(Events.at("2026-01-01T00:00:00Z", "b"));
    worker.shutdown(Duration.ofSeconds(5));

    assertThat(seen).containsExactly("2 seen, 2 in the outbox");
  }

  @Test
  void closingTheOutboxNeverWaitsForAWriteThatHangsAndLaterWritesFail() throws Exception {
    CountDownLatch hung = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    Outbox.Disk hangingDisk = (channel, file, content) -> {
      writing.countDown();
      try {
        hung.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Outbox.Disk.REAL.write(channel, file, content);
    };
    Outbox outbox = Outbox.open(stateDir.resolve("outbox"), 1 << 20, new DeliveryCounters(), hangingDisk);
    Thread worker = new Thread(() -> {
      try {
        outbox.append(List.of(Events.at("2026-01-01T00:00:00Z", "a")));
      } catch (java.io.IOException e) {
        // the close cut it off
      }
    });
    worker.setDaemon(true);
    worker.start();
    assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
    try {
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), outbox::close);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> outbox.append(List.of(Events.at("2026-01-01T00:00:00Z", "b"))))
          .isInstanceOf(java.io.IOException.class);
    } finally {
      hung.countDown();
    }
  }

  @Test
  void whenShutdownGivesUpBeforeEventsAreWrittenItsLogSaysTheyAreLostNotThatTheyStayInTheOutbox() throws Exception {
    CountDownLatch hung = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    Outbox.Disk hangingDisk = (channel, file, content) -> {
      writing.countDown();
      try {
        hung.await();   // a hung network file system
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Outbox.Disk.REAL.write(channel, file, content);
    };
    DeliveryCounters counters = new DeliveryCounters();
    OutboxSink sink = new OutboxSink(new HeldDestination(false, DeliveryResult.delivered()),
        () -> Outbox.open(stateDir.resolve("outbox"), 1 << 20, counters, hangingDisk),
        new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), new Random(1)), counters, 100);
    DeliveryWorker worker = new DeliveryWorker(() -> (span, out) -> {}, sink, List.of(), 16, 100, Duration.ofDays(1), counters);
    try (LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 3; i++) {
        worker.offerEvent(Events.at("2026-01-01T00:00:00Z", "e" + i, Map.of()));
      }
      assertThat(writing.await(10, TimeUnit.SECONDS)).as("the worker is stuck writing them").isTrue();
      assertThat(worker.shutdown(Duration.ofMillis(200)).isSuccess()).isFalse();

      List<String> lines = logs.messages(Level.FINE);
      assertThat(lines).noneMatch(m -> m.contains("stay in the outbox"));
      assertThat(lines).anyMatch(m -> m.contains("3 events") && m.contains("lost"));
    } finally {
      hung.countDown();
    }
  }
}
