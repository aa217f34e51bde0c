package dev.otelanalytics.examples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The web-service example as an operator runs it: a separate JVM under the real OpenTelemetry
 * Java agent, with the otel-analytics agent extension jar and nothing else added, sending to
 * PostHog (a local MockWebServer). The app has no OpenTelemetry code; the agent makes a server
 * span per request and the extension turns each into one scrubbed event.
 */
class AgentExtensionIT {
  private static final Path AGENT = jar("agent.jar");
  private static final Path EXTENSION = jar("agent.extension.jar");
  private static final Path APP = jar("webservice.jar");
  private static final String AGENT_VERSION = System.getProperty("agent.version");
  private static final Pattern LISTENING = Pattern.compile(Pattern.quote(WebService.LISTENING) + "(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  // Personal data the requests carry. None of it may reach PostHog.
  private static final String QUERY_EMAIL = "alice.query@example.com";
  private static final String QUERY_WORD = "query-canary-okapi";
  private static final String PATH_EMAIL = "carol.path@example.com";
  private static final String PATH_WORD = "path-canary-axolotl";
  private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) ua-canary-narwhal";
  private static final String BODY_EMAIL = "erin.order@example.com";
  private static final String BODY_WORD = "body-canary-pangolin";
  private static final List<String> CANARIES = List.of(
      QUERY_EMAIL, "alice.query", QUERY_WORD, "okapi",
      PATH_EMAIL, "carol.path", PATH_WORD, "axolotl",
      "ua-canary", "narwhal", "Mozilla", "X11",
      BODY_EMAIL, "erin.order", BODY_WORD, "pangolin",
      // The message of the exception /api/fail throws (see WebService.fail).
      "dana.fail@example.com", "dana", "/home/", ".config", "profile.json", "cannot read",
      "example.com",
      // The client's address, and the server's (both loopback here).
      "127.0.0.1");

  @TempDir Path temp;
  private MockWebServer posthog;
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  /** Every child this JVM started: destroyed at its exit too, should the test JVM be stopped mid-test. */
  private static final List<Process> ALL_STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL_STARTED.forEach(Process::destroyForcibly)));
  }
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  private static Path jar(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set: run this test with 'mvn verify'");
    }
    return Path.of(value);
  }

  @BeforeEach
  void startPostHog() throws IOException {
    assertThat(AGENT).as("the agent jar (copied by the build)").isRegularFile();
    assertThat(EXTENSION).as("the extension jar (copied by the build)").isRegularFile();
    assertThat(APP).as("the web-service jar").isRegularFile();
    assertThat(POLICY).as("the example's policy").isRegularFile();
    posthog = new MockWebServer();
    posthog.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        synchronized (requests) {
          requests.add(request);
        }
        return new MockResponse.Builder().code(200).body("{\"status\":\"Ok\"}").build();
      }
    });
    posthog.start();
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }
    posthog.close();
  }

  record App(Process process, int port, Path stderr) {
    /** Stops the service the way an orchestrator would (SIGTERM), and returns its stderr. */
    String stop() throws IOException, InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
      }
      return Files.readString(stderr);
    }
  }

  /** The example's own policy: http.route, http.request.method, http.response.status_code and service.name. */
  private static final Path POLICY = Path.of("analytics-policy.yaml").toAbsolutePath();

  private Map<String, String> env(boolean enabled) {
    Map<String, String> env = new HashMap<>();
    if (enabled) {
      env.put("OTEL_ANALYTICS_ENABLED", "true");
    }
    env.put("OTEL_ANALYTICS_DESTINATION", "posthog");
    env.put("OTEL_EXPORTER_POSTHOG_ENDPOINT", posthog.url("/").toString());
    env.put("OTEL_EXPORTER_POSTHOG_API_KEY", "phc_test");
    env.put("OTEL_ANALYTICS_STATE_DIR", temp.resolve("state").toString());
    env.put("OTEL_ANALYTICS_FLUSH_INTERVAL", "200ms");
    env.put("OTEL_ANALYTICS_POLICY_FILE", POLICY.toString());
    env.put("OTEL_SERVICE_NAME", "web-service");
    env.put("OTEL_TRACES_EXPORTER", "none");
    env.put("OTEL_METRICS_EXPORTER", "none");
    env.put("OTEL_LOGS_EXPORTER", "none");
    return env;
  }

  /** Starts the web service under the agent with our extension, and waits for its port. */
  private App startUnderAgent(Map<String, String> env) throws IOException, InterruptedException {
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + AGENT,
        "-Dotel.javaagent.extensions=" + EXTENSION,
        "-jar", APP.toString(),
        "0");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("DO_NOT_TRACK")
        || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("WEB_SERVICE_PORT"));
    builder.environment().putAll(env);
    Path stdout = Files.createTempFile(temp, "stdout", ".txt");
    Path stderr = Files.createTempFile(temp, "stderr", ".txt");
    builder.redirectOutput(stdout.toFile());
    builder.redirectError(stderr.toFile());
    Process process = builder.start();
    processes.add(process);
    ALL_STARTED.add(process);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher listening = LISTENING.matcher(Files.readString(stdout));
      if (listening.find()) {
        return new App(process, Integer.parseInt(listening.group(1)), stderr);
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new AssertionError("the web service did not report its port (exit "
        + (process.isAlive() ? "none" : process.exitValue()) + "); stderr:\n" + Files.readString(stderr));
  }

  private HttpResponse<String> send(int port, String method, String pathAndQuery, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(20))
        .header("User-Agent", USER_AGENT)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The requests both tests send, and the status each must get: the app answers normally either way. */
  private void exerciseTheApp(int port) throws Exception {
    HttpResponse<String> items = send(port, "GET", "/api/items?owner=" + QUERY_EMAIL + "&tag=" + QUERY_WORD, null);
    assertThat(items.statusCode()).isEqualTo(200);
    assertThat(items.body()).contains("\"teapot\"", "\"kettle\"");
    HttpResponse<String> item = send(port, "GET", "/api/items/42", null);
    assertThat(item.statusCode()).isEqualTo(200);
    assertThat(item.body()).contains("\"teapot\"");
    assertThat(send(port, "GET", "/api/items/" + PATH_EMAIL, null).statusCode()).isEqualTo(404);
    assertThat(send(port, "GET", "/api/items/" + PATH_WORD, null).statusCode()).isEqualTo(404);
    HttpResponse<String> order = send(port, "POST", "/api/orders",
        "{\"email\":\"" + BODY_EMAIL + "\",\"note\":\"" + BODY_WORD + "\",\"item\":\"42\"}");
    assertThat(order.statusCode()).isEqualTo(201);
    HttpResponse<String> fail = send(port, "GET", "/api/fail", null);
    assertThat(fail.statusCode()).isEqualTo(500);
    assertThat(fail.body()).doesNotContain("dana");
  }

  private static final int REQUESTS_SENT = 6;

  @Test
  void eachRequestBecomesOneScrubbedPostHogEventNamedByItsRoute() throws Exception {
    App app = startUnderAgent(env(true));
    exerciseTheApp(app.port());

    List<JsonNode> events = awaitEvents(REQUESTS_SENT, Duration.ofSeconds(30));
    // A little longer: a seventh event (say, from the extension's own HTTP calls) must not come.
    Thread.sleep(1_000);
    events = allEvents();
    String stderr = app.stop();

    synchronized (requests) {
      assertThat(requests).isNotEmpty();
      for (RecordedRequest request : requests) {
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/batch/");
        assertThat(request.getHeaders().get("Content-Encoding")).as("PostHog bodies are gzip").isEqualTo("gzip");
        String body = body(request);
        assertThat(JSON.readTree(body).get("api_key").asText()).isEqualTo("phc_test");
        for (String canary : CANARIES) {
          assertThat(body).as("a PostHog request body must not hold '%s'", canary).doesNotContain(canary);
        }
      }
    }

    assertThat(events)
        .extracting(
            e -> e.get("event").asText(),
            e -> e.path("properties").path("http.route").asText(),
            e -> e.path("properties").path("http.request.method").asText(),
            e -> e.path("properties").path("http.response.status_code").asInt(),
            e -> e.path("properties").path("success").asBoolean(),
            e -> e.path("properties").path("error_type").asText(null))
        .as("one event per request, named by the route (the agent's span name: method and context path)")
        .containsExactlyInAnyOrder(
            tuple("GET /api/items", "/api/items", "GET", 200, true, null),
            tuple("GET /api/items/", "/api/items/", "GET", 200, true, null),
            tuple("GET /api/items/", "/api/items/", "GET", 404, true, "4xx"),
            tuple("GET /api/items/", "/api/items/", "GET", 404, true, "4xx"),
            tuple("POST /api/orders", "/api/orders", "POST", 201, true, null),
            tuple("GET /api/fail", "/api/fail", "GET", 500, false, "IllegalStateException"));

    for (JsonNode event : events) {
      JsonNode properties = event.get("properties");
      Set<String> keys = new LinkedHashSet<>();
      properties.fieldNames().forEachRemaining(keys::add);
      Set<String> expected = new LinkedHashSet<>(List.of(
          "duration_ms", "success", "http.route", "http.request.method", "http.response.status_code",
          "service.name", "$lib", "$lib_version", "$process_person_profile", "$geoip_disable"));
      if (properties.has("error_type")) {
        expected.add("error_type");
      }
      assertThat(keys).as("the properties of %s: the policy's, and nothing else", event.get("event"))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(properties.get("duration_ms").isIntegralNumber()).isTrue();
      assertThat(properties.get("duration_ms").asLong()).isBetween(0L, 30_000L);
      assertThat(properties.get("service.name").asText()).isEqualTo("web-service");
      assertThat(properties.get("$lib").asText()).isEqualTo("otel-analytics");
      assertThat(event.get("uuid").asText()).isNotEmpty();
      assertThat(event.get("distinct_id").asText()).isNotEmpty();
    }
    assertThat(events).extracting(e -> e.get("distinct_id").asText()).as("one install id").containsOnly(
        events.get(0).get("distinct_id").asText());

    assertCleanAgentLog(stderr);
    assertThat(stderr).doesNotContain("otel-analytics is off");
  }

  @Test
  void withAnalyticsNotEnabledTheExtensionSendsNothingAndTheAppAnswersNormally() throws Exception {
    App app = startUnderAgent(env(false));
    exerciseTheApp(app.port());
    // Many flush intervals (200 ms): anything it were going to send would have gone by now.
    Thread.sleep(2_000);
    String stderr = app.stop();

    assertThat(posthog.getRequestCount()).as("requests that reached PostHog").isZero();
    assertThat(temp.resolve("state")).as("analytics off writes nothing, not even its state directory").doesNotExist();
    assertCleanAgentLog(stderr);
  }

  /**
   * Each opt-out of the person running the service, under the real agent, with the usage-report
   * exporter on too: no request, and nothing written but the stored choice itself.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "DO_NOT_TRACK=1                   | DO_NOT_TRACK=1",
      "the service's own opt-out variable | OTEL_ANALYTICS_OPT_OUT_ENV=WEB_NO_ANALYTICS, WEB_NO_ANALYTICS=1",
      "OTEL_ANALYTICS_ENABLED=false     | OTEL_ANALYTICS_ENABLED=false",
      "OTEL_ANALYTICS_LEVEL=off         | OTEL_ANALYTICS_LEVEL=off",
      "a stored level off               | ",
  })
  void everyOptOutStopsAllCollectionUnderTheAgent(String name, String variables) throws Exception {
    Map<String, String> env = env(true);
    env.put("OTEL_METRICS_EXPORTER", "analytics");
    Path state = temp.resolve("state");
    if (variables == null) {
      // What the level command writes (the telemetry command is the library's; this service has none).
      Files.createDirectories(state);
      Files.writeString(state.resolve("level"), "off\n");
    } else {
      for (String variable : variables.split(",")) {
        String[] pair = variable.trim().split("=", 2);
        env.put(pair[0], pair[1]);
      }
    }
    App app = startUnderAgent(env);
    exerciseTheApp(app.port());
    Thread.sleep(1_000);
    String stderr = app.stop();

    assertThat(posthog.getRequestCount()).as("requests that reached PostHog").isZero();
    if (variables == null) {
      try (var files = Files.walk(state)) {
        assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList()).containsExactly("level");
      }
    } else {
      assertThat(state).as("an opted-out run writes nothing, not even its state directory").doesNotExist();
    }
    assertCleanAgentLog(stderr);
  }

  /**
   * The agent ran, and said nothing went wrong: no WARN/ERROR line from it (it warns when an
   * extension cannot be read, and fails to start when one cannot be loaded), no JUL
   * WARNING/SEVERE (how otel-analytics reports a problem), and no stack trace.
   */
  private static void assertCleanAgentLog(String stderr) {
    assertThat(stderr).as("the agent started").contains("opentelemetry-javaagent - version: " + AGENT_VERSION);
    List<String> problems = stderr.lines()
        .filter(line -> line.contains("] WARN ") || line.contains("] ERROR ")
            || line.startsWith("WARNING:") || line.startsWith("SEVERE:")
            || line.contains("failed to start") || line.contains("ExtensionClassLoader")
            || line.contains("Exception") || line.contains("Error:") || line.startsWith("\tat ")
            || line.contains("dev.otelanalytics") || line.contains("otel-analytics"))
        .toList();
    assertThat(problems).as("problem lines on the app's stderr:\n%s", stderr).isEmpty();
  }

  private List<JsonNode> awaitEvents(int count, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> events = allEvents();
    while (events.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
      events = allEvents();
    }
    assertThat(events).as("events that reached PostHog within %s", timeout).hasSizeGreaterThanOrEqualTo(count);
    return events;
  }

  private List<JsonNode> allEvents() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    synchronized (requests) {
      for (RecordedRequest request : requests) {
        JsonNode batch = JSON.readTree(body(request)).get("batch");
        batch.forEach(events::add);
      }
    }
    return events;
  }

  private static String body(RecordedRequest request) throws IOException {
    byte[] raw = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    if (!"gzip".equals(request.getHeaders().get("Content-Encoding"))) {
      return new String(raw, StandardCharsets.UTF_8);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
