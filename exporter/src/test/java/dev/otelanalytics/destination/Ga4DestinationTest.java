package dev.otelanalytics.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.otelanalytics.destination.DeliveryResult.Kind;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ga4.Ga4Rules;
import dev.otelanalytics.testing.Events;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.SecretLeakCheck;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Ga4Destination} against a local {@link MockWebServer}: the Measurement Protocol request
 * field by field, how each answer is read, GA4's limits applied before sending, builder
 * validation, and that the API secret never leaks.
 *
 * <p>After every test the captured log, every destination's {@code toString()} and every
 * {@link DeliveryResult} the test got are checked for the secret.
 */
class Ga4DestinationTest {
  /** Distinctive, so that any leak is unmistakable. */
  private static final String SECRET = "GA4secretCANARY987";
  private static final String SECRET_FRAGMENT = "secretCANARY";
  private static final String MEASUREMENT_ID = "G-TEST123";
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration DEADLOCK_GUARD = Duration.ofSeconds(30);

  private MockWebServer server;
  private SecretLeakCheck secrets;

  @BeforeEach
  void start() throws IOException {
    secrets = new SecretLeakCheck(SECRET_FRAGMENT);
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stopAndCheckTheSecretNeverLeaked() throws Exception {
    try {
      secrets.close();
    } finally {
      server.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The server's base address without the trailing slash, e.g. {@code http://localhost:1234}. */
  private String base() {
    String url = server.url("/").toString();
    return url.substring(0, url.length() - 1);
  }

  private Ga4Destination destination(UnaryOperator<Ga4DestinationBuilder> configure) {
    Ga4Destination d = configure.apply(Ga4Destination.builder().setEndpoint(base()).setMeasurementId(MEASUREMENT_ID)
        .setApiSecret(SECRET).setClock(CLOCK)).build();
    secrets.watch(d);
    return d;
  }

  private Ga4Destination destination() {
    return destination(b -> b);
  }

  private DeliveryResult send(Ga4Destination d, List<AnalyticsEvent> events) {
    DeliveryResult result = assertTimeoutPreemptively(DEADLOCK_GUARD, () -> d.send(events));
    secrets.watch(result);
    return result;
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the server").isNotNull();
    return r;
  }

  private static Map<String, Object> body(RecordedRequest r) {
    return Json.object(r.getBody().string(StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> events(Map<String, Object> body) {
    return (List<Map<String, Object>>) body.get("events");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(Map<String, Object> event) {
    return (Map<String, Object>) event.get("params");
  }

  private static AnalyticsEvent event(String iso, String name, Map<String, Object> properties) {
    return Events.at(iso, name, properties);
  }

  private static AnalyticsEvent small(String name) {
    return event("2026-11-23T10:15:30Z", name, Map.of("cli.command", name));
  }

  private static AnalyticsEvent withId(String distinctId, String name) {
    return AnalyticsEvent.create(name, distinctId, Events.nanos(Instant.parse("2026-11-23T10:15:30Z")),
        UUID.randomUUID().toString(), Map.of());
  }

  private static AnalyticsEvent at(Instant when, String name) {
    return AnalyticsEvent.create(name, Events.DISTINCT_ID, Events.nanos(when), UUID.randomUUID().toString(), Map.of());
  }

  private static List<AnalyticsEvent> smallEvents(int n) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(small("e" + i));
    }
    return out;
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().code(204).build();
  }

  // ---------------------------------------------------------------- 1. the request

  @Test
  void postsJsonToMpCollectWithTheMeasurementIdAndSecretInTheQuery() throws Exception {
    server.enqueue(ok());

    DeliveryResult result = send(destination(), List.of(small("inspect")));

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(result.eventsDroppedAsOversize()).isZero();
    RecordedRequest r = take();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getTarget()).isEqualTo("/mp/collect?measurement_id=G-TEST123&api_secret=" + SECRET);
    HttpUrl url = r.getUrl();
    assertThat(url.encodedPath()).isEqualTo("/mp/collect");
    assertThat(url.queryParameterNames()).containsExactlyInAnyOrder("measurement_id", "api_secret");
    assertThat(url.queryParameterValues("measurement_id")).containsExactly(MEASUREMENT_ID);
    assertThat(url.queryParameterValues("api_secret")).containsExactly(SECRET);
    MediaType contentType = MediaType.parse(r.getHeaders().get("Content-Type"));
    assertThat(contentType).isNotNull();
    assertThat(contentType.type() + "/" + contentType.subtype()).isEqualTo("application/json");
    assertThat(contentType.charset()).isIn(null, StandardCharsets.UTF_8);
    assertThat(r.getHeaders().get("Content-Encoding")).isNull();
  }

  @ParameterizedTest(name = "endpoint +[{0}] -> {1}")
  @CsvSource({
      "'',             /mp/collect",
      "/,              /mp/collect",
      "/proxy,         /proxy/mp/collect",
      "/proxy/,        /proxy/mp/collect",
      "/a/b/ga4/,      /a/b/ga4/mp/collect",
      "/mp/collect,    /mp/collect",
      "/mp/collect/,   /mp/collect",
      "/proxy/mp/collect, /proxy/mp/collect",
  })
  void theCollectPathIsAppendedToTheEndpointWithOrWithoutATrailingSlash(String suffix, String expectedPath) throws Exception {
    server.enqueue(ok());
    Ga4Destination d = destination(b -> b.setEndpoint(base() + suffix));

    assertThat(send(d, List.of(small("a"))).kind()).isEqualTo(Kind.DELIVERED);

    RecordedRequest r = take();
    assertThat(r.getUrl().encodedPath()).isEqualTo(expectedPath);
    assertThat(r.getTarget()).isEqualTo(expectedPath + "?measurement_id=G-TEST123&api_secret=" + SECRET);
  }

  @Test
  void theBodyHasEveryFieldGa4Needs() throws Exception {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("duration_ms", 1234L);
    props.put("success", true);
    props.put("error_type", "IOException");
    props.put("cli.command", "inspect");
    props.put("count", 42L);
    props.put("ratio", 0.25);
    props.put("off", false);
    props.put("tags", List.of("a", "b"));
    props.put("long.text", "t".repeat(150));
    props.put("nan", Double.NaN);
    props.put("unicode", "é ✓ \"quoted\"");
    AnalyticsEvent first = event("2026-11-23T10:15:30.123456789Z", "cli.command", props);
    AnalyticsEvent second = event("2026-11-23T10:16:00Z", "error", Map.of());
    server.enqueue(ok());

    DeliveryResult result = send(destination(), List.of(first, second));

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    Map<String, Object> body = body(take());
    assertThat(body.keySet()).containsExactly("client_id", "timestamp_micros", "non_personalized_ads", "events");
    assertThat(body.get("client_id")).isEqualTo(Events.DISTINCT_ID);
    assertThat(body.get("timestamp_micros")).isEqualTo(first.timestampEpochNanos() / 1000).isEqualTo(1795428930123456L);
    assertThat(body.get("non_personalized_ads")).isEqualTo(Boolean.TRUE);
    List<Map<String, Object>> events = events(body);
    assertThat(events).hasSize(2);

    Map<String, Object> a = events.get(0);
    assertThat(a.keySet()).containsExactlyInAnyOrder("name", "params", "timestamp_micros");
    assertThat(a.get("name")).isEqualTo("cli_command");
    assertThat(a.get("timestamp_micros")).isEqualTo(1795428930123456L);
    Map<String, Object> pa = params(a);
    assertThat(pa.keySet()).containsExactly("engagement_time_msec", "session_id", "duration_ms", "success", "error_type",
        "cli_command", "count", "ratio", "off", "tags", "long_text", "unicode");
    assertThat(pa.get("engagement_time_msec")).isEqualTo(1234L);
    assertThat(pa.get("session_id")).isInstanceOf(Long.class);
    assertThat((Long) pa.get("session_id")).isPositive();
    assertThat(pa.get("duration_ms")).isEqualTo(1234L);
    assertThat(pa.get("success")).isEqualTo("true");
    assertThat(pa.get("error_type")).isEqualTo("IOException");
    assertThat(pa.get("cli_command")).isEqualTo("inspect");
    assertThat(pa.get("count")).isEqualTo(42L);
    assertThat(pa.get("ratio")).isEqualTo(0.25);
    assertThat(pa.get("off")).isEqualTo("false");
    assertThat(pa.get("tags")).isEqualTo("a,b");
    assertThat(pa.get("long_text")).isEqualTo("t".repeat(100));
    assertThat(pa.get("unicode")).isEqualTo("é ✓ \"quoted\"");
    assertThat(pa).doesNotContainKey("nan");

    Map<String, Object> b = events.get(1);
    assertThat(b.get("name")).isEqualTo("app_error");
    assertThat(b.get("timestamp_micros")).isEqualTo(second.timestampEpochNanos() / 1000).isEqualTo(1795428960000000L);
    assertThat(params(b).keySet()).containsExactly("engagement_time_msec", "session_id");
    assertThat(params(b).get("engagement_time_msec")).isEqualTo(1L);
    assertThat(params(b).get("session_id")).isEqualTo(pa.get("session_id"));

    for (Map<String, Object> e : events) {
      assertThat(Ga4Rules.isValidEventName((String) e.get("name"))).isTrue();
      assertThat(params(e).keySet()).allSatisfy(k -> assertThat(Ga4Rules.isValidParamName(k)).as(k).isTrue());
    }
  }

  @Test
  void aValueCutAtTheLimitIsStillValidUnicode() throws Exception {
    server.enqueue(ok());

    send(destination(), List.of(event("2026-11-23T10:15:30Z", "x", Map.of("label", "x".repeat(99) + "\uD83D\uDE00"))));

    String sent = (String) params(events(body(take())).get(0)).get("label");
    assertThat(sent).isEqualTo("x".repeat(99));
    assertThat(sent.codePoints()).as("no lone surrogate").noneMatch(c -> c >= 0xD800 && c <= 0xDFFF);
  }

  @Test
  void theBodyIsWhatBodyReturns() throws Exception {
    List<AnalyticsEvent> events = List.of(small("a"), small("b"));
    server.enqueue(ok());
    Ga4Destination d = destination();

    send(d, events);

    assertThat(take().getBody().toByteArray()).isEqualTo(d.body(events));
  }

  @ParameterizedTest(name = "duration_ms {0} -> engagement_time_msec {1}")
  @CsvSource(nullValues = "NONE", value = {
      "1234,  1234",
      "1,     1",
      "0,     1",
      "-5,    1",
      "NONE,  1",
  })
  void engagementTimeIsTheDurationAndAtLeastOne(Long duration, long expected) throws Exception {
    Map<String, Object> props = new LinkedHashMap<>();
    if (duration != null) {
      props.put("duration_ms", duration);
    }
    server.enqueue(ok());

    send(destination(), List.of(event("2026-11-23T10:15:30Z", "x", props)));

    assertThat(params(events(body(take())).get(0)).get("engagement_time_msec")).isEqualTo(expected);
  }

  @Test
  void theSessionIdIsOnePositiveNumberPerDestinationInstance() throws Exception {
    server.enqueue(ok());
    server.enqueue(ok());
    server.enqueue(ok());
    Ga4Destination one = destination();
    Ga4Destination other = destination();

    send(one, List.of(small("a"), small("b"), small("c")));
    send(one, List.of(small("d")));
    send(other, List.of(small("e")));

    Set<Object> firstRequest = new HashSet<>();
    for (Map<String, Object> e : events(body(take()))) {
      firstRequest.add(params(e).get("session_id"));
    }
    Object secondRequest = params(events(body(take())).get(0)).get("session_id");
    Object otherInstance = params(events(body(take())).get(0)).get("session_id");
    assertThat(firstRequest).hasSize(1);
    Object session = firstRequest.iterator().next();
    assertThat(session).isInstanceOf(Long.class);
    assertThat((Long) session).isPositive();
    assertThat(secondRequest).isEqualTo(session);
    assertThat(otherInstance).isInstanceOf(Long.class).isNotEqualTo(session);
    assertThat((Long) otherInstance).isPositive();
  }

  @Test
  void anEventWithFortyPropertiesIsSentWithTwentyFiveParams() throws Exception {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      props.put(String.format("prop.%02d", i), "v" + i);
    }
    server.enqueue(ok());

    send(destination(), List.of(event("2026-11-23T10:15:30Z", "many", props)));

    Map<String, Object> params = params(events(body(take())).get(0));
    assertThat(params).hasSize(25);
    List<String> expected = new ArrayList<>(List.of("engagement_time_msec", "session_id"));
    for (int i = 0; i < 23; i++) {
      expected.add(String.format("prop_%02d", i));
    }
    assertThat(params.keySet()).containsExactlyElementsOf(expected);
    assertThat(params.get("prop_22")).isEqualTo("v22");
  }

  @Test
  void propertiesThatCannotBeSentDoNotUseUpTheTwentyFiveParams() throws Exception {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("nan", Double.NaN);
    props.put("___", "no name left");
    props.put("dup.a", "first");
    props.put("dup-a", "second");
    for (int i = 0; i < 30; i++) {
      props.put(String.format("p%02d", i), (long) i);
    }
    server.enqueue(ok());

    send(destination(), List.of(event("2026-11-23T10:15:30Z", "x", props)));

    Map<String, Object> params = params(events(body(take())).get(0));
    assertThat(params).hasSize(25).containsEntry("dup_a", "first").containsKey("p21").doesNotContainKey("p22");
  }

  @Test
  void onParamNameCollisionsTheFirstWins() throws Exception {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("cli.command", "first");
    props.put("cli-command", "second");
    props.put("cli command", "third");
    props.put("cli_command", "fourth");
    props.put("session.id", 7L);
    props.put("engagement.time.msec", 99999L);
    props.put("duration_ms", 250L);
    server.enqueue(ok());

    send(destination(), List.of(event("2026-11-23T10:15:30Z", "x", props)));

    Map<String, Object> params = params(events(body(take())).get(0));
    assertThat(params.keySet()).containsExactly("engagement_time_msec", "session_id", "cli_command", "duration_ms");
    assertThat(params.get("cli_command")).isEqualTo("first");
    assertThat(params.get("engagement_time_msec")).isEqualTo(250L);
    assertThat(params.get("session_id")).isNotEqualTo(7L);
  }

  @Test
  void anEventNameWithNothingUsableLeftIsSentAsAppEvent() throws Exception {
    server.enqueue(ok());

    send(destination(), List.of(event("2026-11-23T10:15:30Z", "...", Map.of())));

    assertThat(events(body(take())).get(0).get("name")).isEqualTo("app_event");
  }

  /**
   * The mapping log goes through a static ThrottledLogger (5 lines a minute for the whole JVM),
   * so whether the line appears depends on which tests ran before: only "never twice, never
   * above FINE" is asserted.
   */
  @Test
  void aNameMappingIsLoggedAtMostOnceAndOnlyAtFine() throws Exception {
    server.enqueue(ok());
    server.enqueue(ok());
    server.enqueue(ok());
    Ga4Destination d = destination();

    for (int i = 0; i < 3; i++) {
      send(d, List.of(event("2026-11-23T10:15:3" + i + "Z", "cli.command", Map.of("report.format", "json"))));
    }

    List<String> all = secrets.logs().messages(Level.ALL);
    assertThat(all).filteredOn(m -> m.contains("GA4 event 'cli.command' is sent as 'cli_command'")).hasSizeLessThanOrEqualTo(1);
    assertThat(all).filteredOn(m -> m.contains("GA4 parameter 'report.format' is sent as 'report_format'"))
        .hasSizeLessThanOrEqualTo(1);
    assertThat(all).noneMatch(m -> m.contains("json"));
    assertThat(secrets.logs().messages(Level.CONFIG)).noneMatch(m -> m.contains("GA4"));
  }

  // ---------------------------------------------------------------- 2. answers

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
      "200, DELIVERED",
      "201, DELIVERED",
      "204, DELIVERED",
      "408, RETRY",
      "429, RETRY",
      "500, RETRY",
      "502, RETRY",
      "503, RETRY",
      "400, REJECTED",
      "422, REJECTED",
      "401, STOP",
      "403, STOP",
      "404, STOP",
      "405, STOP",
      "301, STOP",
      "302, STOP",
      "307, STOP",
      "308, STOP",
  })
  void eachAnswerIsReadAsItsKind(int code, Kind expected) throws Exception {
    MockResponse.Builder response = new MockResponse.Builder().code(code);
    if (code >= 300 && code < 400) {
      response.addHeader("Location", server.url("/moved/mp/collect?measurement_id=x").toString());
    }
    server.enqueue(response.build());
    server.enqueue(ok());

    DeliveryResult result = send(destination(), List.of(small("a")));

    assertThat(result.kind()).isEqualTo(expected);
    assertThat(result.eventsDroppedAsOversize()).isZero();
    assertThat(server.getRequestCount()).as("never follows a redirect or retries by itself").isEqualTo(1);
    if (expected == Kind.STOP) {
      assertThat(result.reason()).contains("HTTP " + code).contains("OTEL_EXPORTER_GA4_ENDPOINT");
    } else if (expected != Kind.DELIVERED) {
      assertThat(result.reason()).isEqualTo("HTTP " + code);
    }
    if (expected == Kind.RETRY) {
      assertThat(result.retryAfter()).isNull();
    }
  }

  @ParameterizedTest(name = "{0} Retry-After: [{1}] -> {2}")
  @CsvSource(delimiter = '|', value = {
      "429 | 120                           | PT2M",
      "429 | 0                             | PT0S",
      "503 | Mon, 23 Nov 2026 12:01:30 GMT | PT1M30S",
      "429 | soon                          | ",
  })
  void retryAfterIsPassedOn(int code, String header, Duration expected) throws Exception {
    server.enqueue(new MockResponse.Builder().code(code).addHeader("Retry-After", header).build());

    DeliveryResult result = send(destination(), List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.retryAfter()).isEqualTo(expected);
  }

  @Test
  void aStalledServerIsATimedOutRetry() {
    server.enqueue(new MockResponse.Builder().headersDelay(10, TimeUnit.SECONDS).build());
    Ga4Destination d = destination(b -> b.setTimeout(Duration.ofMillis(300)));

    long start = System.nanoTime();
    DeliveryResult result = send(d, List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.reason()).contains("timed out");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
  }

  @Test
  void aClosedPortIsARetry() throws IOException {
    int port;
    try (MockWebServer gone = new MockWebServer()) {
      gone.start();
      port = gone.getPort();
    }
    Ga4Destination d = destination(b -> b.setEndpoint("http://127.0.0.1:" + port).setTimeout(Duration.ofSeconds(2)));

    DeliveryResult result = send(d, List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.reason()).isNotBlank();
  }

  @Test
  void aServerThatClosesTheConnectionAfterEveryAnswerTakesEveryBatchAtTheFirstAttempt() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(204).onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build());
    }
    Ga4Destination d = destination(b -> b.setTimeout(Duration.ofSeconds(5)));

    List<Kind> kinds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      kinds.add(send(d, List.of(small("e" + i))).kind());
    }

    assertThat(kinds).containsOnly(Kind.DELIVERED);
    assertThat(server.getRequestCount()).as("each batch reached the server once").isEqualTo(3);
  }

  // ---------------------------------------------------------------- 3. limits

  @Test
  void twentySixEventsAreTooLargeWithoutARequestAndTwentyFiveAreSent() throws Exception {
    DeliveryResult tooMany = send(destination(), smallEvents(26));

    assertThat(tooMany.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(tooMany.eventsDroppedAsOversize()).isZero();
    assertThat(server.getRequestCount()).isZero();

    server.enqueue(ok());
    DeliveryResult justEnough = send(destination(), smallEvents(25));
    assertThat(justEnough.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(events(body(take()))).hasSize(25);
    assertThat(destination().maxBatchSize()).isEqualTo(25);
  }

  /**
   * 25 events of 23 string properties each whose encoded body is exactly {@code bytes} long:
   * values of CJK characters (3 bytes each in UTF-8) and ASCII fill the body to the byte.
   */
  private static List<AnalyticsEvent> eventsWithBodyOf(Ga4Destination d, int bytes) {
    int eventCount = 25;
    int slots = 23;
    String[][] values = new String[eventCount][slots];
    for (String[] row : values) {
      java.util.Arrays.fill(row, "");
    }
    int base = d.body(build(values)).length;
    int missing = bytes - base;
    assertThat(missing).as("room to fill").isPositive();
    for (int e = 0; e < eventCount && missing > 0; e++) {
      for (int s = 0; s < slots && missing > 0; s++) {
        int x = Math.min(missing, 294);
        int cjk = x / 3;
        int ascii = x - 3 * cjk;
        values[e][s] = "中".repeat(cjk) + "a".repeat(ascii);
        assertThat(values[e][s]).hasSizeLessThanOrEqualTo(100);
        missing -= x;
      }
    }
    assertThat(missing).as("the slots hold enough").isZero();
    List<AnalyticsEvent> events = build(values);
    assertThat(d.body(events)).hasSize(bytes);
    return events;
  }

  private static List<AnalyticsEvent> build(String[][] values) {
    List<AnalyticsEvent> events = new ArrayList<>();
    for (int e = 0; e < values.length; e++) {
      Map<String, Object> props = new LinkedHashMap<>();
      for (int s = 0; s < values[e].length; s++) {
        props.put(String.format("p%02d", s), values[e][s]);
      }
      events.add(AnalyticsEvent.create("e", Events.DISTINCT_ID, Events.nanos(Instant.parse("2026-11-23T10:15:30Z")),
          "00000000-0000-4000-8000-" + String.format("%012d", e), props));
    }
    return events;
  }

  @Test
  void aBodyOf130000BytesIsTooLargeWithoutARequest() {
    Ga4Destination d = destination();
    List<AnalyticsEvent> events = eventsWithBodyOf(d, 130_000);

    DeliveryResult result = send(d, events);

    assertThat(result.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(result.eventsDroppedAsOversize()).isZero();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aBodyOf129999BytesIsSent() throws Exception {
    Ga4Destination d = destination();
    List<AnalyticsEvent> events = eventsWithBodyOf(d, 129_999);
    server.enqueue(ok());

    DeliveryResult result = send(d, events);

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    RecordedRequest r = take();
    assertThat(r.getBodySize()).isEqualTo(129_999L);
    assertThat(events(body(r))).hasSize(25);
  }

  @Test
  void aBodyFarOverTheLimitIsTooLarge() {
    Ga4Destination d = destination();

    DeliveryResult result = send(d, eventsWithBodyOf(d, 160_000));

    assertThat(result.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void eventsOlderThanSeventyTwoHoursAreLeftOutAndCounted() throws Exception {
    Instant limit = NOW.minus(Duration.ofHours(72));
    AnalyticsEvent fresh = at(NOW.minusSeconds(60), "fresh");
    AnalyticsEvent exactlyAtTheLimit = at(limit, "at_the_limit");
    AnalyticsEvent justTooOld = at(limit.minusNanos(1), "just_too_old");
    AnalyticsEvent weekOld = at(NOW.minus(Duration.ofDays(7)), "week_old");
    server.enqueue(ok());

    DeliveryResult result = send(destination(), List.of(justTooOld, fresh, weekOld, exactlyAtTheLimit));

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(result.eventsDroppedAsTooOld()).isEqualTo(2);
    assertThat(result.eventsDroppedAsOversize()).as("too old is not oversize").isZero();
    Map<String, Object> body = body(take());
    assertThat(events(body)).extracting(e -> e.get("name")).containsExactly("fresh", "at_the_limit");
    assertThat(body.get("timestamp_micros")).as("the first event sent, not the first given")
        .isEqualTo(fresh.timestampEpochNanos() / 1000);
  }

  @Test
  void whenEveryEventIsTooOldNoRequestIsMade() {
    Instant old = NOW.minus(Duration.ofHours(73));

    DeliveryResult result = send(destination(), List.of(at(old, "a"), at(old, "b"), at(old.minusSeconds(1), "c")));

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(result.eventsDroppedAsTooOld()).isEqualTo(3);
    assertThat(result.eventsDroppedAsOversize()).isZero();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theSeventyTwoHoursAreCountedFromTheInjectedClock() throws Exception {
    AnalyticsEvent e = at(Instant.parse("2026-11-23T10:15:30Z"), "a");
    Ga4Destination later = destination(b -> b.setClock(Clock.fixed(Instant.parse("2026-11-26T10:15:30Z"), ZoneOffset.UTC)));
    Ga4Destination tooLate = destination(b -> b.setClock(Clock.fixed(Instant.parse("2026-11-26T10:15:30.001Z"), ZoneOffset.UTC)));
    server.enqueue(ok());

    assertThat(send(later, List.of(e)).eventsDroppedAsTooOld()).isZero();
    assertThat(send(tooLate, List.of(e)).eventsDroppedAsTooOld()).isEqualTo(1);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void eventsOfTwoInstallsAreTooLargeSoTheEngineSplitsThem() {
    DeliveryResult result = send(destination(), List.of(withId("id-one", "a"), withId("id-one", "b"), withId("id-two", "c")));

    assertThat(result.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void anOtherInstallsEventThatIsTooOldDoesNotForceASplit() throws Exception {
    AnalyticsEvent stale = AnalyticsEvent.create("old", "id-two", Events.nanos(NOW.minus(Duration.ofDays(4))),
        UUID.randomUUID().toString(), Map.of());
    server.enqueue(ok());

    DeliveryResult result = send(destination(), List.of(small("a"), stale));

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(result.eventsDroppedAsTooOld()).isEqualTo(1);
    assertThat(result.eventsDroppedAsOversize()).isZero();
    assertThat(body(take()).get("client_id")).isEqualTo(Events.DISTINCT_ID);
  }

  @Test
  void anEmptyBatchMakesNoRequest() {
    DeliveryResult result = send(destination(), List.of());

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(server.getRequestCount()).isZero();
  }

  // ---------------------------------------------------------------- 4. the validation server

  @Test
  void validatePostsTheSameBodyToDebugMpCollectAndReadsTheMessages() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"validationMessages\":["
        + "{\"fieldPath\":\"events\",\"description\":\"Event at index: [0] has invalid name [_bad].\",\"validationCode\":\"NAME_INVALID\"},"
        + "{\"description\":\"no path\",\"extra\":{\"nested\":[1,2]},\"validationCode\":\"VALUE_INVALID\"}],"
        + "\"other\":[1,{\"x\":2}]}").build());
    List<AnalyticsEvent> sample = List.of(small("a"));
    Ga4Destination d = destination();

    List<Ga4Destination.ValidationMessage> messages = d.validate(sample);

    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getTarget()).isEqualTo("/debug/mp/collect?measurement_id=G-TEST123&api_secret=" + SECRET);
    assertThat(r.getBody().toByteArray()).isEqualTo(d.body(sample));
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).fieldPath()).isEqualTo("events");
    assertThat(messages.get(0).description()).isEqualTo("Event at index: [0] has invalid name [_bad].");
    assertThat(messages.get(0).validationCode()).isEqualTo("NAME_INVALID");
    assertThat(messages.get(1).fieldPath()).isEmpty();
    assertThat(messages.get(1).description()).isEqualTo("no path");
    assertThat(messages.get(1).validationCode()).isEqualTo("VALUE_INVALID");
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"{}", "{\"validationMessages\":[]}", "{\"other\":true}"})
  void validateWithoutMessagesIsEmpty(String answer) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body(answer).build());

    assertThat(destination().validate(List.of(small("a")))).isEmpty();
  }

  @ParameterizedTest(name = "HTTP {0} [{1}]")
  @CsvSource(delimiter = '|', value = {
      "500 | {}",
      "403 | {}",
      "200 | not json",
      "200 | [1,2]",
  })
  void validateFailsWithAnIoExceptionThatDoesNotNameTheSecret(int code, String answer) {
    server.enqueue(new MockResponse.Builder().code(code).body(answer).build());

    Throwable thrown = catchThrowable(() -> destination().validate(List.of(small("a"))));

    assertThat(thrown).isInstanceOf(IOException.class);
    assertThat(String.valueOf(thrown.getMessage())).doesNotContain(SECRET_FRAGMENT);
  }

  // ---------------------------------------------------------------- 5. builder validation and the secret

  @Test
  void toStringNamesTheEndpointAndIdButNotTheSecret() {
    Ga4Destination d = destination();

    assertThat(d.toString()).contains(base()).contains(MEASUREMENT_ID).contains("redacted").doesNotContain(SECRET_FRAGMENT);
    assertThat(d.name()).isEqualTo("ga4");
    assertThat(d.isRemote()).isTrue();
  }

  @Test
  void theDefaultEndpointIsGooglesOverHttps() {
    Ga4Destination d = Ga4Destination.builder().setMeasurementId(MEASUREMENT_ID).setApiSecret(SECRET).build();
    secrets.watch(d);

    assertThat(Ga4Destination.DEFAULT_ENDPOINT).isEqualTo("https://www.google-analytics.com");
    assertThat(d.toString()).contains("https://www.google-analytics.com");
    assertThat(d.url("/mp/collect").toString())
        .isEqualTo("https://www.google-analytics.com/mp/collect?measurement_id=G-TEST123&api_secret=" + SECRET);
    assertThat(URI.create(Ga4Destination.DEFAULT_ENDPOINT).getScheme()).isEqualTo("https");
  }

  @Test
  void buildWithoutIdOrSecretIsRefused() {
    assertThatThrownBy(() -> Ga4Destination.builder().setApiSecret(SECRET).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("measurement id is not set");
    assertThatThrownBy(() -> Ga4Destination.builder().setMeasurementId(MEASUREMENT_ID).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("API secret is not set");
    assertThatThrownBy(() -> Ga4Destination.builder().build()).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "[{0}] accepted")
  @ValueSource(strings = {"G-TEST123", "G-ABCDEF1234", "g-abc", "  G-TEST123  ", "G-1", "UA-1234-5",
      "G-123456789012345678901234567890123456X"})
  void acceptedMeasurementIds(String id) throws Exception {
    server.enqueue(ok());
    Ga4Destination d = destination(b -> b.setMeasurementId(id));

    send(d, List.of(small("a")));

    assertThat(take().getUrl().queryParameter("measurement_id")).isEqualTo(id.trim());
  }

  @ParameterizedTest(name = "[{0}] refused")
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "G TEST", "G_TEST", "G-TEST/1", "G-TEST?x=1", "G-TEST&api_secret=x", "G-TÉST",
      "G-1234567890123456789012345678901234567890"})
  void refusedMeasurementIds(String id) {
    assertThatThrownBy(() -> Ga4Destination.builder().setMeasurementId(id))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("G-3K2P9QW7LM");
  }

  @ParameterizedTest(name = "[{0}] refused without echoing it")
  @ValueSource(strings = {"GA4secret CANARY987", "GA4secretCANARY987 extra", "GA4secret\tCANARY987",
      "GA4secret\nCANARY987", "GA4secret\u0000CANARY987", "GA4secretCÄNARY987", "GA4secretCANARY987\u00a0x"})
  void aSecretWithSpacesOrOddCharactersIsRefusedWithoutEchoingIt(String secret) {
    Throwable thrown = catchThrowable(() -> Ga4Destination.builder().setApiSecret(secret));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    assertThat(thrown.getMessage()).contains("API secret").doesNotContain("GA4secret").doesNotContain("CANARY")
        .doesNotContain("CÄNARY");
    assertThat(thrown.getCause()).isNull();
  }

  @Test
  void aSecretOfMoreThan200CharactersOrNoneIsRefused() {
    Throwable tooLong = catchThrowable(() -> Ga4Destination.builder().setApiSecret(SECRET + "x".repeat(200)));
    assertThat(tooLong).isInstanceOf(IllegalArgumentException.class);
    assertThat(tooLong.getMessage()).doesNotContain(SECRET_FRAGMENT);
    assertThatThrownBy(() -> Ga4Destination.builder().setApiSecret(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ga4Destination.builder().setApiSecret("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ga4Destination.builder().setApiSecret("   ")).isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> Ga4Destination.builder().setApiSecret("x".repeat(200))).doesNotThrowAnyException();
  }

  @Test
  void aSecretWithSurroundingSpaceIsTrimmedAndOddAsciiIsEncodedInTheQuery() throws Exception {
    server.enqueue(ok());
    server.enqueue(ok());

    send(destination(b -> b.setApiSecret("  " + SECRET + "\n")), List.of(small("a")));
    send(destination(b -> b.setApiSecret(SECRET + "&x=1#+%")), List.of(small("a")));

    assertThat(take().getUrl().queryParameter("api_secret")).isEqualTo(SECRET);
    RecordedRequest odd = take();
    assertThat(odd.getUrl().queryParameter("api_secret")).isEqualTo(SECRET + "&x=1#+%");
    assertThat(odd.getUrl().queryParameterNames()).containsExactlyInAnyOrder("measurement_id", "api_secret");
  }

  @ParameterizedTest(name = "[{0}] accepted")
  @ValueSource(strings = {"https://www.google-analytics.com", "https://region1.google-analytics.com/", "https://proxy.example.com/ga4",
      "http://127.0.0.1:1234", "http://localhost:8080/", "http://[::1]:1234", "  https://example.com  ", "https://example.com:65535"})
  void acceptedEndpoints(String endpoint) {
    assertThatCode(() -> Ga4Destination.builder().setEndpoint(endpoint).setMeasurementId(MEASUREMENT_ID).setApiSecret(SECRET).build())
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "[{0}] refused, message mentions {1}")
  @CsvSource(delimiter = '|', value = {
      "http://www.google-analytics.com                        | https",
      "http://10.0.0.1:8000                                   | https",
      "http://localhost.example.com                           | https",
      "ftp://www.google-analytics.com                         | https",
      "www.google-analytics.com                               | https",
      "https://example.com/?api_secret=GA4secretCANARY987     | query",
      "https://user:GA4secretCANARY987@example.com            | credentials",
      "https://example.com/#GA4secretCANARY987                | fragment",
      "'   '                                                  | empty",
      "https://www.google-analytics.com/debug/mp/collect      | validation server",
      "https://www.google-analytics.com/debug/mp/collect/     | e.g. https://www.google-analytics.com",
      "http://localhost:99999                                 | endpoint has port 99999; a port is 1 to 65535",
      "https://www.google-analytics.com:0                     | port 0",
      "https://www.google-analytics.com:GA4secretCANARY987    | a port that is not a number from 1 to 65535",
      "https:///mp/collect                                    | no host name, e.g. https://www.google-analytics.com",
  })
  void refusedEndpointsDoNotEchoASecretInThem(String endpoint, String mention) {
    Throwable thrown = catchThrowable(() -> Ga4Destination.builder().setEndpoint(endpoint));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(mention);
    assertThat(thrown.getMessage()).doesNotContain(SECRET_FRAGMENT);
  }

  @Test
  void refusedBuilderSettings() {
    assertThatThrownBy(() -> Ga4Destination.builder().setEndpoint(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ga4Destination.builder().setTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> Ga4Destination.builder().setTimeout(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ga4Destination.builder().setTimeout(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ga4Destination.builder().setClock(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void closeWithoutAnySendAndTwiceIsHarmless() {
    Ga4Destination d = destination();
    d.close();
    d.close();
  }
}
