package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.destination.Ga4DestinationBuilder;
import dev.otelanalytics.internal.ga4.Ga4Rules;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.LogCapture;
import dev.otelanalytics.testing.PhasedDispatcher;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery engine with the real GA4 destination against a MockWebServer: batches capped at
 * GA4's 25 events, a batch over 130 kB split in halves, retries, rejections, redirects and the
 * 72-hour limit, end to end from spans.
 */
class Ga4DeliveryTest {
  private static final String SECRET = "ga4DeliverySECRETcanary";
  private static final String SECRET_FRAGMENT = "SECRETcanary";

  @TempDir Path stateDir;
  private MockWebServer server;
  private PhasedDispatcher dispatcher;
  private LogCapture logs;
  private final List<SdkTracerProvider> providers = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    logs = new LogCapture();
    server = new MockWebServer();
    dispatcher = new PhasedDispatcher(() -> noContent());
    server.setDispatcher(dispatcher);
    server.start();
  }

  @AfterEach
  void stop() {
    try {
      providers.forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
      for (String message : logs.messages(Level.ALL)) {
        assertThat(String.valueOf(message)).as("log message").doesNotContain(SECRET_FRAGMENT);
      }
    } finally {
      logs.close();
      server.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private OtelAnalytics analytics(PrivacyPolicy policy, UnaryOperator<Ga4DestinationBuilder> configure) {
    Ga4Destination destination = configure.apply(Ga4Destination.builder()
        .setEndpoint(server.url("/").toString())
        .setMeasurementId("G-TEST123")
        .setApiSecret(SECRET)
        .setTimeout(Duration.ofSeconds(5))).build();
    return OtelAnalytics.builder()
        .setServiceName("svc")
        .setStateDirectory(stateDir)
        .setPolicy(policy)
        .setDestination(destination)
        .setBatchSize(100)
        .setFlushInterval(Duration.ofDays(1))
        .setRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .setShutdownTimeout(Duration.ofSeconds(5))
        .build();
  }

  private OtelAnalytics analytics() {
    return analytics(PrivacyPolicy.defaultPolicy(), b -> b);
  }

  /**
   * GA4's answer: 204 without a body. (PhasedDispatcher.status(204) adds a body, which makes the
   * answer a protocol error OkHttp reports as an I/O error, so it would be retried forever.)
   */
  private static mockwebserver3.MockResponse noContent() {
    return new mockwebserver3.MockResponse.Builder().code(204).build();
  }

  private Tracer tracer(OtelAnalytics analytics) {
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    providers.add(provider);
    return provider.get("test");
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private void awaitDelivered(OtelAnalytics analytics, long events) throws InterruptedException {
    await(() -> analytics.stats().eventsDelivered() >= events);
  }

  private static Map<String, Object> body(RecordedRequest request) {
    return Json.object(request.getBody().string(StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> events(RecordedRequest request) {
    return (List<Map<String, Object>>) body(request).get("events");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(Map<String, Object> event) {
    return (Map<String, Object>) event.get("params");
  }

  private static List<String> names(RecordedRequest request) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> e : events(request)) {
      out.add((String) e.get("name"));
    }
    return out;
  }

  /** Names of the events of every request answered 2xx, in order. */
  private List<String> deliveredNames() {
    List<String> out = new ArrayList<>();
    for (PhasedDispatcher.Exchange e : dispatcher.exchanges()) {
      if (e.status() >= 200 && e.status() < 300) {
        out.addAll(names(e.request()));
      }
    }
    return out;
  }

  /** Batches waiting or being sent. */
  private long outboxFiles() throws IOException {
    return Outbox.batchFiles(stateDir.resolve("outbox")).size();
  }

  // ---------------------------------------------------------------- batches of at most 25

  @Test
  void sixtySpansGoOutInRequestsOfAtMost25EventsEachExactlyOnce() throws Exception {
    OtelAnalytics analytics = analytics();
    Tracer tracer = tracer(analytics);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      tracer.spanBuilder("cmd" + i).startSpan().end();
      expected.add("cmd" + i);
    }
    analytics.forceFlush().join(15, TimeUnit.SECONDS);
    awaitDelivered(analytics, 60);

    List<PhasedDispatcher.Exchange> exchanges = dispatcher.exchanges();
    assertThat(exchanges).hasSize(3);
    for (PhasedDispatcher.Exchange e : exchanges) {
      RecordedRequest r = e.request();
      assertThat(r.getUrl().encodedPath()).isEqualTo("/mp/collect");
      assertThat(r.getUrl().queryParameter("measurement_id")).isEqualTo("G-TEST123");
      assertThat(events(r)).hasSizeLessThanOrEqualTo(Ga4Rules.MAX_EVENTS_PER_REQUEST);
      assertThat(r.getBodySize()).isLessThan(Ga4Rules.MAX_BODY_BYTES);
      assertThat(body(r).get("client_id")).as("the install id").isInstanceOf(String.class);
    }
    assertThat(exchanges).extracting(e -> events(e.request()).size()).containsExactly(25, 25, 10);
    assertThat(deliveredNames()).hasSize(60).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(analytics.stats().eventsDelivered()).isEqualTo(60);
    assertThat(analytics.stats().droppedOversize()).isZero();
    assertThat(outboxFiles()).isZero();
    // One install and one run: the same client id and session id everywhere.
    assertThat(exchanges).extracting(e -> body(e.request()).get("client_id")).containsOnly(body(exchanges.get(0).request()).get("client_id"));
    Object session = params(events(exchanges.get(0).request()).get(0)).get("session_id");
    for (PhasedDispatcher.Exchange e : exchanges) {
      assertThat(events(e.request())).allSatisfy(ev -> assertThat(params(ev).get("session_id")).isEqualTo(session));
    }
  }

  @Test
  void engagementTimeIsTheSpanDurationAfterTheRoundTripThroughTheOutbox() throws Exception {
    OtelAnalytics analytics = analytics();
    Tracer tracer = tracer(analytics);
    Instant end = Instant.now();
    tracer.spanBuilder("timed").setStartTimestamp(end.minusMillis(1500)).startSpan().end(end);
    tracer.spanBuilder("instant").setStartTimestamp(end).startSpan().end(end);
    analytics.forceFlush().join(15, TimeUnit.SECONDS);
    awaitDelivered(analytics, 2);

    List<Map<String, Object>> sent = events(dispatcher.exchanges().get(0).request());
    assertThat(sent).extracting(e -> e.get("name")).containsExactly("timed", "instant");
    assertThat(params(sent.get(0))).containsEntry("engagement_time_msec", 1500L).containsEntry("duration_ms", 1500L)
        .containsEntry("success", "true");
    assertThat(params(sent.get(1))).containsEntry("engagement_time_msec", 1L).containsEntry("duration_ms", 0L);
    long endMicros = end.getEpochSecond() * 1_000_000L + end.getNano() / 1000;
    assertThat(sent.get(0).get("timestamp_micros")).isEqualTo(endMicros);
  }

  // ---------------------------------------------------------------- a body over 130 kB is split in halves

  @Test
  void aBatchOver130KilobytesIsSplitInHalvesByTheEngine() throws Exception {
    // 21 allowlisted attributes of 100 CJK characters (300 bytes each in UTF-8): about 6.7 kB an
    // event once GA4's rules applied, so 25 events make about 170 kB and 12 or 13 about 85 kB.
    PrivacyPolicy.Builder policy = PrivacyPolicy.builder();
    for (int i = 0; i < 21; i++) {
      policy.allowAttribute(String.format("big.%02d", i), "padding for the size test", AttributeType.text());
    }
    OtelAnalytics analytics = analytics(policy.build(), b -> b);
    Tracer tracer = tracer(analytics);
    String value = "界".repeat(100);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      Span span = tracer.spanBuilder("big" + i).startSpan();
      for (int a = 0; a < 21; a++) {
        span.setAttribute(String.format("big.%02d", a), value);
      }
      span.end();
      expected.add("big" + i);
    }
    analytics.forceFlush().join(15, TimeUnit.SECONDS);
    awaitDelivered(analytics, 25);

    List<PhasedDispatcher.Exchange> exchanges = dispatcher.exchanges();
    assertThat(exchanges).as("the 25-event batch never reached the server; its halves did").hasSize(2);
    assertThat(exchanges).extracting(e -> events(e.request()).size()).containsExactly(12, 13);
    for (PhasedDispatcher.Exchange e : exchanges) {
      assertThat(e.request().getBodySize()).isLessThan(Ga4Rules.MAX_BODY_BYTES).isGreaterThan(60_000L);
      for (Map<String, Object> event : events(e.request())) {
        assertThat(params(event)).hasSize(25).containsEntry("big_00", value).containsEntry("big_20", value);
      }
    }
    assertThat(deliveredNames()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(names(exchanges.get(0).request())).containsExactlyElementsOf(expected.subList(0, 12));
    assertThat(analytics.stats().eventsDelivered()).isEqualTo(25);
    assertThat(analytics.stats().droppedOversize()).isZero();
    assertThat(outboxFiles()).isZero();
  }

  // ---------------------------------------------------------------- retries, rejections, redirects

  @Test
  void aServerErrorIsRetriedWithTheSameEvents() throws Exception {
    dispatcher.setPhase(new java.util.function.Supplier<>() {
      private int calls;

      @Override
      public synchronized mockwebserver3.MockResponse get() {
        return PhasedDispatcher.status(calls++ == 0 ? 500 : 200);
      }
    });
    OtelAnalytics analytics = analytics();
    Tracer tracer = tracer(analytics);
    tracer.spanBuilder("a").startSpan().end();
    tracer.spanBuilder("b").startSpan().end();
    analytics.forceFlush().join(15, TimeUnit.SECONDS);
    awaitDelivered(analytics, 2);

    List<PhasedDispatcher.Exchange> exchanges = dispatcher.exchanges();
    assertThat(exchanges).extracting(PhasedDispatcher.Exchange::status).containsExactly(500, 200);
    RecordedRequest first = exchanges.get(0).request();
    RecordedRequest second = exchanges.get(1).request();
    assertThat(names(first)).containsExactly("a", "b");
    assertThat(body(second)).isEqualTo(body(first));
    assertThat(second.getBody()).as("byte for byte").isEqualTo(first.getBody());
    assertThat(analytics.stats().retries()).isEqualTo(1);
    assertThat(analytics.stats().eventsDelivered()).isEqualTo(2);
    assertThat(outboxFiles()).isZero();
  }

  /** Every request is refused: the batch is halved until each event was refused alone (issue 14, fault 6). */
  @Test
  void aBadRequestIsNarrowedDownToTheEventsAtFaultWhichAreDroppedCountedAndNeverResent() throws Exception {
    dispatcher.setPhase(() -> PhasedDispatcher.status(400));
    OtelAnalytics analytics = analytics();
    Tracer tracer = tracer(analytics);
    tracer.spanBuilder("a").startSpan().end();
    tracer.spanBuilder("b").startSpan().end();
    analytics.forceFlush().join(15, TimeUnit.SECONDS);
    await(() -> analytics.stats().droppedRejected() >= 2);

    dispatcher.setPhase(() -> noContent());
    tracer.spanBuilder("c").startSpan().end();
    analytics.forceFlush().join(15, TimeUnit.SECONDS);
    awaitDelivered(analytics, 1);

    List<PhasedDispatcher.Exchange> exchanges = dispatcher.exchanges();
    assertThat(exchanges).extracting(PhasedDispatcher.Exchange::status).containsExactly(400, 400, 400, 204);
    assertThat(names(exchanges.get(0).request())).containsExactly("a", "b");
    assertThat(exchanges.subList(1, 3)).extracting(e -> names(e.request())).containsExactlyInAnyOrder(List.of("a"), List.of("b"));
    assertThat(names(exchanges.get(3).request())).containsExactly("c");
    assertThat(analytics.stats().droppedRejected()).isEqualTo(2);
    assertThat(analytics.stats().eventsDelivered()).isEqualTo(1);
    assertThat(analytics.stats().retries()).isZero();
    assertThat(outboxFiles()).isZero();
  }

  @Test
  void aRedirectStopsSendingKeepsEverythingAndNamesTheEndpointSetting() throws Exception {
    dispatcher.setPhase(() -> new mockwebserver3.MockResponse.Builder().code(301)
        .addHeader("Location", server.url("/elsewhere/").toString()).build());
    OtelAnalytics analytics = analytics();
    Tracer tracer = tracer(analytics);
    tracer.spanBuilder("a").startSpan().end();
    analytics.forceFlush().join(15, TimeUnit.SECONDS);
    tracer.spanBuilder("b").startSpan().end();
    analytics.forceFlush().join(15, TimeUnit.SECONDS);
    await(() -> analytics.stats().stoppedReason() != null);

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(analytics.stats().stoppedReason()).contains("OTEL_EXPORTER_GA4_ENDPOINT").doesNotContain(SECRET_FRAGMENT);
    assertThat(outboxFiles()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- the 72-hour limit

  @Test
  void eventsOlderThan72HoursAreDroppedAndCountedWithoutARequest() throws Exception {
    Clock fourDaysLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(4));
    OtelAnalytics analytics = analytics(PrivacyPolicy.defaultPolicy(), b -> b.setClock(fourDaysLater));
    Tracer tracer = tracer(analytics);
    tracer.spanBuilder("a").startSpan().end();
    tracer.spanBuilder("b").startSpan().end();
    analytics.forceFlush().join(15, TimeUnit.SECONDS);
    await(() -> analytics.stats().droppedTooOld() >= 2);

    assertThat(server.getRequestCount()).isZero();
    assertThat(analytics.stats().droppedTooOld()).isEqualTo(2);
    assertThat(analytics.stats().droppedOversize()).as("too old is not oversize").isZero();
    assertThat(analytics.stats().toString()).contains("droppedTooOld=2");
    assertThat(analytics.stats().eventsDelivered()).isZero();
    assertThat(outboxFiles()).isZero();
  }

  // ---------------------------------------------------------------- the outbox path directly

  /**
   * Without spans: a stored batch of 25 events sent by the OutboxSender alone. The first 12
   * events hold control characters, which JSON escapes to 6 bytes each (about 14 kB an event),
   * so the batch is too large, its first half (12 events, about 166 kB) still is, and the
   * quarters (6 events) fit: the engine splits again and again until each part fits.
   */
  @Test
  void theSenderSplitsAStoredBatchUntilEachPartFits() throws Exception {
    Ga4Destination destination = Ga4Destination.builder().setEndpoint(server.url("/").toString())
        .setMeasurementId("G-TEST123").setApiSecret(SECRET).build();
    DeliveryCounters counters = new DeliveryCounters();
    MemoryBatchStore store = new MemoryBatchStore(1000, counters);
    List<dev.otelanalytics.event.AnalyticsEvent> events = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < 25; i++) {
      Map<String, Object> props = new HashMap<>();
      for (int p = 0; p < 23; p++) {
        props.put("p" + p, i < 12 ? "\u0001".repeat(100) : "v");
      }
      events.add(dev.otelanalytics.event.AnalyticsEvent.create("e" + i, "install-1", now, "uuid-" + i, props));
    }
    assertThat(destination.body(events).length).isGreaterThanOrEqualTo(Ga4Rules.MAX_BODY_BYTES);
    assertThat(destination.body(events.subList(0, 12)).length).isGreaterThanOrEqualTo(Ga4Rules.MAX_BODY_BYTES);
    assertThat(destination.body(events.subList(0, 6)).length).isLessThan(Ga4Rules.MAX_BODY_BYTES);
    store.add(events);
    OutboxSender sender = new OutboxSender(store, destination, new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20),
        new java.util.Random(1)), counters);
    try {
      sender.requestPass().join(15, TimeUnit.SECONDS);
      await(() -> counters.eventsDelivered.sum() >= 25);
    } finally {
      sender.stop();
      destination.close();
    }

    List<PhasedDispatcher.Exchange> exchanges = dispatcher.exchanges();
    assertThat(exchanges).extracting(e -> events(e.request()).size()).containsExactlyInAnyOrder(6, 6, 13);
    assertThat(exchanges).allSatisfy(e -> assertThat(e.request().getBodySize()).isLessThan(Ga4Rules.MAX_BODY_BYTES));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      expected.add("e" + i);
    }
    assertThat(deliveredNames()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(counters.eventsDelivered.sum()).isEqualTo(25);
    assertThat(counters.droppedOversize.sum()).isZero();
    assertThat(store.pending()).isEmpty();
  }
}
