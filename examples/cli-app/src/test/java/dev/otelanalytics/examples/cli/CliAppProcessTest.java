package dev.otelanalytics.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.internal.ga4.Ga4Rules;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.PostHogRequests;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example CLI as users run it: a separate JVM per command, sending to PostHog (a local
 * MockWebServer), with the outbox carrying what one run could not send to the next.
 */
class CliAppProcessTest {
  private static final String API_KEY = "phc_cliProcessTestKey";

  @TempDir Path temp;
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

  record Run(int exitCode, long millis, String stderr) {}

  private Run cli(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder builder = CliProcess.builder(env, args);
    Path stderr = Files.createTempFile(temp, "stderr", ".txt");
    builder.redirectError(stderr.toFile());
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    return new Run(process.exitValue(), millis, Files.readString(stderr));
  }

  private Map<String, String> env(String endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_TRACES_EXPORTER", "none");
    env.put("OTEL_METRICS_EXPORTER", "none");
    env.put("OTEL_LOGS_EXPORTER", "none");
    env.put("OTEL_ANALYTICS_ENABLED", "true");
    env.put("OTEL_ANALYTICS_POLICY_FILE", Path.of("analytics-policy.yaml").toAbsolutePath().toString());
    env.put("OTEL_ANALYTICS_STATE_DIR", temp.resolve("state").toString());
    env.put("OTEL_ANALYTICS_DESTINATION", "posthog");
    env.put("OTEL_EXPORTER_POSTHOG_ENDPOINT", endpoint);
    env.put("OTEL_EXPORTER_POSTHOG_API_KEY", API_KEY);
    // Room to finish sending on a loaded machine; the tests about the time bound set 1 s themselves.
    env.put("OTEL_ANALYTICS_SHUTDOWN_TIMEOUT", "10s");
    return env;
  }

  /** Events waiting in the outbox, in sealed and open batches alike. */
  private long outboxEvents() throws IOException {
    Path outbox = temp.resolve("state").resolve("outbox");
    if (!Files.isDirectory(outbox)) {
      return 0;
    }
    long events = 0;
    try (Stream<Path> files = Files.list(outbox)) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("b-.*\\.(jsonl|open|sending)")).toList()) {
        events += Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).count();
      }
    }
    return events;
  }

  private long outboxBatches() throws IOException {
    Path outbox = temp.resolve("state").resolve("outbox");
    if (!Files.isDirectory(outbox)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(outbox)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).count();
    }
  }

  /** Answers 503, then drops the connection without answering, then accepts; records what it accepted. */
  static final class FlakyPostHog extends Dispatcher {
    final AtomicInteger requests = new AtomicInteger();
    final List<Map<String, Object>> seen = new ArrayList<>();
    final List<Map<String, Object>> accepted = new ArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      int n = requests.getAndIncrement();
      List<Map<String, Object>> events = events(request);
      synchronized (this) {
        seen.addAll(events);
        if (n >= 2) {
          accepted.addAll(events);
        }
      }
      if (n == 0) {
        return new MockResponse.Builder().code(503).build();
      }
      if (n == 1) {
        // Read the whole request, then hang up without an answer: the client cannot know it arrived.
        return new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
      }
      return new MockResponse.Builder().code(200).body("{\"status\":\"Ok\"}").build();
    }
  }

  @Test
  void refusedAndDroppedRequestsLoseNothingAcrossRunsAndNoUuidChangesContent() throws Exception {
    FlakyPostHog posthog = new FlakyPostHog();
    server.setDispatcher(posthog);
    Path target = Files.createDirectories(temp.resolve("home/alice/project"));
    Map<String, String> env = env(server.url("/").toString());

    List<Run> runs = List.of(
        cli(env, "inspect", target.toString()),
        cli(env, "report", "--format", "json"),
        cli(env, "version"),
        cli(env, "version"));

    assertThat(runs).allSatisfy(run -> assertThat(run.exitCode()).isZero());
    assertThat(posthog.requests.get()).isGreaterThanOrEqualTo(3);
    Map<String, Map<String, Object>> byUuid = new LinkedHashMap<>();
    synchronized (posthog) {
      for (Map<String, Object> event : posthog.seen) {
        Map<String, Object> earlier = byUuid.putIfAbsent((String) event.get("uuid"), event);
        if (earlier != null) {
          assertThat(event).as("a resent uuid carries exactly the same event").isEqualTo(earlier);
        }
      }
      assertThat(byUuid).as("one event per run").hasSize(runs.size());
      assertThat(posthog.accepted).extracting(e -> e.get("uuid")).containsAll(byUuid.keySet());
      assertThat(posthog.accepted).extracting(e -> e.get("event"))
          .contains("inspect", "report", "version");
    }
    assertThat(outboxBatches()).isZero();
    for (Run run : runs) {
      assertThat(run.stderr()).doesNotContain(API_KEY).doesNotContain("alice");
    }
  }

  @Test
  void withGa4TheRequestsFollowGa4sRulesAndCarryNoCanary() throws Exception {
    List<RecordedRequest> requests = new ArrayList<>();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        synchronized (requests) {
          requests.add(request);
        }
        return new MockResponse.Builder().code(204).build();
      }
    });
    Map<String, String> env = env(server.url("/").toString());
    env.put("OTEL_ANALYTICS_DESTINATION", "ga4");
    env.put("OTEL_EXPORTER_GA4_ENDPOINT", server.url("/").toString());
    env.put("OTEL_EXPORTER_GA4_MEASUREMENT_ID", "G-CLITEST1");
    env.put("OTEL_EXPORTER_GA4_API_SECRET", "ga4CliTestSecret");
    Path secret = Files.createDirectories(temp.resolve("home/alice/private-project"));

    assertThat(cli(env, "inspect", secret.toString(), "--owner", "alice@example.com").exitCode()).isZero();
    assertThat(cli(env, "inspect", "/home/alice/missing", "10.1.2.3").exitCode()).isEqualTo(1);
    assertThat(cli(env, "report", "--format", "json").exitCode()).isZero();

    synchronized (requests) {
      assertThat(requests).isNotEmpty();
      List<String> names = new ArrayList<>();
      for (RecordedRequest r : requests) {
        assertThat(r.getUrl().encodedPath()).isEqualTo("/mp/collect");
        assertThat(r.getUrl().queryParameter("measurement_id")).isEqualTo("G-CLITEST1");
        String body = r.getBody().utf8();
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(130_000);
        assertThat(body).doesNotContain("alice", "10.1.2.3", "private-project", "missing", temp.toString());
        Map<String, Object> json = Json.object(body);
        assertThat(json.get("non_personalized_ads")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) json.get("events");
        assertThat(events).hasSizeBetween(1, 25);
        for (Map<String, Object> event : events) {
          String name = (String) event.get("name");
          names.add(name);
          assertThat(Ga4Rules.isValidEventName(name)).as(name).isTrue();
          @SuppressWarnings("unchecked")
          Map<String, Object> params = (Map<String, Object>) event.get("params");
          assertThat(params).hasSizeLessThanOrEqualTo(25).containsKeys("engagement_time_msec", "session_id", "cli_command");
          for (Map.Entry<String, Object> param : params.entrySet()) {
            assertThat(Ga4Rules.isValidParamName(param.getKey())).as(param.getKey()).isTrue();
            if (param.getValue() instanceof String text) {
              assertThat(text).hasSizeLessThanOrEqualTo(100);
            }
          }
        }
      }
      assertThat(names).containsExactlyInAnyOrder("inspect", "inspect", "report");
    }
  }

  @Test
  void theFirstRunShowsTheNoticeAndSendsNothingTheSecondSends() throws Exception {
    List<Map<String, Object>> received = new ArrayList<>();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        synchronized (received) {
          received.addAll(events(request));
        }
        return new MockResponse.Builder().code(200).body("{\"status\":\"Ok\"}").build();
      }
    });
    Map<String, String> env = env(server.url("/").toString());
    env.put("OTEL_ANALYTICS_NOTICE", "true");

    Run first = cli(env, "inspect", ".");
    assertThat(first.exitCode()).isZero();
    assertThat(first.stderr()).contains("collects anonymous usage analytics", "Nothing is sent during this run");
    assertThat(server.getRequestCount()).as("nothing left the machine in the run that showed the notice").isZero();
    assertThat(outboxBatches()).as("nor was anything queued to leave later").isZero();

    Run second = cli(env, "report");
    assertThat(second.exitCode()).isZero();
    assertThat(second.stderr()).doesNotContain("collects anonymous usage analytics");
    synchronized (received) {
      assertThat(received).extracting(e -> e.get("event")).containsExactly("report");
    }
  }

  @Test
  void processesRunningAtOnceShareTheStateDirectoryWithoutLosingOrDoublingEvents() throws Exception {
    List<Map<String, Object>> accepted = new ArrayList<>();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        synchronized (accepted) {
          accepted.addAll(events(request));
        }
        return new MockResponse.Builder().code(200).body("{\"status\":\"Ok\"}").build();
      }
    });
    Map<String, String> env = env(server.url("/").toString());
    List<java.util.concurrent.Future<Run>> runs = new ArrayList<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 4; i++) {
        runs.add(pool.submit(() -> cli(env, "report")));
      }
      for (java.util.concurrent.Future<Run> run : runs) {
        assertThat(run.get(90, TimeUnit.SECONDS).exitCode()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    // Four JVMs starting at once on a small machine may not finish sending within the 1 s
    // shutdown timeout; what they could not send waits in the shared outbox for the next run.
    assertThat(cli(env, "version").exitCode()).isZero();
    synchronized (accepted) {
      assertThat(accepted).extracting(e -> e.get("uuid")).hasSize(5).doesNotHaveDuplicates();
      assertThat(accepted).extracting(e -> e.get("event")).containsExactlyInAnyOrder("report", "report", "report", "report", "version");
    }
    assertThat(outboxBatches()).isZero();
  }

  @Test
  void aClosedPortCostsNoMoreThanTheShutdownTimeoutAndTheNextRunSends() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    assertUnreachableEndpointIsHarmless("http://127.0.0.1:" + closedPort + "/");
  }

  @Test
  void aServerThatNeverAnswersCostsNoMoreThanTheShutdownTimeoutAndTheNextRunSends() throws Exception {
    try (ServerSocket blackHole = new ServerSocket(0)) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(blackHole.accept()); // accept, then never read or answer
          }
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      assertUnreachableEndpointIsHarmless("http://127.0.0.1:" + blackHole.getLocalPort() + "/");
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private void assertUnreachableEndpointIsHarmless(String endpoint) throws Exception {
    Path target = Files.createDirectories(temp.resolve("work"));
    Map<String, String> off = env(endpoint);
    off.put("OTEL_ANALYTICS_ENABLED", "false");
    long usual = Math.min(cli(off, "inspect", target.toString()).millis(), cli(off, "inspect", target.toString()).millis());

    Map<String, String> bounded = env(endpoint);
    bounded.put("OTEL_ANALYTICS_SHUTDOWN_TIMEOUT", "1s");
    Run run = cli(bounded, "inspect", target.toString());
    Run failing = cli(bounded, "inspect", "/home/alice/does-not-exist");

    assertThat(run.exitCode()).isZero();
    assertThat(failing.exitCode()).as("the app's own failure code is kept").isEqualTo(1);
    // Usual time + the 1 s shutdown timeout, plus generous slack for a loaded 2-core machine.
    // The export timeout (10 s) is far above this, so a wait for it would fail the test.
    assertThat(run.millis()).isLessThan(usual + 1_000 + 3_000);
    // Both runs' events wait in the outbox (the second run may take the first one's open batch over
    // and add to it, so count events, not files).
    assertThat(outboxEvents()).isEqualTo(2);

    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("{\"status\":\"Ok\"}").build();
      }
    });
    Run next = cli(env(server.url("/").toString()), "version");
    assertThat(next.exitCode()).isZero();
    List<Object> delivered = new ArrayList<>();
    for (RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS); r != null; r = server.takeRequest(1, TimeUnit.SECONDS)) {
      events(r).forEach(e -> delivered.add(e.get("event")));
    }
    assertThat(delivered).containsExactlyInAnyOrder("inspect", "inspect", "version");
    assertThat(outboxBatches()).isZero();
  }

  /** The batch of a PostHog request, each event as a map (properties nested). */
  static List<Map<String, Object>> events(RecordedRequest request) {
    return PostHogRequests.events(request);
  }
}
