package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A CLI's first run with a refused PostHog key says so before the process ends, once, in a JVM of
 * its own: both when the app closes the SDK and when it leaves that to the SDK's shutdown hook (the
 * autoconfigure's default), where java.util.logging has already removed its handlers.
 */
class StopWarningAtExitTest {
  private static final String API_KEY = "phc_stopAtExitTestKey42";
  private static final String WARNING = "stopped sending to posthog";

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

  /** A CLI command: one root span, then {@code close} closes the SDK, {@code hook} just returns from main. */
  public static final class ShortCliRun {
    public static void main(String[] args) {
      OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder().build().getOpenTelemetrySdk();
      sdk.getTracer("short-cli-run").spanBuilder("command").startSpan().end();
      if (args[0].equals("close")) {
        sdk.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"close", "hook"})
  void theFirstRunWithARefusedKeySaysSoOnceBeforeItEnds(String ending, @org.junit.jupiter.api.io.TempDir Path temp)
      throws Exception {
    server.enqueue(new MockResponse.Builder().code(401).body("{}").build());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dotel.service.name=short-cli");
    command.add("-Dotel.traces.exporter=none");
    command.add("-Dotel.metrics.exporter=none");
    command.add("-Dotel.logs.exporter=none");
    command.add("-Dotel.analytics.enabled=true");
    command.add("-Dotel.analytics.state.dir=" + temp.resolve("state"));
    command.add("-Dotel.analytics.destination=posthog");
    command.add("-Dotel.exporter.posthog.endpoint=" + server.url("/"));
    command.add("-Dotel.exporter.posthog.api.key=" + API_KEY);
    // Room for the answer on a loaded machine; what is tested is that the answer is shown, not how fast.
    command.add("-Dotel.analytics.shutdown.timeout=20s");
    command.add(ShortCliRun.class.getName());
    command.add(ending);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("DO_NOT_TRACK"));
    Path stderr = temp.resolve("stderr.txt");
    builder.redirectError(stderr.toFile());
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);

    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the run ended").isTrue();

    String err = Files.readString(stderr);
    assertThat(process.exitValue()).as(err).isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(err.split(WARNING, -1)).as("one warning in:%n%s", err).hasSize(2);
    assertThat(err).contains("OTEL_EXPORTER_POSTHOG_API_KEY").doesNotContain(API_KEY);
  }
}
