package dev.otelanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.AnalyticsControl;
import dev.otelanalytics.internal.ga4.Ga4Rules;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code mycli telemetry validate}: a sample built from the policy is posted to GA4's validation
 * server ({@code /debug/mp/collect}) and its messages are printed; exit 0 without messages, 1
 * with messages or on failure, 2 when the destination is not GA4.
 */
class ValidateCommandTest {
  private static final String SECRET = "s3cr3t";
  private static final String COMMAND = "mycli telemetry";
  private static final String BAD_NAME_ANSWER = "{\"validationMessages\":[{\"fieldPath\":\"events\","
      + "\"description\":\"Event at index: [0] has invalid name [_bad].\",\"validationCode\":\"NAME_INVALID\"}]}";
  private static final String NO_MESSAGES_LINE =
      "GA4's validation server accepted the sample events built from the policy: no messages.";

  @TempDir Path stateDir;
  @TempDir Path configDir;
  private MockWebServer server;
  private LogCapture logs;
  private final Map<String, String> properties = new HashMap<>();
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws IOException {
    logs = new LogCapture();
    server = new MockWebServer();
    server.start();
    properties.put("otel.analytics.enabled", "true");
    properties.put("otel.analytics.state.dir", stateDir.toString());
    properties.put("otel.analytics.destination", "ga4");
    properties.put("otel.exporter.ga4.endpoint", server.url("/").toString());
    properties.put("otel.exporter.ga4.measurement.id", "G-TEST123");
    properties.put("otel.exporter.ga4.api.secret", SECRET);
  }

  @AfterEach
  void stop() {
    try {
      // The secret is in the request's query only: never in what the command prints or logs.
      assertThat(out()).doesNotContain(SECRET);
      assertThat(err()).doesNotContain(SECRET);
      for (String message : logs.messages(Level.ALL)) {
        assertThat(String.valueOf(message)).doesNotContain(SECRET);
      }
    } finally {
      logs.close();
      server.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private int validate(String... extra) {
    String[] args = new String[1 + extra.length];
    args[0] = "validate";
    System.arraycopy(extra, 0, args, 1, extra.length);
    AnalyticsControl control = AnalyticsControl.create(properties::get, env -> null, "cli-app");
    try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      return AnalyticsCli.run(control, COMMAND, args, out, err);
    }
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  private static MockResponse answer(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the validation server").isNotNull();
    return r;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> events(Map<String, Object> body) {
    return (List<Map<String, Object>>) body.get("events");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(Map<String, Object> event) {
    return (Map<String, Object>) event.get("params");
  }

  /** Every event and parameter name of a posted body passes GA4's rules; values are GA4-safe. */
  private static void assertPassesGa4Rules(Map<String, Object> body) {
    assertThat(events(body)).isNotEmpty().hasSizeLessThanOrEqualTo(Ga4Rules.MAX_EVENTS_PER_REQUEST);
    for (Map<String, Object> event : events(body)) {
      String name = (String) event.get("name");
      assertThat(Ga4Rules.isValidEventName(name)).as("event name %s", name).isTrue();
      Map<String, Object> params = params(event);
      assertThat(params).hasSizeLessThanOrEqualTo(Ga4Rules.MAX_PARAMS_PER_EVENT);
      params.forEach((key, value) -> {
        assertThat(Ga4Rules.isValidParamName(key)).as("param name %s of %s", key, name).isTrue();
        assertThat(value).as("value of %s", key).isInstanceOfAny(String.class, Long.class, Double.class);
        if (value instanceof String) {
          assertThat((String) value).hasSizeLessThanOrEqualTo(Ga4Rules.MAX_PARAM_VALUE_LENGTH);
        }
      });
    }
  }

  private long filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  // ---------------------------------------------------------------- (a) messages: exit 1

  @Test
  void messagesAreListedOneALineAndExitIsOne() throws Exception {
    server.enqueue(answer(200, BAD_NAME_ANSWER));

    int exit = validate();

    assertThat(exit).isEqualTo(1);
    assertThat(out()).isEqualTo("GA4's validation server reported 1 problem:\n"
        + "  events: Event at index: [0] has invalid name [_bad]. [NAME_INVALID]\n");
    assertThat(err()).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void severalMessagesAreCountedAndEachListed() throws Exception {
    server.enqueue(answer(200, "{\"validationMessages\":["
        + "{\"fieldPath\":\"events\",\"description\":\"Event at index: [0] has invalid name [_bad].\",\"validationCode\":\"NAME_INVALID\"},"
        + "{\"fieldPath\":\"events.params\",\"description\":\"Too long.\",\"validationCode\":\"VALUE_INVALID\"}]}"));

    int exit = validate();

    assertThat(exit).isEqualTo(1);
    assertThat(out()).startsWith("GA4's validation server reported 2 problems:\n")
        .contains("  events: Event at index: [0] has invalid name [_bad]. [NAME_INVALID]\n")
        .contains("  events.params: Too long. [VALUE_INVALID]\n");
  }

  // ---------------------------------------------------------------- (b) no messages: exit 0, and what was posted

  @Test
  void noMessagesIsExitZeroAndTheSampleWentToDebugMpCollect() throws Exception {
    server.enqueue(answer(200, "{\"validationMessages\":[]}"));

    int exit = validate();

    assertThat(exit).isEqualTo(0);
    assertThat(out()).isEqualTo(NO_MESSAGES_LINE + "\n");
    assertThat(err()).isEmpty();
    RecordedRequest r = take();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/debug/mp/collect");
    assertThat(r.getUrl().queryParameter("measurement_id")).isEqualTo("G-TEST123");
    assertThat(r.getUrl().queryParameter("api_secret")).isEqualTo(SECRET);
    assertThat(r.getTarget()).isEqualTo("/debug/mp/collect?measurement_id=G-TEST123&api_secret=" + SECRET);

    Map<String, Object> body = Json.object(r.getBody().string(StandardCharsets.UTF_8));
    assertThat(body.keySet()).containsExactly("client_id", "timestamp_micros", "non_personalized_ads", "events");
    assertThat(body.get("client_id")).isEqualTo("00000000-0000-4000-8000-000000000000");
    assertThat(body.get("non_personalized_ads")).isEqualTo(Boolean.TRUE);
    assertPassesGa4Rules(body);
    // The built-in policy: one sample event with timing, outcome, error class and the two resource attributes.
    List<Map<String, Object>> events = events(body);
    assertThat(events).hasSize(1);
    Map<String, Object> sample = events.get(0);
    assertThat(sample.get("name")).isEqualTo("sample_command");
    assertThat(sample.get("timestamp_micros")).isEqualTo(body.get("timestamp_micros"));
    long micros = (Long) sample.get("timestamp_micros");
    assertThat(Math.abs(System.currentTimeMillis() * 1000 - micros)).as("a timestamp of now").isLessThan(60_000_000L);
    Map<String, Object> params = params(sample);
    assertThat(params.keySet()).containsExactly("engagement_time_msec", "session_id", "duration_ms", "success", "error_type",
        "service_name", "service_version");
    assertThat(params.get("engagement_time_msec")).isEqualTo(42L);
    assertThat((Long) params.get("session_id")).isPositive();
    assertThat(params.get("duration_ms")).isEqualTo(42L);
    assertThat(params.get("success")).isEqualTo("false");
    assertThat(params.get("error_type")).isEqualTo("SampleException");
    assertThat(params.get("service_name")).isEqualTo("sample");
    assertThat(params.get("service_version")).isEqualTo("sample");
  }

  @Test
  void theSampleOfARichPolicyPassesGa4RulesToo() throws Exception {
    StringBuilder yaml = new StringBuilder("version: 1\n"
        + "events:\n"
        + "  spans: local-root\n"
        + "  span_events: [error, cache.miss, ga_internal, session_start, 9th.try, "
        + "a.very.long.span.event.name.that.goes.on.and.on.well.past.forty]\n"
        + "attributes:\n"
        + "  allow:\n"
        + "    - {key: cli.command, why: \"which command\"}\n"
        + "    - {key: cli-command, why: \"collides with cli.command once normalised\"}\n"
        + "    - {key: _private.flag, why: \"leading underscore\"}\n"
        + "    - {key: google.thing, why: \"reserved prefix\"}\n");
    for (int i = 0; i < 30; i++) {
      yaml.append("    - {key: attr.").append(i).append(", why: \"padding\"}\n");
    }
    yaml.append("  hash:\n"
        + "    - {key: enduser.id, why: \"count distinct users\"}\n"
        + "resource:\n"
        + "  allow:\n"
        + "    - {key: service.name, why: \"which tool\"}\n");
    Path policy = Files.writeString(configDir.resolve("analytics-policy.yaml"), yaml.toString());
    properties.put("otel.analytics.policy.file", policy.toString());
    server.enqueue(answer(200, "{\"validationMessages\":[]}"));

    int exit = validate();

    assertThat(exit).as("err: %s", err()).isEqualTo(0);
    Map<String, Object> body = Json.object(take().getBody().string(StandardCharsets.UTF_8));
    assertPassesGa4Rules(body);
    assertThat(events(body)).extracting(e -> e.get("name")).containsExactly("sample_command", "app_error", "cache_miss",
        "app_ga_internal", "app_session_start", "app_9th_try", "a_very_long_span_event_name_that_goes_on");
    for (Map<String, Object> event : events(body)) {
      assertThat(params(event)).hasSize(25).containsKeys("engagement_time_msec", "session_id", "cli_command",
          "private_flag", "app_google_thing");
      assertThat(params(event).get("cli_command")).isEqualTo("sample");
    }
  }

  @Test
  void aSampleOfMoreThan25EventsIsNotPostedInOneRequest() throws Exception {
    StringBuilder yaml = new StringBuilder("version: 1\nevents:\n  spans: local-root\n  span_events: [");
    for (int i = 0; i < 30; i++) {
      yaml.append(i == 0 ? "" : ", ").append("step").append(i);
    }
    yaml.append("]\n");
    Path policy = Files.writeString(configDir.resolve("many-events.yaml"), yaml.toString());
    properties.put("otel.analytics.policy.file", policy.toString());
    server.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(200, "{\"validationMessages\":[]}");
      }
    });

    int exit = validate();

    assertThat(exit).as("err: %s", err()).isEqualTo(0);
    int posted = 0;
    for (int i = 0; i < server.getRequestCount(); i++) {
      List<Map<String, Object>> events = events(Json.object(take().getBody().string(StandardCharsets.UTF_8)));
      assertThat(events).hasSizeLessThanOrEqualTo(Ga4Rules.MAX_EVENTS_PER_REQUEST);
      posted += events.size();
    }
    assertThat(posted).isEqualTo(31);
  }

  @Test
  void validateCanRunTwiceOnTheSameControl() throws Exception {
    server.enqueue(answer(200, "{\"validationMessages\":[]}"));
    server.enqueue(answer(200, BAD_NAME_ANSWER));
    AnalyticsControl control = AnalyticsControl.create(properties::get, env -> null, "cli-app");

    try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      assertThat(AnalyticsCli.run(control, COMMAND, new String[] {"validate"}, out, err)).isEqualTo(0);
      assertThat(AnalyticsCli.run(control, COMMAND, new String[] {"validate"}, out, err)).as("err: %s", err()).isEqualTo(1);
    }
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void validateWritesNothingToTheStateDirectory() throws Exception {
    server.enqueue(answer(200, "{\"validationMessages\":[]}"));

    assertThat(validate()).isEqualTo(0);

    assertThat(filesIn(stateDir)).isZero();
  }

  // ---------------------------------------------------------------- (c) not GA4, or not configured: exit 2

  @ParameterizedTest(name = "destination [{0}]")
  @CsvSource(nullValues = "UNSET", value = {"file", "console", "UNSET", "posthog"})
  void anotherDestinationIsAUsageErrorNamingTheSetting(String destination) throws Exception {
    if (destination == null) {
      properties.remove("otel.analytics.destination");
    } else {
      properties.put("otel.analytics.destination", destination);
    }
    properties.put("otel.exporter.posthog.api.key", "phc_validateTestKeyNotUsed0000000000");

    int exit = validate();

    assertThat(exit).isEqualTo(2);
    assertThat(err()).startsWith(COMMAND + ": ").contains("OTEL_ANALYTICS_DESTINATION=ga4")
        .contains("OTEL_EXPORTER_GA4_MEASUREMENT_ID").contains("OTEL_EXPORTER_GA4_API_SECRET");
    assertThat(out()).isEmpty();
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest(name = "{0} = [{1}]")
  @CsvSource(delimiter = '|', nullValues = "UNSET", value = {
      "otel.exporter.ga4.measurement.id | UNSET        | OTEL_EXPORTER_GA4_MEASUREMENT_ID",
      "otel.exporter.ga4.measurement.id | G TEST       | OTEL_EXPORTER_GA4_MEASUREMENT_ID",
      "otel.exporter.ga4.api.secret     | UNSET        | OTEL_EXPORTER_GA4_API_SECRET",
      "otel.exporter.ga4.api.secret     | s3cr3t s3cr3t | OTEL_EXPORTER_GA4_API_SECRET",
      "otel.exporter.ga4.endpoint       | http://example.com | OTEL_EXPORTER_GA4_ENDPOINT",
  })
  void anInvalidGa4ConfigurationIsAUsageErrorNamingTheSetting(String property, String value, String named) {
    if (value == null) {
      properties.remove(property);
    } else {
      properties.put(property, value);
    }

    int exit = validate();

    assertThat(exit).isEqualTo(2);
    assertThat(err()).startsWith(COMMAND + ": the configuration is invalid").contains(named);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void anExtraArgumentIsAUsageError() {
    int exit = validate("now");

    assertThat(exit).isEqualTo(2);
    assertThat(err()).startsWith("usage: " + COMMAND).contains("validate");
    assertThat(server.getRequestCount()).isZero();
  }

  // ---------------------------------------------------------------- (d) failures: exit 1

  @ParameterizedTest(name = "HTTP {0}")
  @CsvSource({"500", "503", "400", "403", "404"})
  void anErrorAnswerIsAFailureLine(int code) {
    server.enqueue(answer(code, "{}"));

    int exit = validate();

    assertThat(exit).isEqualTo(1);
    assertThat(err()).isEqualTo(COMMAND + ": validate failed: IOException: the GA4 validation server answered HTTP " + code + "\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void aRedirectIsNotFollowedAndIsAFailure() {
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", server.url("/elsewhere").toString()).build());
    server.enqueue(answer(200, "{\"validationMessages\":[]}"));

    int exit = validate();

    assertThat(exit).isEqualTo(1);
    assertThat(err()).contains("validate failed").contains("HTTP 302");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', value = {"not json", "[]", "'\"validationMessages\"'"})
  void anAnswerThatIsNotAJsonObjectIsAFailure(String answer) {
    server.enqueue(answer(200, answer));

    int exit = validate();

    assertThat(exit).isEqualTo(1);
    assertThat(err()).startsWith(COMMAND + ": validate failed: ");
    assertThat(out()).isEmpty();
  }

  @Test
  void aDroppedConnectionIsAFailure() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());

    int exit = validate();

    assertThat(exit).isEqualTo(1);
    assertThat(err()).startsWith(COMMAND + ": validate failed: ");
  }
}
