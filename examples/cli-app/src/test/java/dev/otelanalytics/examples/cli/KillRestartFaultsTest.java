package dev.otelanalytics.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.PhasedDispatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process death: the example CLI, sending to a slow PostHog, killed with SIGKILL at random moments
 * (during start-up, while mapping, while a request is in flight) many times in a row, then run
 * normally. Every event that reached this machine's local history (written only once the event
 * is safe in the outbox) must be delivered in the end, and no {@code uuid} with two contents.
 */
class KillRestartFaultsTest {
  private static final String API_KEY = "phc_killRestartTestKey";
  /** 12 in CI; times {@code faults.scale} under {@code -Psoak}. */
  private static final int KILLED_RUNS = 12 * Integer.getInteger("faults.scale", 1);

  @TempDir Path temp;
  private MockWebServer server;
  private PhasedDispatcher posthog;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    // Slow answers, so that many kills land while a request is in flight.
    posthog = new PhasedDispatcher(() -> new MockResponse.Builder().code(200).body("{\"status\":\"Ok\"}")
        .headersDelay(300, TimeUnit.MILLISECONDS).build());
    server.setDispatcher(posthog);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_SERVICE_NAME", "cli-app");
    env.put("OTEL_TRACES_EXPORTER", "none");
    env.put("OTEL_METRICS_EXPORTER", "none");
    env.put("OTEL_LOGS_EXPORTER", "none");
    env.put("OTEL_ANALYTICS_ENABLED", "true");
    env.put("OTEL_ANALYTICS_POLICY_FILE", Path.of("analytics-policy.yaml").toAbsolutePath().toString());
    env.put("OTEL_ANALYTICS_STATE_DIR", temp.resolve("state").toString());
    env.put("OTEL_ANALYTICS_DESTINATION", "posthog");
    env.put("OTEL_EXPORTER_POSTHOG_ENDPOINT", server.url("/").toString());
    env.put("OTEL_EXPORTER_POSTHOG_API_KEY", API_KEY);
    env.put("OTEL_ANALYTICS_SHUTDOWN_TIMEOUT", "10s");
    return env;
  }

  private Process launch(String... args) throws IOException {
    ProcessBuilder builder = CliProcess.builder(env(), args);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return builder.start();
  }

  /** The uuids in the local history: events this machine kept, each already safe in the outbox. */
  private Set<String> historyUuids() throws IOException {
    Set<String> uuids = new LinkedHashSet<>();
    Path events = temp.resolve("state").resolve("events");
    if (!Files.isDirectory(events)) {
      return uuids;
    }
    try (Stream<Path> files = Files.list(events)) {
      for (Path file : files.toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            uuids.add(String.valueOf(Json.object(line).get("uuid")));
          }
        }
      }
    }
    return uuids;
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

  @Test
  void everyEventThatReachedTheOutboxIsDeliveredAfterRandomKills() throws Exception {
    Path target = Files.createDirectories(temp.resolve("home/alice/project"));
    Random random = new Random(20261129);
    long started = System.nanoTime();
    for (int i = 0; i < KILLED_RUNS; i++) {
      Process process = launch("inspect", target.toString());
      // From JVM start-up to well past the span's end and into sending: 0.3 s to 3.3 s.
      boolean exited = process.waitFor(300 + random.nextInt(3_000), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed run %d ended", i).isTrue();
      }
    }
    // Then the CLI runs as usual against a PostHog that answers at once, until the outbox is empty.
    posthog.setPhase(() -> PhasedDispatcher.status(200));
    for (int i = 0; i < 3 && (i == 0 || outboxBatches() > 0); i++) {
      Process process = launch("version");
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("clean run %d ended", i).isTrue();
      assertThat(process.exitValue()).isZero();
    }

    Set<String> kept = historyUuids();
    PhasedDispatcher.Accounting accounting = posthog.accounting();
    Set<String> missing = new LinkedHashSet<>(kept);
    missing.removeAll(accounting.delivered());
    System.out.printf("[faults] kill/restart: %d killed runs + clean runs in %d s; events kept locally %d, delivered %d,"
            + " missing %d, duplicated %d, conflicting %d, batches left %d%n",
        KILLED_RUNS, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), kept.size(), accounting.delivered().size(),
        missing.size(), accounting.duplicated().size(), accounting.conflicting().size(), outboxBatches());
    assertThat(kept).as("some killed runs got far enough to keep an event").isNotEmpty();
    assertThat(missing).as("events kept locally but never delivered").isEmpty();
    assertThat(accounting.conflicting()).as("uuids delivered with two different contents").isEmpty();
    assertThat(outboxBatches()).as("batches left in the outbox").isZero();
  }
}
