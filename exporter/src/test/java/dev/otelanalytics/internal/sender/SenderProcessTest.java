package dev.otelanalytics.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.config.AnalyticsConfig;
import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.delivery.DeliveryCounters;
import dev.otelanalytics.internal.delivery.Outbox;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.testing.PhasedDispatcher;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code OTEL_ANALYTICS_SENDER=process}: a command-line run writes its events to the outbox and
 * ends; a sender process, started as it ends, sends them. Runs real JVMs: the command as the SDK
 * autoconfigure starts it, and the sender process it starts.
 */
class SenderProcessTest {
  private static final String API_KEY = "phc_senderProcessTestKey42";
  private static final String[] CANARIES = {"alice@example.com", "/home/alice/secret-project", "203.0.113.42",
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789"};

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

  /** A CLI command: one root span carrying personal data the policy must drop, then the SDK closes. */
  public static final class CliCommand {
    public static void main(String[] args) {
      OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder().build().getOpenTelemetrySdk();
      Span span = sdk.getTracer("cli").spanBuilder("deploy").startSpan();
      span.setAttribute("user.email", CANARIES[0]);
      span.setAttribute("cli.args", "--config " + CANARIES[1] + "/app.yaml");
      span.setAttribute("client.address", CANARIES[2]);
      span.setAttribute("cli.command", "deploy " + CANARIES[3]);
      span.end();
      sdk.close();
    }
  }

  @Test
  void theRunEndsAndItsSenderProcessDeliversWithoutAnyPersonalDataAndTheRunNeverLoadsTheHttpClient() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":1}").build());
    Path state = temp.resolve("state");
    Run run = runCommand(state, Map.of());

    assertThat(run.exitCode).as(run.output).isZero();
    RecordedRequest request = server.takeRequest(60, TimeUnit.SECONDS);
    assertThat(request).as("the sender process delivered; its log: %s", log(state)).isNotNull();
    String body = text(request);
    assertThat(body).contains("\"event\":\"deploy\"").contains(API_KEY);
    for (String canary : CANARIES) {
      assertThat(body).doesNotContain(canary);
    }
    // The command's own JVM: events written, no HTTP client, no TLS.
    assertThat(run.output).contains("dev.otelanalytics.internal.delivery.SenderProcessSink")
        .doesNotContain("okhttp3.").doesNotContain("sun.security.ssl.");
    awaitOutboxEmpty(state);
    assertThat(log(state)).doesNotContain(API_KEY);
    for (String canary : CANARIES) {
      assertThat(log(state)).doesNotContain(canary);
    }
  }

  /** Every opt-out, level local, and a run that shows the first-run notice: nothing started, nothing sent. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DO_NOT_TRACK=1", "MYCLI_NO_ANALYTICS=1 OTEL_ANALYTICS_OPT_OUT_ENV=MYCLI_NO_ANALYTICS",
      "OTEL_ANALYTICS_LEVEL=off", "OTEL_ANALYTICS_LEVEL=local", "OTEL_ANALYTICS_NOTICE=true"})
  void aRunThatSendsNothingStartsNoSenderProcess(String variables) throws Exception {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String variable : variables.split(" ")) {
      environment.put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
    }
    Path state = temp.resolve("state");
    Run run = runCommand(state, environment);

    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output).doesNotContain("java.lang.ProcessBuilder ");
    assertThat(state.resolve(StateDirectory.SENDER_LOCK_FILE)).doesNotExist();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void twoSenderProcessesStartedAtOnceSendEachBatchOnce() throws Exception {
    Path state = temp.resolve("state");
    leaveABatch(state);
    leaveABatch(state);
    PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(200));
    server.setDispatcher(dispatcher);
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(two.submit(() -> {
          go.await();
          return SenderProcess.run(settings(state), Duration.ofSeconds(20));
        }));
      }
      go.countDown();
      for (java.util.concurrent.Future<Integer> run : runs) {
        assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      two.shutdownNow();
    }
    assertThat(server.getRequestCount()).as("each batch sent once").isEqualTo(2);
    assertThat(outboxFiles(state)).isEmpty();
  }

  @Test
  void whileASenderProcessRunsNoOtherStartsAndTheNextOneSendsWhatWasLeft() throws Exception {
    Path state = temp.resolve("state");
    Files.createDirectories(state);
    List<String> events;
    try (SenderProcessLock held = SenderProcessLock.tryTake(state.resolve(StateDirectory.SENDER_LOCK_FILE))) {
      assertThat(held).isNotNull();
      Run run = runCommand(state, Map.of());
      assertThat(run.exitCode).as(run.output).isZero();
      assertThat(run.output).doesNotContain("java.lang.ProcessBuilder ");
      assertThat(SenderProcess.run(settings(state), Duration.ofSeconds(5))).as("this one is not the one running").isZero();
      assertThat(server.getRequestCount()).isZero();
      events = outboxFiles(state);
      assertThat(events).as("the run's batch waits in the outbox").hasSize(1);
    }
    server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":1}").build());
    assertThat(SenderProcess.run(settings(state), Duration.ofSeconds(20))).isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(outboxFiles(state)).isEmpty();
  }

  @Test
  void aSenderProcessSendsNothingOnceTheUserChoseLocalOrOff() throws Exception {
    for (AnalyticsLevel level : new AnalyticsLevel[] {AnalyticsLevel.LOCAL, AnalyticsLevel.OFF}) {
      Path state = temp.resolve("state-" + level.settingValue());
      leaveABatch(state);
      StateDirectory.at(state).choices().storeLevel(level);

      assertThat(SenderProcess.run(settings(state), Duration.ofSeconds(5))).isZero();
      assertThat(server.getRequestCount()).as(level.settingValue()).isZero();
      assertThat(outboxFiles(state)).as("kept: %s", level.settingValue()).hasSize(1);
    }
  }

  @Test
  void aRefusedBatchStaysForTheNextSenderProcess() throws Exception {
    Path state = temp.resolve("state");
    leaveABatch(state);
    PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(503));
    server.setDispatcher(dispatcher);

    assertThat(SenderProcess.run(settings(state), Duration.ofMillis(1500))).isZero();
    assertThat(server.getRequestCount()).as("tried, and retried within its budget").isGreaterThan(1);
    assertThat(outboxFiles(state)).hasSize(1);

    dispatcher.setPhase(() -> PhasedDispatcher.status(200));
    int before = server.getRequestCount();
    assertThat(SenderProcess.run(settings(state), Duration.ofSeconds(20))).isZero();
    assertThat(server.getRequestCount()).isEqualTo(before + 1);
    assertThat(outboxFiles(state)).isEmpty();
  }

  @Test
  void aRefusedKeyIsSaidByTheNextRunWhereItsUserSeesItAndNeverTheKey() throws Exception {
    Path state = temp.resolve("state");
    leaveABatch(state);
    PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(401));
    server.setDispatcher(dispatcher);
    assertThat(SenderProcess.run(settings(state), Duration.ofMillis(1500))).isZero();
    assertThat(state.resolve(StateDirectory.SENDER_STOPPED_FILE)).exists();

    // This run's sender process gets through (the key was fixed, say): it sends both batches.
    dispatcher.setPhase(() -> PhasedDispatcher.status(200));
    Run next = runCommand(state, Map.of());
    assertThat(next.exitCode).as(next.output).isZero();
    assertThat(next.output).contains("WARNING").contains("the last sender process stopped sending to posthog")
        .contains("OTEL_EXPORTER_POSTHOG_API_KEY").doesNotContain(API_KEY);
    awaitOutboxEmpty(state);
    assertThat(state.resolve(StateDirectory.SENDER_STOPPED_FILE)).doesNotExist();
    assertThat(runCommand(state, Map.of()).output).doesNotContain("stopped sending");
    awaitOutboxEmpty(state);
  }

  @Test
  void unusableSettingsAreRefusedWithTheSettingNamedAndNoKeyShown() throws Exception {
    Path state = temp.resolve("state");
    leaveABatch(state);
    String text = "sender.state.dir=" + state.toString().replace("\\", "\\\\") + "\n"
        + "otel.analytics.destination=posthog\notel.exporter.posthog.endpoint=ftp\\://example.com\n"
        + "otel.exporter.posthog.api.key=" + API_KEY + "\n";
    assertThat(SenderProcess.run(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5)))
        .isEqualTo(2);
    assertThat(SenderProcess.run(new ByteArrayInputStream(new byte[0]), Duration.ofSeconds(5))).isEqualTo(2);
    assertThat(outboxFiles(state)).hasSize(1);
  }

  @Test
  void theCommandLineHoldsNoSetting() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(AnalyticsConfig.DESTINATION, "posthog");
    settings.put(AnalyticsConfig.POSTHOG_API_KEY, API_KEY);
    settings.put(AnalyticsConfig.POSTHOG_ENDPOINT, server.url("/").toString());
    SenderProcessLaunch launch = SenderProcessLaunch.prepare(settings, StateDirectory.at(temp), 1 << 20,
        Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(launch).as("the test's classes are on the class path").isNotNull();
    assertThat(String.join(" ", launch.command())).doesNotContain(API_KEY).doesNotContain("127.0.0.1")
        .contains(SenderProcess.class.getName());
  }

  @Test
  void theSettingsTextReadsBackAsTheSettings() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("plain", "phc_abc123");
    settings.put("with space key", "  leading and trailing  ");
    settings.put("signs=:#!", "a=b:c#d!e");
    settings.put("path", "C:\\Users\\alice\\state dir\\x");
    settings.put("lines", "one\ntwo\rthree\tfour\ffive");
    settings.put("unicode", "\u00e9t\u00e9 \u65e5\u672c \ud83d\ude00");
    settings.put("empty", "");
    java.util.Properties read = new java.util.Properties();
    read.load(new ByteArrayInputStream(SenderProcessLaunch.propertiesText(settings).getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(read).isEqualTo(new java.util.Properties() {{ putAll(settings); }});
  }

  @Test
  void aBadSenderSettingIsNamedWithWhatIsAccepted() {
    assertThatThrownBy(() -> AnalyticsConfig.parse(Map.of(AnalyticsConfig.SENDER, "fork")::get))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("OTEL_ANALYTICS_SENDER").hasMessageContaining("fork")
        .hasMessageContaining("thread").hasMessageContaining("process");
  }

  // ---------------------------------------------------------------- helpers

  private record Run(int exitCode, String output) {}

  /** Runs {@link CliCommand} in a JVM of its own, listing the classes it loads in its output. */
  private Run runCommand(Path state, Map<String, String> environment) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-verbose:class");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dotel.service.name=sender-test-cli");
    command.add("-Dotel.traces.exporter=none");
    command.add("-Dotel.metrics.exporter=none");
    command.add("-Dotel.logs.exporter=none");
    command.add("-Dotel.analytics.enabled=true");
    command.add("-Dotel.analytics.sender=process");
    command.add("-Dotel.analytics.state.dir=" + state);
    command.add("-Dotel.analytics.destination=posthog");
    command.add("-Dotel.exporter.posthog.endpoint=" + server.url("/"));
    command.add("-Dotel.exporter.posthog.api.key=" + API_KEY);
    command.add(CliCommand.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("DO_NOT_TRACK") || k.contains("JAVA_OPTIONS")
        || k.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(environment);
    Path output = temp.resolve("run-" + UUID.randomUUID() + ".txt");
    builder.redirectErrorStream(true);
    builder.redirectOutput(output.toFile());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the run ended").isTrue();
    return new Run(process.exitValue(), Files.readString(output));
  }

  private ByteArrayInputStream settings(Path state) {
    String text = "sender.state.dir=" + state.toString().replace("\\", "\\\\") + "\n"
        + "sender.initial.backoff.millis=100\nsender.max.backoff.millis=200\n"
        + "otel.analytics.destination=posthog\n"
        + "otel.exporter.posthog.endpoint=" + server.url("/").toString().replace(":", "\\:") + "\n"
        + "otel.exporter.posthog.api.key=" + API_KEY + "\n";
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A batch left by a run that has ended. */
  private static void leaveABatch(Path state) throws IOException {
    Files.createDirectories(state);
    try (Outbox outbox = Outbox.open(StateDirectory.at(state).outboxDirectory(), 1 << 20, new DeliveryCounters())) {
      outbox.add(List.of(AnalyticsEvent.create("deploy", "install-1", System.currentTimeMillis() * 1_000_000L,
          UUID.randomUUID().toString(), Map.of("cli.command", "deploy"))));
    }
  }

  private static List<String> outboxFiles(Path state) throws IOException {
    Path outbox = StateDirectory.at(state).outboxDirectory();
    if (!Files.isDirectory(outbox)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(outbox)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("owner-")).collect(Collectors.toList());
    }
  }

  private static void awaitOutboxEmpty(Path state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!outboxFiles(state).isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
    }
    assertThat(outboxFiles(state)).as("the sender process removed what it delivered; its log: %s", log(state)).isEmpty();
    // And it has ended (its lock is free), having recorded what it had to.
    while (SenderProcessLock.isHeld(state.resolve(StateDirectory.SENDER_LOCK_FILE)) && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
    }
  }

  private static String text(RecordedRequest request) throws IOException {
    byte[] raw = request.getBody().toByteArray();
    if ("gzip".equals(request.getHeaders().get("Content-Encoding"))) {
      try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(raw))) {
        raw = in.readAllBytes();
      }
    }
    return new String(raw, StandardCharsets.UTF_8);
  }

  private static String log(Path state) throws IOException {
    Path log = state.resolve(StateDirectory.SENDER_LOG_FILE);
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
