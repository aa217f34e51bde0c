package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.testing.LogCapture;
import dev.otelanalytics.testing.PhasedDispatcher;
import dev.otelanalytics.testing.PostHogRequests;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery engine with the real PostHog destination against a MockWebServer. */
class RemoteDeliveryTest {
  private static final String API_KEY = "phc_remoteDeliveryTestKey42";

  @TempDir Path stateDir;
  private MockWebServer server;
  private final List<SdkTracerProvider> providers = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    providers.forEach(p -> p.shutdown().join(5, TimeUnit.SECONDS));
    server.close();
  }

  private OtelAnalytics analytics(int batchSize) {
    return OtelAnalytics.builder()
        .setServiceName("svc")
        .setStateDirectory(stateDir)
        .setDestination(PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey(API_KEY)
            .setTimeout(Duration.ofSeconds(2)).build())
        .setBatchSize(batchSize)
        .setFlushInterval(Duration.ofDays(1))
        .setRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .setShutdownTimeout(Duration.ofSeconds(5))
        .build();
  }

  private Tracer tracer(OtelAnalytics analytics) {
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    providers.add(provider);
    return provider.get("test");
  }

  private static MockResponse answer(int code) {
    return new MockResponse.Builder().code(code).body("{\"status\":\"Ok\"}").build();
  }

  private List<RecordedRequest> requests(int count) throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
      assertThat(r).as("request %d of %d", i + 1, count).isNotNull();
      out.add(r);
    }
    return out;
  }

  private static List<String> uuids(RecordedRequest request) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> event : PostHogRequests.events(request)) {
      out.add((String) event.get("uuid"));
    }
    return out;
  }

  /** Batches waiting or being sent. */
  private long outboxFiles() throws IOException {
    return Outbox.batchFiles(stateDir.resolve("outbox")).size();
  }

  private void awaitDelivered(OtelAnalytics analytics, long events) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (analytics.stats().eventsDelivered() < events && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @Test
  void failedAttemptsAreRetriedWithTheSameUuidsAndTimestampsUntilAccepted() throws Exception {
    server.enqueue(answer(503));
    server.enqueue(answer(500));
    server.enqueue(answer(200));
    OtelAnalytics analytics = analytics(10);
    Tracer tracer = tracer(analytics);
    tracer.spanBuilder("a").startSpan().end();
    tracer.spanBuilder("b").startSpan().end();
    analytics.forceFlush().join(10, TimeUnit.SECONDS);
    awaitDelivered(analytics, 2);

    List<RecordedRequest> attempts = requests(3);
    assertThat(PostHogRequests.events(attempts.get(0))).isEqualTo(PostHogRequests.events(attempts.get(2)));
    assertThat(uuids(attempts.get(2))).hasSize(2).doesNotHaveDuplicates();
    assertThat(analytics.stats().eventsDelivered()).isEqualTo(2);
    assertThat(analytics.stats().retries()).isEqualTo(2);
    assertThat(outboxFiles()).isZero();
  }

  @Test
  void badRequestDropsTheBatchCountsItAndNeverResendsIt() throws Exception {
    server.enqueue(new MockResponse.Builder().code(400)
        .body("{\"type\":\"validation_error\",\"code\":\"invalid_payload\",\"detail\":\"bad\"}").build());
    server.enqueue(answer(200));
    OtelAnalytics analytics = analytics(10);
    Tracer tracer = tracer(analytics);
    try (LogCapture logs = new LogCapture()) {
      tracer.spanBuilder("a").startSpan().end();
      analytics.forceFlush().join(10, TimeUnit.SECONDS);
      tracer.spanBuilder("b").startSpan().end();
      analytics.forceFlush().join(10, TimeUnit.SECONDS);

      List<RecordedRequest> sent = requests(2);
      assertThat(PostHogRequests.events(sent.get(0))).extracting(e -> e.get("event")).containsExactly("a");
      assertThat(PostHogRequests.events(sent.get(1))).extracting(e -> e.get("event")).containsExactly("b");
      assertThat(analytics.stats().droppedRejected()).isEqualTo(1);
      assertThat(logs.messages(Level.WARNING)).anySatisfy(m -> assertThat(m).contains("rejected", "invalid_payload"));
      logs.messages(Level.ALL).forEach(m -> assertThat(m).doesNotContain(API_KEY));
    }
    assertThat(outboxFiles()).isZero();
  }

  /** Stops for the longest backoff (a minute here); StopIsAPauseTest shows the later attempt. */
  @Test
  void aRefusedKeyStopsSendingKeepsEverythingAndSaysWhichSettingToFix() throws Exception {
    server.enqueue(answer(401));
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("svc").setStateDirectory(stateDir)
        .setDestination(PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey(API_KEY)
            .setTimeout(Duration.ofSeconds(2)).build())
        .setBatchSize(10).setFlushInterval(Duration.ofDays(1))
        .setRetryBackoff(Duration.ofMillis(5), Duration.ofMinutes(1))
        .setShutdownTimeout(Duration.ofSeconds(5))
        .build();
    Tracer tracer = tracer(analytics);
    try (LogCapture logs = new LogCapture()) {
      tracer.spanBuilder("a").startSpan().end();
      analytics.forceFlush().join(10, TimeUnit.SECONDS);
      tracer.spanBuilder("b").startSpan().end();
      analytics.forceFlush().join(10, TimeUnit.SECONDS);

      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(analytics.stats().stoppedReason()).contains("OTEL_EXPORTER_POSTHOG_API_KEY");
      assertThat(logs.messages(Level.WARNING)).singleElement().asString()
          .contains("stopped sending", "OTEL_EXPORTER_POSTHOG_API_KEY").doesNotContain(API_KEY);
    }
    assertThat(outboxFiles()).isEqualTo(2);
  }

  @Test
  void tooLargeSplitsTheBatchInHalvesAndSendsBoth() throws Exception {
    server.enqueue(answer(413));
    server.enqueue(answer(200));
    server.enqueue(answer(200));
    OtelAnalytics analytics = analytics(4);
    Tracer tracer = tracer(analytics);
    for (int i = 0; i < 4; i++) {
      tracer.spanBuilder("e" + i).startSpan().end();
    }
    analytics.forceFlush().join(10, TimeUnit.SECONDS);
    awaitDelivered(analytics, 4);

    List<RecordedRequest> sent = requests(3);
    assertThat(uuids(sent.get(0))).hasSize(4);
    assertThat(uuids(sent.get(1))).hasSize(2);
    assertThat(uuids(sent.get(2))).hasSize(2);
    Set<String> halves = new HashSet<>(uuids(sent.get(1)));
    halves.addAll(uuids(sent.get(2)));
    assertThat(halves).containsExactlyInAnyOrderElementsOf(uuids(sent.get(0)));
    assertThat(outboxFiles()).isZero();
  }

  @Test
  void retryAfterIsHonouredInsteadOfTheBackoff() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3600").build());
    OtelAnalytics analytics = analytics(10);
    Tracer tracer = tracer(analytics);
    tracer.spanBuilder("a").startSpan().end();
    analytics.forceFlush().join(10, TimeUnit.SECONDS);
    tracer.spanBuilder("b").startSpan().end();
    analytics.forceFlush().join(10, TimeUnit.SECONDS);
    Thread.sleep(100); // far beyond the 20 ms backoff cap: only Retry-After can explain no second request

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(outboxFiles()).isEqualTo(2);
    assertThat(analytics.stats().retries()).isEqualTo(1);
  }

  @Test
  void theNextRunSendsWhatAnEarlierRunLeftInTheOutbox() throws Exception {
    PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(503));
    server.setDispatcher(dispatcher);
    OtelAnalytics first = analytics(10);
    tracer(first).spanBuilder("from-the-first-run").startSpan().end();
    first.forceFlush().join(10, TimeUnit.SECONDS);
    assertThat(first.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(dispatcher.deliveredEvents()).isEmpty();
    assertThat(outboxFiles()).isEqualTo(1);

    dispatcher.setPhase(() -> PhasedDispatcher.status(200));
    OtelAnalytics second = analytics(10);
    tracer(second).spanBuilder("from-the-second-run").startSpan().end();
    second.forceFlush().join(10, TimeUnit.SECONDS);
    awaitDelivered(second, 2);

    List<Map<String, Object>> delivered = dispatcher.deliveredEvents();
    assertThat(delivered).extracting(e -> e.get("event")).containsExactlyInAnyOrder("from-the-first-run", "from-the-second-run");
    String firstUuid = (String) PostHogRequests.events(dispatcher.exchanges().get(0).request()).get(0).get("uuid");
    assertThat(delivered).anySatisfy(e -> assertThat(e.get("uuid")).isEqualTo(firstUuid));
    assertThat(outboxFiles()).isZero();
  }

  @Test
  void eventsAreInTheOutboxBeforeTheFirstAttemptEnds() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).build());
    OtelAnalytics analytics = analytics(1);
    tracer(analytics).spanBuilder("a").startSpan().end();
    analytics.forceFlush();
    RecordedRequest inFlight = server.takeRequest(10, TimeUnit.SECONDS);

    assertThat(inFlight).isNotNull();
    assertThat(outboxFiles()).as("written before sending; the answer is not in yet").isEqualTo(1);
  }

  @Test
  void onEndReturnsPromptlyWhileTheServerStallsAndTheQueueOverflows() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(1, TimeUnit.HOURS).build());
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app")
        .setStateDirectory(stateDir)
        .setDestination(PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey(API_KEY)
            .setTimeout(Duration.ofMinutes(5)).build())
        .setQueueSize(4)
        .setBatchSize(1)
        .setShutdownTimeout(Duration.ofMillis(100))
        .build();
    Tracer tracer = tracer(analytics);
    tracer.spanBuilder("first").startSpan().end();
    assertThat(server.takeRequest(10, TimeUnit.SECONDS)).as("the worker is now stuck in the call").isNotNull();

    // A deadlock guard, not a timing claim: a blocking onEnd would never return.
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (int i = 0; i < 1000; i++) {
        tracer.spanBuilder("cmd").startSpan().end();
      }
    });
    DeliveryStats stats = analytics.stats();
    assertThat(stats.accepted() + stats.droppedQueueFull()).isEqualTo(1001);
    assertThat(stats.droppedQueueFull()).as("1000 spans at once overflow a queue of 4").isPositive();
    // The stalled call holds up only the sender: the worker keeps writing events to the outbox.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (outboxFiles() < stats.accepted() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(outboxFiles()).isEqualTo(stats.accepted());
  }
}
