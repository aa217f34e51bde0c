package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.testing.LogCapture;
import dev.otelanalytics.testing.PhasedDispatcher;
import dev.otelanalytics.testing.PostHogRequests;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One answer no longer stops everything (issue 14, fault 6): a "stop" answer (401, 403, 404, a
 * redirect), which may be a proxy's passing error, pauses sending for the longest backoff and
 * then tries again; a 400 is narrowed down to the events it is about, and only those are dropped.
 */
class StopIsAPauseTest {
  private static final String API_KEY = "phc_stopIsAPauseTestKey42";

  @TempDir Path stateDir;
  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OtelAnalytics analytics(int batchSize, Duration maxBackoff) {
    return OtelAnalytics.builder().setServiceName("svc").setStateDirectory(stateDir)
        .setDestination(PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey(API_KEY)
            .setTimeout(Duration.ofSeconds(5)).build())
        .setBatchSize(batchSize).setFlushInterval(Duration.ofDays(1))
        .setRetryBackoff(Duration.ofMillis(5), maxBackoff).setShutdownTimeout(Duration.ofMillis(200)).build();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  @Test
  void aRefusedKeyPausesSendingForTheLongestBackoffThenTriesAgainAndWarnsOnce() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(requests.incrementAndGet() <= 2 ? 403 : 200));
    server.setDispatcher(dispatcher);
    OtelAnalytics analytics = analytics(10, Duration.ofSeconds(1));
    Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build().get("svc");
    try (LogCapture logs = new LogCapture()) {
      tracer.spanBuilder("a").startSpan().end();
      long start = System.nanoTime();
      analytics.forceFlush().join(10, TimeUnit.SECONDS);
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(analytics.stats().stoppedReason()).contains("OTEL_EXPORTER_POSTHOG_API_KEY");
      tracer.spanBuilder("b").startSpan().end();
      analytics.forceFlush().join(10, TimeUnit.SECONDS);
      assertThat(server.getRequestCount()).as("paused: a flush sends nothing").isEqualTo(1);

      await(() -> analytics.stats().eventsDelivered() == 2);
      long pausedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(pausedMillis).as("two pauses of half to all of the 1 s longest backoff").isGreaterThanOrEqualTo(1_000);
      assertThat(analytics.stats().stoppedReason()).as("sending resumed").isNull();
      assertThat(logs.messages(Level.WARNING)).filteredOn(m -> m.contains("stopped sending")).hasSize(1);
    }
    assertThat(dispatcher.accounting().delivered()).hasSize(2);
    analytics.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void aBadRequestIsNarrowedDownToTheBadEventAndOnlyThatIsDropped() throws Exception {
    List<Map<String, Object>> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
    mockwebserver3.Dispatcher dispatcher = new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        List<Map<String, Object>> events = PostHogRequests.events(request);
        if (events.stream().anyMatch(e -> "bad".equals(e.get("event")))) {
          return new MockResponse.Builder().code(400).body("{\"type\":\"validation_error\",\"code\":\"invalid_payload\"}").build();
        }
        delivered.addAll(events);
        return PhasedDispatcher.status(200);
      }
    };
    server.setDispatcher(dispatcher);
    OtelAnalytics analytics = analytics(8, Duration.ofMillis(20));
    Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build().get("svc");
    for (int i = 0; i < 8; i++) {
      tracer.spanBuilder(i == 5 ? "bad" : "good-" + i).startSpan().end();
    }
    analytics.forceFlush().join(10, TimeUnit.SECONDS);
    await(() -> analytics.stats().eventsDelivered() + analytics.stats().droppedRejected() == 8);

    assertThat(analytics.stats().eventsDelivered()).isEqualTo(7);
    assertThat(analytics.stats().droppedRejected()).isEqualTo(1);
    assertThat(delivered).extracting(e -> e.get("uuid")).hasSize(7).doesNotHaveDuplicates();
    assertThat(delivered).extracting(e -> e.get("event")).doesNotContain("bad");
    // 8 → 4 + 4 → 2 + 2 → 1 + 1: one request for the batch and two for each halving.
    assertThat(server.getRequestCount()).isEqualTo(7);
    analytics.shutdown().join(10, TimeUnit.SECONDS);
  }
}
