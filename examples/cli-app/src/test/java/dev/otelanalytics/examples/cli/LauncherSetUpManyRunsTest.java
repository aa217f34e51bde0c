package dev.otelanalytics.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.PhasedDispatcher;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many consecutive runs of the example with every feature its launcher ({@code examples/cli-app/cli-app})
 * turns on, plus the ones people add to it: PostHog as the destination (a local MockWebServer
 * answering 200), debug output, and usage reports that actually close within the runs. Each run is
 * its own JVM, as users run it. Every event a run makes must be delivered by the end of that run,
 * or, with the launcher's sender process ({@code OTEL_ANALYTICS_SENDER=process}), by the end of the
 * sender process that run started (the server answers 200 at once, so nothing has a reason to
 * wait); none with two contents, and no usage-report count may be lost or counted twice.
 *
 * <p>It would have caught issue 14's fault 0: with the usage-report exporter holding the delivery
 * worker, the span processor's flush and the exporter's shutdown met, the shutdown's own flush was
 * answered "done" before any delivery attempt, and the sender was closed before it ever sent.
 */
class LauncherSetUpManyRunsTest {
  private static final String API_KEY = "phc_manyRunsTestKey";
  private static final int RUNS = 12;
  private static final Pattern LAUNCHER_DEFAULT =
      Pattern.compile("^export (OTEL_[A-Z_]+)=\"\\$\\{\\1:-(.*)\\}\"", Pattern.MULTILINE);
  private static final Pattern UUID = Pattern.compile("\"uuid\"\\s*:\\s*\"([0-9a-f-]{36})\"");

  @TempDir Path temp;
  private MockWebServer server;
  private final PhasedDispatcher posthog = new PhasedDispatcher(() -> PhasedDispatcher.status(200));

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.setDispatcher(posthog);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The variables the launcher script sets when the user has not, with its own directory for {@code $here}. */
  static Map<String, String> launcherDefaults() throws IOException {
    Path module = Path.of("").toAbsolutePath();
    String script = Files.readString(module.resolve("cli-app"));
    Map<String, String> env = new LinkedHashMap<>();
    Matcher m = LAUNCHER_DEFAULT.matcher(script);
    while (m.find()) {
      env.put(m.group(1), m.group(2).replace("$here", module.toString()));
    }
    return env;
  }

  record Run(String command, int exitCode, String stderr) {}

  private Run cli(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder builder = CliProcess.builder(env, args);
    Path stderr = Files.createTempFile(temp, "stderr", ".txt");
    builder.redirectError(stderr.toFile());
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
    return new Run(String.join(" ", args), process.exitValue(), Files.readString(stderr));
  }

  private List<Path> outboxBatches() throws IOException {
    Path outbox = temp.resolve("state").resolve("outbox");
    if (!Files.isDirectory(outbox)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(outbox)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList();
    }
  }

  @Test
  void everyRunDeliversItsEventsAndUsageReportsLoseAndDoubleNothing() throws Exception {
    Map<String, String> launcher = launcherDefaults();
    // What the launcher turns on, so that this test follows it when it changes.
    assertThat(launcher).containsEntry("OTEL_ANALYTICS_ENABLED", "true").containsKeys("OTEL_ANALYTICS_POLICY_FILE");
    assertThat(launcher.get("OTEL_METRICS_EXPORTER")).contains("analytics");

    Map<String, String> env = new HashMap<>(launcher);
    env.put("OTEL_ANALYTICS_STATE_DIR", temp.resolve("state").toString());
    env.put("OTEL_ANALYTICS_DESTINATION", "posthog");
    env.put("OTEL_EXPORTER_POSTHOG_ENDPOINT", server.url("/").toString());
    env.put("OTEL_EXPORTER_POSTHOG_API_KEY", API_KEY);
    env.put("OTEL_ANALYTICS_DEBUG", "true");
    // Short windows, so that reports close (and must be delivered) within the runs.
    env.put("OTEL_ANALYTICS_METRICS_REPORT_INTERVAL", "2s");
    // Room to finish sending on a loaded machine: a run whose sending must wait is a failure here.
    env.put("OTEL_ANALYTICS_SHUTDOWN_TIMEOUT", "10s");

    Path target = Files.createDirectories(temp.resolve("work"));
    for (int i = 0; i < 3; i++) {
      Files.writeString(target.resolve("entry-" + i), "x");
    }
    long itemsInspected = 0;
    Set<String> made = new LinkedHashSet<>();
    for (int n = 1; n <= RUNS; n++) {
      String[] args = switch (n % 3) {
        case 0 -> new String[] {"version"};
        case 1 -> new String[] {"inspect", target.toString()};
        default -> new String[] {"report", "--format", "json"};
      };
      Run run = cli(env, args);
      if (args[0].equals("inspect")) {
        itemsInspected += 3;
      }
      assertThat(run.exitCode()).as("run %d (%s): %s", n, run.command(), run.stderr()).isZero();
      assertThat(run.stderr()).doesNotContain(API_KEY);
      Set<String> uuids = new LinkedHashSet<>();
      Matcher m = UUID.matcher(run.stderr());
      while (m.find()) {
        uuids.add(m.group(1));
      }
      assertThat(uuids).as("run %d (%s) printed its event (debug)", n, run.command()).isNotEmpty();
      made.addAll(uuids);

      if ("process".equals(launcher.get("OTEL_ANALYTICS_SENDER"))) {
        awaitSenderProcess();
      }
      assertThat(outboxBatches()).as("run %d (%s) left nothing waiting; its stderr: %s", n, run.command(), run.stderr())
          .isEmpty();
      assertThat(posthog.accounting().delivered()).as("run %d (%s): all events so far delivered", n, run.command())
          .containsAll(made);
    }

    PhasedDispatcher.Accounting accounting = posthog.accounting();
    assertThat(accounting.delivered()).as("every event made was delivered, and nothing else").isEqualTo(made);
    assertThat(accounting.conflicting()).as("no uuid delivered with two contents").isEmpty();

    // Usage reports: what the reports delivered plus what the open window still holds is exactly what was counted.
    long reported = 0;
    int reports = 0;
    Set<String> reportUuids = new LinkedHashSet<>();
    for (Map<String, Object> event : posthog.deliveredEvents()) {
      if (event.get("event").equals("usage_report") && reportUuids.add((String) event.get("uuid"))) {
        reports++;
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) event.get("properties");
        reported += ((Number) properties.getOrDefault("metric.cli.items.inspected", 0L)).longValue();
      }
    }
    assertThat(reports).as("usage reports were made and delivered within the runs").isPositive();
    assertThat(reported + openWindowItems()).isEqualTo(itemsInspected);
  }

  /** Waits (at most 30 s) until the run's sender process has sent the outbox and ended (its lock is free). */
  private void awaitSenderProcess() throws Exception {
    Path lock = temp.resolve("state").resolve("sender.lock");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() - deadline < 0) {
      if (outboxBatches().isEmpty() && !held(lock)) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private static boolean held(Path lock) throws IOException {
    if (!Files.exists(lock)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock taken = channel.tryLock()) {
      return taken == null;
    }
  }

  /** {@code cli.items.inspected} counted in the open window file (all its series). */
  private long openWindowItems() throws IOException {
    Path file = temp.resolve("state").resolve("usage-window.json");
    if (!Files.exists(file)) {
      return 0;
    }
    Map<String, Object> window = Json.object(Files.readString(file));
    long total = 0;
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> series = (List<Map<String, Object>>) window.get("series");
    for (Map<String, Object> s : series) {
      if (s.get("metric").equals("cli.items.inspected")) {
        total += ((Number) s.get("value")).longValue();
      }
    }
    return total;
  }
}
