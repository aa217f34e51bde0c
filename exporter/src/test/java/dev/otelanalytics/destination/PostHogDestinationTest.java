package dev.otelanalytics.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.otelanalytics.destination.DeliveryResult.Kind;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.SecretLeakCheck;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.MediaType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PostHogDestination} against a local {@link MockWebServer}: the request field by field,
 * how every kind of answer is read, time-outs, size limits and that the API key never leaks.
 *
 * <p>After every test the captured log and every {@link DeliveryResult} the test got are checked
 * for the API key, so the "never leaks" rule is asserted across all cases, not just one.
 */
class PostHogDestinationTest {
  /** Distinctive, so that any leak is unmistakable. */
  private static final String KEY = "phc_SECRETcanary123";
  private static final String KEY_FRAGMENT = "SECRETcanary";
  private static final Duration DEADLOCK_GUARD = Duration.ofSeconds(30);
  private static final JsonFactory JSON = new JsonFactory();

  private MockWebServer server;
  private SecretLeakCheck secrets;

  @BeforeEach
  void start() throws IOException {
    secrets = new SecretLeakCheck(KEY_FRAGMENT);
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stopAndCheckNoKeyLeaked() throws Exception {
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

  private PostHogDestination destination(UnaryOperator<PostHogDestinationBuilder> configure) {
    PostHogDestination d = configure.apply(PostHogDestination.builder().setEndpoint(base()).setApiKey(KEY)).build();
    secrets.watch(d);
    return d;
  }

  private PostHogDestination destination() {
    return destination(b -> b);
  }

  private DeliveryResult send(PostHogDestination d, List<AnalyticsEvent> events) {
    DeliveryResult result = assertTimeoutPreemptively(DEADLOCK_GUARD, () -> d.send(events));
    secrets.watch(result);
    return result;
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the server").isNotNull();
    return r;
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }

  /** The request body as JSON, gunzipped when the request says so. */
  private static Map<String, Object> body(RecordedRequest r) throws IOException {
    byte[] raw = r.getBody().toByteArray();
    byte[] json = "gzip".equals(r.getHeaders().get("Content-Encoding")) ? gunzip(raw) : raw;
    return Json.object(new String(json, StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> batch(Map<String, Object> body) {
    return (List<Map<String, Object>>) body.get("batch");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(Map<String, Object> element) {
    return (Map<String, Object>) element.get("properties");
  }

  private static AnalyticsEvent event(String iso, String name, Map<String, Object> properties) {
    return Events.at(iso, name, properties);
  }

  private static AnalyticsEvent small(String name) {
    return event("2026-11-23T10:15:30Z", name, Map.of("cli.command", name));
  }

  private static AnalyticsEvent withPadding(int padding) {
    return event("2026-11-23T10:15:30Z", "big", Map.of("pad", "x".repeat(padding)));
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().code(200).body("{\"status\":\"Ok\"}").build();
  }

  // ---------------------------------------------------------------- 1. the request

  @Test
  void postsGzippedJsonToTheBatchPathWithEveryFieldOfEveryEvent() throws Exception {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("cli.command", "inspect");
    props.put("count", 42L);
    props.put("int", 7);
    props.put("ratio", 0.25);
    props.put("ok", true);
    props.put("off", false);
    props.put("tags", List.of("a", "b"));
    props.put("sizes", List.of(1L, 2L));
    props.put("unicode", "é ✓ \"quoted\" \\ \n");
    AnalyticsEvent first = event("2026-11-23T10:15:30.123456789Z", "inspect", props);
    AnalyticsEvent second = event("2026-11-23T10:16:00Z", "build", Map.of());
    server.enqueue(ok());

    DeliveryResult result = send(destination(), List.of(first, second));

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(result.eventsDroppedAsOversize()).isZero();
    assertThat(result.retryAfter()).isNull();
    RecordedRequest r = take();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getTarget()).isEqualTo("/batch/");
    MediaType contentType = MediaType.parse(r.getHeaders().get("Content-Type"));
    assertThat(contentType).isNotNull();
    assertThat(contentType.type() + "/" + contentType.subtype()).isEqualTo("application/json");
    assertThat(contentType.charset()).isIn(null, StandardCharsets.UTF_8);
    assertThat(r.getHeaders().get("Content-Encoding")).isEqualTo("gzip");
    assertThat(r.getHeaders().get("User-Agent")).startsWith("otel-analytics/").hasSizeGreaterThan("otel-analytics/".length());
    byte[] raw = r.getBody().toByteArray();
    assertThat(raw[0] & 0xff).as("gzip magic").isEqualTo(0x1f);
    assertThat(raw[1] & 0xff).as("gzip magic").isEqualTo(0x8b);

    Map<String, Object> body = body(r);
    assertThat(body).containsOnlyKeys("api_key", "batch");
    assertThat(body.get("api_key")).isEqualTo(KEY);
    List<Map<String, Object>> batch = batch(body);
    assertThat(batch).hasSize(2);

    Map<String, Object> a = batch.get(0);
    assertThat(a).containsOnlyKeys("event", "distinct_id", "properties", "timestamp", "uuid");
    assertThat(a.get("event")).isEqualTo("inspect");
    assertThat(a.get("distinct_id")).isEqualTo(Events.DISTINCT_ID);
    assertThat(a.get("uuid")).isEqualTo(first.uuid());
    String timestamp = (String) a.get("timestamp");
    assertThat(timestamp).endsWith("Z");
    assertThat(Instant.parse(timestamp)).isEqualTo(first.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123456789Z"));
    Map<String, Object> pa = properties(a);
    assertThat(pa.keySet()).containsExactly("cli.command", "count", "int", "ratio", "ok", "off", "tags", "sizes", "unicode",
        "$lib", "$lib_version", "$process_person_profile", "$geoip_disable");
    assertThat(pa.get("cli.command")).isEqualTo("inspect");
    assertThat(pa.get("count")).isEqualTo(42L);
    assertThat(pa.get("int")).isEqualTo(7L);
    assertThat(pa.get("ratio")).isEqualTo(0.25);
    assertThat(pa.get("ok")).isEqualTo(Boolean.TRUE);
    assertThat(pa.get("off")).isEqualTo(Boolean.FALSE);
    assertThat(pa.get("tags")).isEqualTo(List.of("a", "b"));
    assertThat(pa.get("sizes")).isEqualTo(List.of(1L, 2L));
    assertThat(pa.get("unicode")).isEqualTo("é ✓ \"quoted\" \\ \n");
    assertThat(pa.get("$lib")).isEqualTo("otel-analytics");
    assertThat(pa.get("$lib_version")).isInstanceOf(String.class).asString().isNotBlank();
    assertThat(pa.get("$process_person_profile")).isEqualTo(Boolean.FALSE);
    assertThat(pa.get("$geoip_disable")).isEqualTo(Boolean.TRUE);
    assertThat(r.getHeaders().get("User-Agent")).isEqualTo("otel-analytics/" + pa.get("$lib_version"));

    Map<String, Object> b = batch.get(1);
    assertThat(b).containsOnlyKeys("event", "distinct_id", "properties", "timestamp", "uuid");
    assertThat(b.get("event")).isEqualTo("build");
    assertThat(b.get("distinct_id")).isEqualTo(Events.DISTINCT_ID);
    assertThat(b.get("uuid")).isEqualTo(second.uuid());
    assertThat(b.get("timestamp")).isEqualTo("2026-11-23T10:16:00Z");
    assertThat(properties(b).keySet()).containsExactly("$lib", "$lib_version", "$process_person_profile", "$geoip_disable");
  }

  @Test
  void theSameEventSentTwiceKeepsItsUuidAndTimestampSoPostHogCanMergeTheResend() throws Exception {
    AnalyticsEvent e = small("inspect");
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(ok());
    PostHogDestination d = destination();

    assertThat(send(d, List.of(e)).kind()).isEqualTo(Kind.RETRY);
    assertThat(send(d, List.of(e)).kind()).isEqualTo(Kind.DELIVERED);

    Map<String, Object> first = batch(body(take())).get(0);
    Map<String, Object> second = batch(body(take())).get(0);
    assertThat(second.get("uuid")).isEqualTo(first.get("uuid")).isEqualTo(e.uuid());
    assertThat(second.get("timestamp")).isEqualTo(first.get("timestamp"));
  }

  @Test
  void nonFiniteDoublesAreSentAsNull() throws Exception {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("nan", Double.NaN);
    props.put("inf", Double.POSITIVE_INFINITY);
    server.enqueue(ok());

    send(destination(), List.of(event("2026-11-23T10:15:30Z", "x", props)));

    Map<String, Object> p = properties(batch(body(take())).get(0));
    assertThat(p).containsEntry("nan", null).containsEntry("inf", null);
  }

  @ParameterizedTest(name = "endpoint {0} -> {1}")
  @CsvSource({
      "'',        /batch/",
      "/,         /batch/",
      "/ingest,   /ingest/batch/",
      "/ingest/,  /ingest/batch/",
      "//,        /batch/",
      "/batch,    /batch/",
      "/batch/,   /batch/",
      "/BATCH/,   /batch/",
      "/ingest/batch/, /ingest/batch/",
  })
  void theBatchPathIsAppendedToTheEndpointWithOrWithoutATrailingSlash(String suffix, String expectedTarget) throws Exception {
    server.enqueue(ok());
    PostHogDestination d = destination(b -> b.setEndpoint(base() + suffix));

    assertThat(send(d, List.of(small("a"))).kind()).isEqualTo(Kind.DELIVERED);

    assertThat(take().getTarget()).isEqualTo(expectedTarget);
  }

  @Test
  void compressionNoneSendsPlainJsonWithoutContentEncoding() throws Exception {
    AnalyticsEvent e = small("inspect");
    server.enqueue(ok());

    send(destination(b -> b.setCompression("none")), List.of(e));

    RecordedRequest r = take();
    assertThat(r.getHeaders().get("Content-Encoding")).isNull();
    String text = r.getBody().utf8();
    assertThat(text).startsWith("{");
    Map<String, Object> body = Json.object(text);
    assertThat(body).containsOnlyKeys("api_key", "batch");
    assertThat(batch(body)).hasSize(1);
    assertThat(batch(body).get(0).get("uuid")).isEqualTo(e.uuid());
    assertThat(properties(batch(body).get(0))).containsEntry("cli.command", "inspect");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GZIP", " gzip ", "None", "NONE"})
  void compressionIsCaseAndSpaceInsensitive(String value) {
    assertThatCode(() -> PostHogDestination.builder().setCompression(value)).doesNotThrowAnyException();
  }

  @Test
  void anEventPropertyNamedLikeAPostHogFlagIsNotSentTwice() throws Exception {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("$process_person_profile", true);
    props.put("$geoip_disable", false);
    props.put("$lib", "evil");
    server.enqueue(ok());

    send(destination(), List.of(event("2026-11-23T10:15:30Z", "x", props)));

    byte[] json = gunzip(take().getBody().toByteArray());
    assertThat(propertyKeyCounts(json))
        .containsEntry("$process_person_profile", 1).containsEntry("$geoip_disable", 1).containsEntry("$lib", 1);
    Map<String, Object> p = properties(batch(Json.object(new String(json, StandardCharsets.UTF_8))).get(0));
    assertThat(p).containsEntry("$process_person_profile", false).containsEntry("$geoip_disable", true)
        .containsEntry("$lib", "otel-analytics");
  }

  @Test
  void libVersionIsTheProjectVersion() throws Exception {
    server.enqueue(ok());

    send(destination(), List.of(small("a")));

    RecordedRequest r = take();
    Object version = properties(batch(body(r)).get(0)).get("$lib_version");
    assertThat(version).isNotEqualTo("unknown");
    assertThat((String) version).matches("\\d+\\.\\d+.*");
    assertThat(r.getHeaders().get("User-Agent")).isEqualTo("otel-analytics/" + version);
  }

  /** How often each key occurs in the properties object of the first batch element (Json.object refuses duplicates). */
  private static Map<String, Integer> propertyKeyCounts(byte[] json) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      int depth = 0;
      boolean inProperties = false;
      int propertiesDepth = -1;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
          if (t == JsonToken.START_OBJECT && "properties".equals(p.currentName()) && propertiesDepth < 0) {
            inProperties = true;
            propertiesDepth = depth;
          }
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          if (inProperties && depth == propertiesDepth) {
            return counts;
          }
          depth--;
        } else if (t == JsonToken.FIELD_NAME && inProperties && depth == propertiesDepth) {
          counts.merge(p.currentName(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  // ---------------------------------------------------------------- 3. answers

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
      "200, DELIVERED, ",
      "201, DELIVERED, ",
      "202, DELIVERED, ",
      "204, DELIVERED, ",
      "400, REJECTED, HTTP 400",
      "401, STOP, OTEL_EXPORTER_POSTHOG_API_KEY",
      "403, STOP, OTEL_EXPORTER_POSTHOG_API_KEY",
      "404, STOP, OTEL_EXPORTER_POSTHOG_ENDPOINT",
      "405, STOP, OTEL_EXPORTER_POSTHOG_ENDPOINT",
      "301, STOP, OTEL_EXPORTER_POSTHOG_ENDPOINT",
      "302, STOP, OTEL_EXPORTER_POSTHOG_ENDPOINT",
      "303, STOP, OTEL_EXPORTER_POSTHOG_ENDPOINT",
      "307, STOP, OTEL_EXPORTER_POSTHOG_ENDPOINT",
      "308, STOP, OTEL_EXPORTER_POSTHOG_ENDPOINT",
      "413, TOO_LARGE, HTTP 413",
      "408, RETRY, HTTP 408",
      "429, RETRY, HTTP 429",
      "500, RETRY, HTTP 500",
      "502, RETRY, HTTP 502",
      "503, RETRY, HTTP 503",
      "504, RETRY, HTTP 504",
      "422, REJECTED, HTTP 422",
      "409, REJECTED, HTTP 409",
      "418, REJECTED, HTTP 418",
  })
  void eachAnswerIsReadAsTheRightKind(int code, Kind expected, String reasonMentions) throws Exception {
    MockResponse.Builder answer = new MockResponse.Builder().code(code);
    if (code >= 300 && code < 400) {
      answer.addHeader("Location", server.url("/moved/batch/").toString());
    } else if (code != 204) {
      answer.body("{}");
    }
    server.enqueue(answer.build());
    server.enqueue(ok()); // would be taken by a followed redirect or an automatic retry

    DeliveryResult result = send(destination(), List.of(small("a")));

    assertThat(result.kind()).isEqualTo(expected);
    if (reasonMentions != null) {
      assertThat(result.reason()).contains(reasonMentions);
    }
    assertThat(take().getTarget()).isEqualTo("/batch/");
    assertThat(server.getRequestCount()).as("no redirect followed, no automatic retry").isEqualTo(1);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 422})
  void aRejectionNamesPostHogsErrorCodeButNeverItsFreeTextDetail(int code) throws Exception {
    server.enqueue(new MockResponse.Builder().code(code)
        .addHeader("Content-Type", "application/json")
        .body("{\"type\":\"validation_error\",\"code\":\"invalid_payload\",\"detail\":\"alice@example.com\",\"attr\":\"alice\"}")
        .build());

    DeliveryResult result = send(destination(), List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.REJECTED);
    assertThat(result.reason()).contains("invalid_payload").doesNotContain("alice").doesNotContain("example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"detail\":\"alice@example.com\",\"code\":\"Alice@Example.com\"}",
      "{\"code\":\"alice@example.com\"}",
      "{\"code\":{\"alice\":\"x\"}}",
      "not json alice@example.com",
      "[\"alice@example.com\"]",
      "",
  })
  void aRejectionWithAnOddBodyStillSaysNothingFromIt(String responseBody) throws Exception {
    server.enqueue(new MockResponse.Builder().code(400).body(responseBody).build());

    DeliveryResult result = send(destination(), List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.REJECTED);
    assertThat(result.reason()).doesNotContainIgnoringCase("alice").doesNotContainIgnoringCase("example");
  }

  // ---------------------------------------------------------------- 4. Retry-After

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @ParameterizedTest(name = "{0} Retry-After: [{1}]")
  @CsvSource(delimiter = '|', value = {
      "429 | 120                           | PT2M",
      "503 | Sun, 01 Mar 2026 12:01:30 GMT | PT1M30S",
      "503 | Sun, 01 Mar 2026 11:00:00 GMT | PT0S",
      "429 | 0                             | PT0S",
      "429 | soon                          | ",
      "503 | -5                            | ",
      "500 | 1.5                           | ",
  })
  void retryAfterIsReadAsSecondsOrAnHttpDate(int code, String header, Duration expected) throws Exception {
    server.enqueue(new MockResponse.Builder().code(code).addHeader("Retry-After", header).build());
    PostHogDestination d = destination(b -> b.setClock(Clock.fixed(NOW, ZoneOffset.UTC)));

    DeliveryResult result = send(d, List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.retryAfter()).isEqualTo(expected);
  }

  @Test
  void aRetryWithoutRetryAfterLeavesTheWaitToTheBackoff() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).build());

    DeliveryResult result = send(destination(), List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.retryAfter()).isNull();
  }

  // ---------------------------------------------------------------- 5. time-outs and broken connections

  @Test
  void aStalledServerIsATimedOutRetryWellBeforeTheStallEnds() {
    server.enqueue(new MockResponse.Builder().headersDelay(10, TimeUnit.SECONDS).body("{}").build());
    PostHogDestination d = destination(b -> b.setTimeout(Duration.ofMillis(300)));

    long start = System.nanoTime();
    DeliveryResult result = send(d, List.of(small("a")));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.reason()).contains("timed out");
    assertThat(result.retryAfter()).isNull();
    assertThat(elapsedMillis).as("returned after the 300 ms time-out, not the 10 s stall").isLessThan(5_000);
  }

  @Test
  void aStalledResponseBodyDoesNotHoldTheCallEither() {
    // Headers arrive (200) but the body never does: the answer is already known, so it counts as delivered
    // or as a time-out, but the call must come back.
    server.enqueue(new MockResponse.Builder().code(200).bodyDelay(10, TimeUnit.SECONDS).body("{\"status\":\"Ok\"}").build());
    PostHogDestination d = destination(b -> b.setTimeout(Duration.ofMillis(300)));

    long start = System.nanoTime();
    DeliveryResult result = send(d, List.of(small("a")));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(result.kind()).isIn(Kind.DELIVERED, Kind.RETRY);
    assertThat(elapsedMillis).isLessThan(5_000);
  }

  @Test
  void aConnectionClosedWhileTheRequestBodyIsSentIsARetry() {
    server.enqueue(new MockResponse.Builder().onRequestBody(new SocketEffect.CloseSocket()).build());
    server.enqueue(ok());

    DeliveryResult result = send(destination(b -> b.setTimeout(Duration.ofSeconds(5))), List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.reason()).startsWith("I/O error");
    assertThat(result.retryAfter()).isNull();
  }

  @Test
  void aConnectionShutDownBeforeTheAnswerIsARetry() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(ok());

    DeliveryResult result = send(destination(b -> b.setTimeout(Duration.ofSeconds(5))), List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(server.getRequestCount()).as("no automatic retry on a failed connection").isEqualTo(1);
  }

  @Test
  void aClosedPortIsARetry() throws IOException {
    int port;
    try (MockWebServer gone = new MockWebServer()) {
      gone.start();
      port = gone.getPort();
    }
    PostHogDestination d = destination(b -> b.setEndpoint("http://127.0.0.1:" + port).setTimeout(Duration.ofSeconds(2)));

    DeliveryResult result = send(d, List.of(small("a")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.reason()).isNotBlank();
  }

  /** An answer after which the server closes the connection without saying so (no {@code Connection: close}). */
  private static MockResponse okThenClose() {
    return new MockResponse.Builder().code(200).body("{\"status\":\"Ok\"}")
        .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build();
  }

  @Test
  void aServerThatClosesTheConnectionAfterEveryAnswerTakesEveryBatchAtTheFirstAttempt() throws Exception {
    // HTTP/1.0-style servers and proxies, and load balancers closing idle keep-alive connections: the
    // pooled connection is dead by the next send. Each send is tried once more on a new connection.
    for (int i = 0; i < 4; i++) {
      server.enqueue(okThenClose());
    }
    PostHogDestination d = destination(b -> b.setTimeout(Duration.ofSeconds(5)));

    List<Kind> kinds = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      kinds.add(send(d, List.of(small("e" + i))).kind());
    }

    assertThat(kinds).containsOnly(Kind.DELIVERED);
    assertThat(server.getRequestCount()).as("each batch reached the server once").isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      assertThat(batch(body(take()))).extracting(e -> e.get("event")).containsExactly("e" + i);
    }
  }

  @Test
  void aKeptAliveConnectionThatFailsBeforeAnyAnswerIsResentOnceOnANewConnectionOnly() throws Exception {
    // The second request reaches the server on the kept-alive connection, which then drops it
    // without an answer: sent once more at once (the engine would resend it after a backoff anyway,
    // with the same uuids), and when that fails too, it is a retry, not a loop.
    server.enqueue(ok());
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(ok());
    PostHogDestination d = destination(b -> b.setTimeout(Duration.ofSeconds(5)));
    assertThat(send(d, List.of(small("first"))).kind()).isEqualTo(Kind.DELIVERED);

    DeliveryResult result = send(d, List.of(small("second")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.reason()).startsWith("I/O error");
    assertThat(server.getRequestCount()).as("the first send, then the second one twice").isEqualTo(3);
    take();
    Map<String, Object> attempt = body(take());
    assertThat(body(take())).isEqualTo(attempt);
    assertThat(send(d, List.of(small("third"))).kind()).isEqualTo(Kind.DELIVERED);
  }

  @Test
  void aTimeOutOnAKeptAliveConnectionIsNotResentAtOnce() throws Exception {
    // The server may be working on it: a time-out goes to the backoff, never straight back.
    server.enqueue(ok());
    server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build());
    server.enqueue(ok());
    PostHogDestination d = destination(b -> b.setTimeout(Duration.ofMillis(500)));
    assertThat(send(d, List.of(small("first"))).kind()).isEqualTo(Kind.DELIVERED);

    DeliveryResult result = send(d, List.of(small("second")));

    assertThat(result.kind()).isEqualTo(Kind.RETRY);
    assertThat(result.reason()).contains("timed out");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- 6. limits

  @Test
  void anEventOverOneMegabyteIsLeftOutAndCountedAndTheOthersAreSent() throws Exception {
    AnalyticsEvent before = small("before");
    AnalyticsEvent huge = withPadding(1_100_000);
    AnalyticsEvent after = small("after");
    server.enqueue(ok());

    DeliveryResult result = send(destination(), List.of(before, huge, after));

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(result.eventsDroppedAsOversize()).isEqualTo(1);
    List<Map<String, Object>> batch = batch(body(take()));
    assertThat(batch).extracting(e -> e.get("uuid")).containsExactly(before.uuid(), after.uuid());
  }

  @Test
  void whenEveryEventIsOversizeNoRequestIsMade() throws Exception {
    DeliveryResult result = send(destination(), List.of(withPadding(1_100_000), withPadding(2_000_000)));

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(result.eventsDroppedAsOversize()).isEqualTo(2);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void anEventOfExactlyOneMegabyteIsSentAndOneByteMoreIsLeftOut() throws Exception {
    // Measure the encoding overhead of one event from an uncompressed request.
    String prefix = "{\"api_key\":\"" + KEY + "\",\"batch\":[";
    server.enqueue(ok());
    PostHogDestination plain = destination(b -> b.setCompression("none"));
    send(plain, List.of(withPadding(1000)));
    String body = take().getBody().utf8();
    assertThat(body).startsWith(prefix).endsWith("]}");
    int encoded = body.getBytes(StandardCharsets.UTF_8).length - prefix.length() - 2;
    int padding = 1000 + PostHogDestination.MAX_EVENT_BYTES - encoded;

    server.enqueue(ok());
    DeliveryResult exact = send(plain, List.of(withPadding(padding)));
    assertThat(exact.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(exact.eventsDroppedAsOversize()).isZero();
    String sent = take().getBody().utf8();
    assertThat(sent.getBytes(StandardCharsets.UTF_8).length - prefix.length() - 2).isEqualTo(PostHogDestination.MAX_EVENT_BYTES);

    DeliveryResult over = send(plain, List.of(withPadding(padding + 1)));
    assertThat(over.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(over.eventsDroppedAsOversize()).isEqualTo(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aBodyOverTwentyMegabytesIsTooLargeWithoutAnyRequest() {
    List<AnalyticsEvent> events = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      events.add(withPadding(900_000));
    }

    DeliveryResult result = send(destination(), events);

    assertThat(result.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(result.eventsDroppedAsOversize()).isZero();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aBodyJustUnderTwentyMebibytesIsSent() throws Exception {
    // 20 events of 1,000,000 padding bytes: about 20.0 MB, under the 20 MiB (20,971,520 bytes) limit.
    List<AnalyticsEvent> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      events.add(withPadding(1_000_000));
    }
    server.enqueue(ok());

    DeliveryResult result = send(destination(), events);

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(batch(body(take()))).hasSize(20);
  }

  @Test
  void oversizeEventsAreLeftOutBeforeTheBodyLimitIsChecked() throws Exception {
    // 19 events of 0.9 MB fit (17.1 MB); 10 more of 1.1 MB would not, but they are left out first.
    List<AnalyticsEvent> events = new ArrayList<>();
    for (int i = 0; i < 19; i++) {
      events.add(withPadding(900_000));
    }
    for (int i = 0; i < 10; i++) {
      events.add(withPadding(1_100_000));
    }
    server.enqueue(ok());

    DeliveryResult result = send(destination(), events);

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(result.eventsDroppedAsOversize()).isEqualTo(10);
    assertThat(batch(body(take()))).hasSize(19);
  }

  @Test
  void anEmptyBatchMakesNoRequest() {
    DeliveryResult result = send(destination(), List.of());

    assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(server.getRequestCount()).isZero();
  }

  // ---------------------------------------------------------------- 7. the key never leaks

  @Test
  void toStringNamesTheUrlButNotTheKey() {
    PostHogDestination d = destination();

    assertThat(d.toString()).doesNotContain(KEY_FRAGMENT).contains(base() + "/batch/").contains("redacted");
    assertThat(d.name()).isEqualTo("posthog");
    assertThat(d.isRemote()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"phc_SECRET canary123", "phc_SECRET\u0000canary123", "phc_SECRETcan\u00e4ry123",
      "phc_SECRETcanary123\tphc_SECRETcanary123", "phc_SECRET\ncanary123"})
  void aKeyWithSpacesOrOddCharactersIsRefusedWithoutEchoingIt(String key) {
    Throwable thrown = catchThrowable(() -> PostHogDestination.builder().setApiKey(key));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    assertThat(thrown.getMessage()).doesNotContain("SECRET").doesNotContain("canary").doesNotContain("can\u00e4ry");
    assertThat(thrown.getCause()).isNull();
  }

  @Test
  void aKeyOfMoreThan200CharactersIsRefusedWithoutEchoingIt() {
    String key = "phc_SECRETcanary" + "x".repeat(200);

    Throwable thrown = catchThrowable(() -> PostHogDestination.builder().setApiKey(key));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    assertThat(thrown.getMessage()).doesNotContain("SECRET");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void anEmptyKeyIsRefused(String key) {
    assertThatThrownBy(() -> PostHogDestination.builder().setApiKey(key)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> PostHogDestination.builder().setApiKey(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeyWithSurroundingSpaceIsTrimmed() throws Exception {
    server.enqueue(ok());
    PostHogDestination d = destination(b -> b.setApiKey("  " + KEY + "\n"));

    send(d, List.of(small("a")));

    assertThat(body(take()).get("api_key")).isEqualTo(KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://phc_SECRETcanary123@us.i.posthog.com",
      "https://user:phc_SECRETcanary123@us.i.posthog.com",
      "http://user:phc_SECRETcanary123@localhost:1234",
      "https://us.i.posthog.com/?api_key=phc_SECRETcanary123",
      "https://us.i.posthog.com/#phc_SECRETcanary123",
      "https://us.i.posthog.com/ phc_SECRETcanary123",
      "ftp://phc_SECRETcanary123@us.i.posthog.com",
  })
  void anEndpointHoldingTheKeyIsRefusedWithoutEchoingIt(String endpoint) {
    Throwable thrown = catchThrowable(() -> PostHogDestination.builder().setEndpoint(endpoint));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    assertThat(thrown.getMessage()).doesNotContain(KEY_FRAGMENT);
  }

  // ---------------------------------------------------------------- 8. builder validation

  @ParameterizedTest(name = "[{0}] accepted")
  @ValueSource(strings = {
      "https://example.com",
      "https://eu.i.posthog.com/",
      "https://posthog.example.com:8443/ingest",
      "HTTPS://EXAMPLE.COM",
      "http://127.0.0.1:1234",
      "http://127.1.2.3:1234",
      "http://[::1]:1234",
      "http://localhost",
      "http://LOCALHOST:8000/",
      "  https://example.com  ",
      "https://example.com:1",
      "https://example.com:65535/ingest",
      "https://example.com:/",
      "http://[::1]:65535",
  })
  void acceptedEndpoints(String endpoint) {
    assertThatCode(() -> PostHogDestination.builder().setEndpoint(endpoint).setApiKey(KEY).build()).doesNotThrowAnyException();
    // What is accepted can be sent to: the request URL is built from it without a complaint.
    PostHogDestination d = PostHogDestination.builder().setEndpoint(endpoint).setApiKey(KEY).build();
    assertThat(okhttp3.HttpUrl.parse(d.description().substring("PostHog at ".length()) + "/batch/")).isNotNull();
  }

  /**
   * The endpoint check does not ask the HTTP client (that would load it on the app's thread when
   * analytics starts): whatever it accepts, out of 20,000 endpoints made of odd parts, the
   * client's own parser takes too.
   */
  @Test
  void everyAcceptedEndpointIsOneTheHttpClientTakes() {
    String[] schemes = {"https://", "http://", "HTTPS://", "https:/", "https:///", "ftp://", ""};
    String[] hosts = {"example.com", "127.0.0.1", "localhost", "[::1]", "[::1", "ex ample.com", "exa_mple.com", "-x.com",
        "xn--bcher-kva.example", "b\u00fccher.example", "a..b", ".example.com", "example.com.", "256.1.1.1", "1.2.3",
        "[fe80::1%25eth0]", "user@example.com", "@example.com", "example.com@evil.com", "%65xample.com", "例え.jp", ""};
    String[] ports = {"", ":", ":0", ":1", ":443", ":65535", ":65536", ":99999999999", ":-1", ":8a", ": 80"};
    String[] paths = {"", "/", "/ingest", "/a b", "/%zz", "/%41", "/x?y=1", "/#f", "//", "/\\", "/é", "/batch/"};
    java.util.Random random = new java.util.Random(18);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      String endpoint = schemes[random.nextInt(schemes.length)] + hosts[random.nextInt(hosts.length)]
          + ports[random.nextInt(ports.length)] + paths[random.nextInt(paths.length)];
      PostHogDestination built;
      try {
        built = PostHogDestination.builder().setEndpoint(endpoint).setApiKey(KEY).build();
      } catch (IllegalArgumentException refused) {
        continue;
      }
      accepted++;
      String base = built.description().substring("PostHog at ".length());
      assertThat(okhttp3.HttpUrl.parse(base + "/batch/")).as(endpoint).isNotNull();
    }
    assertThat(accepted).as("some are accepted").isGreaterThan(100);
  }

  @ParameterizedTest(name = "[{0}] refused, message mentions {1}")
  @CsvSource(delimiter = '|', value = {
      "http://example.com              | https",
      "http://10.0.0.1:8000            | https",
      "http://localhost.example.com    | https",
      "http://127.0.0.1.nip.io         | https",
      "https://user:pass@example.com   | credentials",
      "https://example.com/?x=1        | query",
      "https://example.com/#frag       | fragment",
      "ftp://x                         | https",
      "file:///tmp/x                   | https",
      "example.com                     | https",
      "https://                        | URL",
      "'   '                           | empty",
      "https://eu.i.posthog.com/i/v0/e/ | single-event",
      "https://eu.i.posthog.com/i/v0/e  | https://eu.i.posthog.com (events are sent in batches to its /batch/)",
      "https://eu.i.posthog.com/capture/ | single-event",
      "https://example.com/ingest/capture | /capture/",
      "http://localhost:99999            | endpoint has port 99999; a port is 1 to 65535, or leave it out (https uses 443)",
      "https://eu.i.posthog.com:0        | port 0; a port is 1 to 65535",
      "https://eu.i.posthog.com:65536/   | port 65536; a port is 1 to 65535",
      "http://127.0.0.1:100000           | port 100000",
      "http://127.0.0.1:99999999999      | port 9999999…; a port is 1 to 65535",
      "http://localhost:-1               | endpoint has a port that is not a number from 1 to 65535",
      "https://eu.i.posthog.com:44x3     | a port that is not a number from 1 to 65535",
      "https://eu.i.posthog.com:+443     | a port that is not a number from 1 to 65535",
      "https://:443                      | endpoint has no host name, e.g. https://eu.i.posthog.com",
      "https:///batch/                   | endpoint has no host name, e.g. https://eu.i.posthog.com",
      "https:/eu.i.posthog.com           | no host name",
      "https:eu.i.posthog.com            | no host name",
      "https://eu..posthog.com           | endpoint has no valid host name",
      "https://under_score.example.com   | no valid host name",
  })
  void refusedEndpoints(String endpoint, String mention) {
    assertThatThrownBy(() -> PostHogDestination.builder().setEndpoint(endpoint))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(mention);
  }

  @Test
  void refusedBuilderSettings() {
    assertThatThrownBy(() -> PostHogDestination.builder().setEndpoint(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostHogDestination.builder().setCompression("brotli"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gzip").hasMessageContaining("none");
    assertThatThrownBy(() -> PostHogDestination.builder().setCompression(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> PostHogDestination.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("API key");
    assertThatThrownBy(() -> PostHogDestination.builder().setTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> PostHogDestination.builder().setTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostHogDestination.builder().setTimeout(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostHogDestination.builder().setClock(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theDefaultEndpointIsPostHogUsCloud() {
    PostHogDestination d = PostHogDestination.builder().setApiKey(KEY).build();
    secrets.watch(d);

    assertThat(d.toString()).contains("https://us.i.posthog.com/batch/").contains("compression=gzip");
    assertThat(URI.create(PostHogDestination.DEFAULT_ENDPOINT).getScheme()).isEqualTo("https");
  }

  @Test
  void closeWithoutAnySendAndTwiceIsHarmless() {
    PostHogDestination d = destination();
    d.close();
    d.close();
  }
}
