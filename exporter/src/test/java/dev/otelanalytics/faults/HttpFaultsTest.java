package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.PhasedDispatcher;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP faults between the real delivery engine ({@link OtelAnalytics#builder()}, outbox, sender,
 * retry policy) and a PostHog destination pointed at a loopback {@link MockWebServer}: an endpoint
 * that is down then up, flapping, slower than the export time-out, resetting connections
 * mid-request, cutting answers short, closing the connection after every answer, 5xx bursts, 413
 * and 429 with every kind of Retry-After.
 *
 * <p>Every scenario ends with the same accounting: what was accepted is delivered, dropped with a
 * reason, or still waiting in the outbox; no uuid ever reaches the endpoint with two different
 * contents; and when the endpoint is healthy again within the test's time, every accepted event
 * that was not dropped reached it. One {@code [faults]} line a scenario on stdout records the
 * numbers (accepted, delivered, dropped by reason, duplicates at the endpoint, time).
 *
 * <p>Every wait is bounded in time, and every test by {@link Timeout}.
 */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class HttpFaultsTest {
  private static final String API_KEY = "phc_httpFaultsTestKey";
  private static final Duration FAST_INITIAL = Duration.ofMillis(10);
  private static final Duration FAST_MAX = Duration.ofMillis(200);
  private static final Duration SETTLE = Duration.ofSeconds(15);

  @TempDir Path stateDir;
  private MockWebServer server;
  private PhasedDispatcher dispatcher;
  private final List<OtelAnalytics> runs = new ArrayList<>();
  private final List<SdkTracerProvider> providers = new ArrayList<>();
  private long startNanos;
  private String scenario;

  @BeforeEach
  void setUp(TestInfo test) {
    scenario = test.getTestMethod().orElseThrow().getName();
    dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(200)).withRequestEffects();
    server = new MockWebServer();
    server.setDispatcher(dispatcher);
    startNanos = System.nanoTime();
  }

  @AfterEach
  void tearDown() {
    providers.forEach(p -> p.shutdown().join(5, TimeUnit.SECONDS));
    runs.forEach(r -> r.shutdown().join(5, TimeUnit.SECONDS));
    server.close();
  }

  // ---------------------------------------------------------------- harness

  /** How one run (one process's analytics) is set up. */
  private record Setup(Duration timeout, int batchSize, Duration initialBackoff, Duration maxBackoff, Duration shutdown) {
    static Setup fast() {
      return new Setup(Duration.ofSeconds(2), 5, FAST_INITIAL, FAST_MAX, Duration.ofSeconds(2));
    }

    Setup timeout(Duration t) {
      return new Setup(t, batchSize, initialBackoff, maxBackoff, shutdown);
    }

    Setup batchSize(int n) {
      return new Setup(timeout, n, initialBackoff, maxBackoff, shutdown);
    }

    /**
     * A real CLI's backoff, 1 s to 5 min. Its shutdown timeout is 1 s; 3 s here is a margin for a
     * loaded machine (shutdown returns as soon as the outbox is empty, and a batch in backoff is not
     * sent during shutdown at all).
     */
    Setup likeACli() {
      return new Setup(timeout, batchSize, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(3));
    }
  }

  private String endpoint() throws IOException {
    if (!server.getStarted()) {
      server.start();
    }
    return server.url("/").toString();
  }

  private OtelAnalytics start(String endpoint, Setup setup) {
    OtelAnalytics analytics = OtelAnalytics.builder()
        .setServiceName("faults")
        .setStateDirectory(stateDir)
        .setDestination(PostHogDestination.builder().setEndpoint(endpoint).setApiKey(API_KEY).setTimeout(setup.timeout()).build())
        .setBatchSize(setup.batchSize())
        .setFlushInterval(Duration.ofDays(1))
        .setRetryBackoff(setup.initialBackoff(), setup.maxBackoff())
        .setShutdownTimeout(setup.shutdown())
        .build();
    runs.add(analytics);
    return analytics;
  }

  /** Ends {@code spans} root spans (each becomes one event) and writes them to the outbox as batches. */
  private void emit(OtelAnalytics analytics, int spans) {
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    providers.add(provider);
    Tracer tracer = provider.get("faults");
    for (int i = 0; i < spans; i++) {
      tracer.spanBuilder("command").startSpan().end();
    }
    analytics.forceFlush().join(10, TimeUnit.SECONDS);
  }

  /** One run sends {@code spans} events through the current phases until all are delivered or dropped. */
  private OtelAnalytics sendUntilSettled(Setup setup, int spans) throws Exception {
    OtelAnalytics analytics = start(endpoint(), setup);
    emit(analytics, spans);
    assertThat(settled()).as("everything delivered or dropped within %s", SETTLE).isTrue();
    return analytics;
  }

  private static boolean await(BooleanSupplier done, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  private static long dropped(DeliveryStats s) {
    return s.droppedRejected() + s.droppedOversize() + s.droppedOutboxFull() + s.droppedCorrupt() + s.mappingFailures()
        + s.eventsFailed();
  }

  /** Waits until every run has delivered or dropped all it accepted. */
  private boolean settled() throws InterruptedException {
    return await(() -> runs.stream().allMatch(r -> r.stats().eventsDelivered() + dropped(r.stats()) >= r.stats().accepted()),
        SETTLE);
  }

  private int requests() {
    return dispatcher.exchanges().size();
  }

  /** The uuid of every event written to the local store: a copy of every event accepted for sending. */
  private Set<String> acceptedUuids() throws IOException {
    return uuidsIn(stateDir.resolve("events"), "");
  }

  /** Events still waiting in the outbox. */
  private long waiting() throws IOException {
    return uuidsIn(stateDir.resolve("outbox"), "b-").size();
  }

  private static Set<String> uuidsIn(Path directory, String prefix) throws IOException {
    Set<String> uuids = new LinkedHashSet<>();
    if (!Files.isDirectory(directory)) {
      return uuids;
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        String name = file.getFileName().toString();
        if (!name.startsWith(prefix) || !name.endsWith(".jsonl")) {
          continue;
        }
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            uuids.add(String.valueOf(Json.object(line).get("uuid")));
          }
        }
      }
    }
    return uuids;
  }

  /**
   * The accounting every scenario ends with, and its {@code [faults]} line.
   *
   * @param endsHealthy the endpoint answers 2xx again before the end: everything accepted and not dropped arrived
   */
  private void account(boolean endsHealthy) throws IOException {
    long accepted = 0;
    long delivered = 0;
    long retries = 0;
    Map<String, Long> droppedBy = new LinkedHashMap<>();
    for (OtelAnalytics run : runs) {
      DeliveryStats s = run.stats();
      accepted += s.accepted();
      delivered += s.eventsDelivered();
      retries += s.retries();
      droppedBy.merge("rejected", s.droppedRejected(), Long::sum);
      droppedBy.merge("oversize", s.droppedOversize(), Long::sum);
      droppedBy.merge("outbox_full", s.droppedOutboxFull(), Long::sum);
      droppedBy.merge("corrupt", s.droppedCorrupt(), Long::sum);
      droppedBy.merge("mapping", s.mappingFailures(), Long::sum);
      droppedBy.merge("failed", s.eventsFailed(), Long::sum);
    }
    long dropped = droppedBy.values().stream().mapToLong(Long::longValue).sum();
    long waiting = waiting();
    PhasedDispatcher.Accounting endpoint = dispatcher.accounting();
    Set<String> acceptedUuids = acceptedUuids();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    Map<String, Long> nonZero = new LinkedHashMap<>();
    droppedBy.forEach((reason, n) -> {
      if (n > 0) {
        nonZero.put(reason, n);
      }
    });
    System.out.printf("[faults] %-44s accepted=%3d delivered=%3d dropped=%d %s waiting=%d duplicates=%d retries=%d requests=%d time=%dms%n",
        scenario, accepted, delivered, dropped, nonZero, waiting, endpoint.duplicated().size(), retries, requests(), millis);

    assertThat(accepted).as("something was sent").isPositive();
    assertThat(acceptedUuids).as("one event, with its own uuid, for each accepted span").hasSize((int) accepted);
    assertThat(accepted).as("accepted = delivered + dropped with a reason + still in the outbox")
        .isEqualTo(delivered + dropped + waiting);
    assertThat(endpoint.conflicting()).as("uuids delivered with two different contents").isEmpty();
    assertThat(acceptedUuids).as("the endpoint got only events that were accepted").containsAll(endpoint.delivered());
    assertThat((long) endpoint.delivered().size()).as("distinct uuids at the endpoint").isGreaterThanOrEqualTo(delivered);
    if (endsHealthy) {
      assertThat(waiting).as("nothing left in the outbox").isZero();
      assertThat((long) endpoint.delivered().size()).as("every accepted uuid not dropped arrived").isEqualTo(accepted - dropped);
      assertThat(delivered).isEqualTo(accepted - dropped);
    }
  }

  private static MockResponse answer(int code) {
    return PhasedDispatcher.status(code);
  }

  private static MockResponse retryAfter(int code, String header) {
    return new MockResponse.Builder().code(code).addHeader("Retry-After", header).body("{}").build();
  }

  /** A phase that depends on how many requests came before (never on how often it is asked). */
  private Supplier<MockResponse> byRequest(IntFunction<MockResponse> answerFor) {
    return () -> answerFor.apply(dispatcher.exchanges().size());
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void endpointDownThenUp() throws Exception {
    int port;
    try (ServerSocket reserve = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = reserve.getLocalPort();
    }
    OtelAnalytics analytics = start("http://127.0.0.1:" + port, Setup.fast());
    emit(analytics, 20);
    assertThat(await(() -> analytics.stats().retries() >= 3, Duration.ofSeconds(5))).as("connection refused, retried").isTrue();
    assertThat(analytics.stats().eventsDelivered()).isZero();

    server.start(InetAddress.getByName("127.0.0.1"), port);

    assertThat(settled()).isTrue();
    account(true);
  }

  @Test
  void flappingEndpoint() throws Exception {
    // 503, an answer lost after the server took the batch, 200, 502, and again.
    dispatcher.setPhase(byRequest(n -> switch (n % 4) {
      case 0 -> answer(503);
      case 1 -> new MockResponse.Builder().code(200).body("{}").onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
      case 2 -> answer(200);
      default -> answer(502);
    }));
    OtelAnalytics analytics = start(endpoint(), Setup.fast());
    for (int wave = 0; wave < 4; wave++) {
      emit(analytics, 5);
      Thread.sleep(50);
    }

    assertThat(settled()).isTrue();
    account(true);
  }

  @Test
  void slowerThanTheExportTimeout() throws Exception {
    // The server takes each batch but answers after the client gave up: resent, so duplicates, same contents.
    long slowUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
    dispatcher.setPhase(() -> System.nanoTime() - slowUntil < 0
        ? new MockResponse.Builder().code(200).body("{}").headersDelay(700, TimeUnit.MILLISECONDS).build()
        : answer(200));
    OtelAnalytics analytics = sendUntilSettled(Setup.fast().timeout(Duration.ofMillis(300)), 15);
    assertThat(analytics.stats().retries()).as("time-outs are retries").isPositive();
    account(true);
  }

  @Test
  void connectionResetMidRequest() throws Exception {
    // The server closes the connection while it reads the body (the first four requests, then every other one).
    dispatcher.setPhase(byRequest(n -> n < 4 || n % 2 == 0
        ? new MockResponse.Builder().code(503).onRequestBody(new SocketEffect.CloseSocket()).build()
        : answer(200)));
    sendUntilSettled(Setup.fast(), 20);
    List<PhasedDispatcher.Exchange> exchanges = dispatcher.exchanges();
    for (int i = 0; i + 1 < exchanges.size(); i++) {
      if (exchanges.get(i).status() == 503) {
        assertThat(exchanges.get(i + 1).request().getConnectionIndex()).as("the connection was reset: the next request needed a new one")
            .isNotEqualTo(exchanges.get(i).request().getConnectionIndex());
      }
    }
    account(true);
  }

  @Test
  void halfWrittenResponses() throws Exception {
    // 2xx whose body is cut off (taken: the status is the answer), an answer cut before its status
    // line (the server took it; resent), and a 503 whose body is cut off (retried).
    String body = "{\"status\":\"Ok\",\"padding\":\"" + "x".repeat(4000) + "\"}";
    dispatcher.setPhase(byRequest(n -> switch (n % 3) {
      case 0 -> new MockResponse.Builder().code(200).body(body).onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
      case 1 -> new MockResponse.Builder().code(200).body(body).onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
      default -> new MockResponse.Builder().code(503).body(body).onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
    }));
    sendUntilSettled(Setup.fast(), 25);
    account(true);
  }

  @Test
  void connectionClosedAfterEveryAnswer() throws Exception {
    // Issue 14, fault 1, as measured: three CLI runs of 5 events each, the first two answered 503;
    // the third meets a server that closes the connection after each answer (HTTP/1.0 style).
    Setup cli = Setup.fast().likeACli();
    dispatcher.setPhase(() -> answer(503));
    for (int run = 0; run < 2; run++) {
      OtelAnalytics analytics = start(endpoint(), cli);
      emit(analytics, 5);
      assertThat(analytics.shutdown().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(waiting()).as("two runs' batches left for later").isEqualTo(10);

    dispatcher.setPhase(() -> new MockResponse.Builder().code(200).body("{}")
        .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build());
    OtelAnalytics third = start(endpoint(), cli);
    emit(third, 5);
    // A CLI exits at once: whatever shutdown does not send is left for later.
    assertThat(third.shutdown().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(third.stats().eventsDelivered()).as("the third run delivered all three runs' events").isEqualTo(15);
    assertThat(third.stats().retries()).as("no batch went into backoff").isZero();
    account(true);
  }

  @Test
  void fiveHundredsInBursts() throws Exception {
    // Bursts of five 5xx answers, then two 2xx.
    int[] cycle = {500, 502, 503, 504, 500, 200, 200};
    dispatcher.setPhase(byRequest(n -> answer(cycle[n % cycle.length])));
    sendUntilSettled(Setup.fast(), 40);
    account(true);
  }

  @Test
  void payloadTooLarge() throws Exception {
    // 413 to the first two requests: the batch of 10 is split (5 + 5, then 2 + 3) and all arrives.
    dispatcher.setPhase(byRequest(n -> answer(n < 2 ? 413 : 200)));
    OtelAnalytics analytics = sendUntilSettled(Setup.fast().batchSize(10), 10);
    assertThat(analytics.stats().eventsDelivered()).isEqualTo(10);

    // 413 to everything: halves down to single events, which are dropped and counted as oversize.
    dispatcher.setPhase(() -> answer(413));
    emit(analytics, 2);

    assertThat(settled()).isTrue();
    assertThat(analytics.stats().droppedOversize()).isEqualTo(2);
    account(true);
  }

  @Test
  void tooManyRequestsRetryAfterSeconds() throws Exception {
    dispatcher.setPhase(byRequest(n -> n == 0 ? retryAfter(429, "1") : answer(200)));
    long start = System.nanoTime();
    sendUntilSettled(Setup.fast(), 5);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("waited the second asked for").isGreaterThanOrEqualTo(950);
    assertThat(requests()).as("nothing in between").isEqualTo(2);
    account(true);
  }

  @Test
  void tooManyRequestsRetryAfterHttpDate() throws Exception {
    String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
    dispatcher.setPhase(byRequest(n -> n == 0 ? retryAfter(429, inTwoSeconds) : answer(200)));
    long start = System.nanoTime();
    sendUntilSettled(Setup.fast(), 5);

    // The date has whole seconds: between 1 and 2 s from now.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(950);
    assertThat(requests()).isEqualTo(2);
    account(true);
  }

  @Test
  void tooManyRequestsRetryAfterZero() throws Exception {
    // Issue 14, fault 3: "Retry-After: 0" (and a date in the past) for 1.5 s must not be a tight loop.
    long limitedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    String past = "Thu, 01 Jan 2015 00:00:00 GMT";
    dispatcher.setPhase(byRequest(n -> System.nanoTime() - limitedUntil < 0 ? retryAfter(429, n % 2 == 0 ? "0" : past) : answer(200)));
    OtelAnalytics analytics = start(endpoint(), Setup.fast());
    emit(analytics, 5);
    Thread.sleep(1500);
    int duringTheLimit = requests();

    assertThat(settled()).isTrue();
    assertThat(duringTheLimit).as("at most one request a second while the server says 'now'").isBetween(1, 3);
    account(true);
  }

  @Test
  void tooManyRequestsRetryAfterHuge() throws Exception {
    // A year's Retry-After waits 5 min at most; this run ends first and leaves the batch in the
    // outbox, which the next run (the endpoint healthy again) delivers.
    dispatcher.setPhase(() -> retryAfter(429, "31536000"));
    OtelAnalytics first = start(endpoint(), Setup.fast());
    emit(first, 5);
    Thread.sleep(1500);
    assertThat(requests()).as("no second attempt within 1.5 s").isEqualTo(1);
    assertThat(first.shutdown().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(waiting()).isEqualTo(5);

    dispatcher.setPhase(() -> answer(200));
    OtelAnalytics next = start(endpoint(), Setup.fast());
    emit(next, 5);

    assertThat(await(() -> next.stats().eventsDelivered() >= 10, SETTLE)).isTrue();
    account(true);
  }
}
