package dev.otelanalytics.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.testing.AutoConfigured;
import dev.otelanalytics.testing.LogCapture;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Levels, opt-outs and the first-run notice through the real SDK autoconfigure. */
class ConsentIntegrationTest {
  @TempDir Path temp;

  private Map<String, String> settings(Path stateDir) {
    Map<String, String> p = new HashMap<>();
    p.put("otel.service.name", "cli-app");
    p.put("otel.analytics.enabled", "true");
    p.put("otel.analytics.state.dir", stateDir.toString());
    return p;
  }

  private static void oneCommand(Map<String, String> settings) {
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(settings)) {
      sdk.getTracer("test").spanBuilder("inspect").startSpan().end();
    }
  }

  @Test
  void levelOffWritesNothingAtAll() {
    Path stateDir = temp.resolve("state");
    Map<String, String> p = settings(stateDir);
    p.put("otel.analytics.level", "off");
    oneCommand(p);
    assertThat(stateDir).doesNotExist();
  }

  @Test
  void doNotTrackWritesNothingAtAll() {
    Path stateDir = temp.resolve("state");
    Map<String, String> p = settings(stateDir);
    p.put("do.not.track", "1");
    p.put("otel.analytics.notice", "true");
    oneCommand(p);
    assertThat(stateDir).doesNotExist();
  }

  @Test
  void aStoredLevelOffWritesNothingButTheChoiceItself() throws IOException {
    Path stateDir = temp.resolve("state");
    StateDirectory.at(stateDir).choices().storeLevel(AnalyticsLevel.OFF);
    oneCommand(settings(stateDir));
    try (Stream<Path> files = Files.walk(stateDir)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList()).containsExactly("level");
    }
  }

  @Test
  void aStoredLevelLocalKeepsEventsLocalEvenWhenPostHogIsConfigured() throws IOException {
    Path stateDir = temp.resolve("state");
    StateDirectory.at(stateDir).choices().storeLevel(AnalyticsLevel.LOCAL);
    Map<String, String> p = settings(stateDir);
    p.put("otel.analytics.destination", "posthog");
    p.put("otel.exporter.posthog.api.key", "phc_neverUsed");
    p.put("otel.exporter.posthog.endpoint", "http://127.0.0.1:9/");
    oneCommand(p);
    assertThat(stateDir.resolve("outbox")).doesNotExist();
    assertThat(AutoConfigureIntegrationTest.readEvents(stateDir)).extracting(e -> e.get("event")).containsExactly("inspect");
  }

  @Test
  void theFirstRunNoticeIsPrintedOnceAndItsRunSendsNothing() throws IOException {
    Path stateDir = temp.resolve("state");
    Map<String, String> p = settings(stateDir);
    p.put("otel.analytics.notice", "true");
    p.put("otel.analytics.destination", "posthog");
    p.put("otel.exporter.posthog.api.key", "phc_neverUsed");
    p.put("otel.exporter.posthog.endpoint", "http://127.0.0.1:9/");

    String first = stderrOf(() -> oneCommand(p));
    assertThat(first).contains("collects anonymous usage analytics", "Nothing is sent during this run", "DO_NOT_TRACK=1");
    assertThat(stateDir.resolve(StateDirectory.NOTICE_FILE)).exists();
    assertThat(stateDir.resolve("outbox")).as("nothing queued to leave the machine").doesNotExist();

    String second = stderrOf(() -> oneCommand(p));
    assertThat(second).doesNotContain("collects anonymous usage analytics");
    try (Stream<Path> files = Files.list(stateDir.resolve("outbox"))) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).count()).as("the second run sends").isEqualTo(1);
    }
  }

  @Test
  void aCustomNoticeTextIsPrintedAsGiven() {
    Map<String, String> p = settings(temp.resolve("state"));
    p.put("otel.analytics.notice", "mycli collects command names; see mycli telemetry status");
    assertThat(stderrOf(() -> oneCommand(p))).contains("mycli collects command names; see mycli telemetry status");
  }

  @Test
  void aNoticeThatCannotBeRecordedMeansNothingIsEverSentAndSaysSoOnce() throws IOException {
    Path notADirectory = Files.writeString(temp.resolve("file"), "x");
    Map<String, String> p = settings(notADirectory.resolve("state"));
    p.put("otel.analytics.notice", "true");
    p.put("otel.analytics.destination", "posthog");
    p.put("otel.exporter.posthog.api.key", "phc_neverUsed");
    p.put("otel.exporter.posthog.endpoint", "http://127.0.0.1:9/");
    for (int run = 0; run < 2; run++) {
      try (LogCapture logs = new LogCapture()) {
        String stderr = stderrOf(() -> oneCommand(p));
        assertThat(stderr).as("shown again, since it could not be recorded").contains("collects anonymous usage analytics");
        List<String> warnings = logs.messages(Level.WARNING);
        assertThat(warnings).filteredOn(w -> w.contains("first-run notice")).singleElement().asString()
            .contains("nothing will ever be sent", "OTEL_ANALYTICS_STATE_DIR");
      }
    }
    assertThat(notADirectory).isRegularFile().hasContent("x");
  }

  private static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
