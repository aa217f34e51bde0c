package dev.otelanalytics.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example end to end, with its shipped policy: commands become events, arguments never do. */
class CliAppTest {
  @TempDir Path temp;

  private String runAndReadStore(String... args) throws IOException {
    Path state = temp.resolve("state");
    Map<String, String> settings = Map.of(
        "otel.traces.exporter", "none",
        "otel.metrics.exporter", "none",
        "otel.logs.exporter", "none",
        "otel.analytics.enabled", "true",
        "otel.analytics.policy.file", Path.of("analytics-policy.yaml").toAbsolutePath().toString(),
        "otel.analytics.state.dir", state.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OpenTelemetrySdk sdk = CliApp.openTelemetry(settings)) {
      CliApp.run(args, sdk, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    }
    try (Stream<Path> files = Files.list(state.resolve("events"))) {
      List<Path> daily = files.toList();
      assertThat(daily).hasSize(1);
      return Files.readString(daily.get(0));
    }
  }

  @Test
  void inspectBecomesOneEventWithTheCommandButNotThePath() throws IOException {
    Path secret = Files.createDirectories(temp.resolve("home/alice/secret-project"));
    String stored = runAndReadStore("inspect", secret.toString(), "--owner", "alice@example.com");

    assertThat(stored.lines()).hasSize(1);
    assertThat(stored).contains("\"event\":\"inspect\"", "\"cli.command\":\"inspect\"", "\"inspect.target_count\":\"1\"",
        "\"success\":true", "\"service.name\":\"cli-app\"", "\"service.version\":\"0.1.0\"", "\"os.type\":");
    assertThat(stored).doesNotContain("alice", "secret-project", temp.toString(), "cli.args", "--owner");
  }

  @Test
  void aFailedCommandReportsTheExceptionClassOnly() throws IOException {
    String stored = runAndReadStore("inspect", "/home/alice/missing-dir");

    assertThat(stored).contains("\"success\":false", "\"error_type\":\"NoSuchFileException\"");
    assertThat(stored).doesNotContain("alice", "missing-dir");
  }

  @Test
  void anUnknownCommandIsNotEchoedIntoAnalytics() throws IOException {
    String stored = runAndReadStore("alice@example.com");

    assertThat(stored).contains("\"event\":\"unknown-command\"", "\"cli.command\":\"unknown\"");
    assertThat(stored).doesNotContain("alice");
  }

  @Test
  void inspectCountsEntriesIntoOneDailyUsageReportWithoutThePath() throws IOException {
    Path state = temp.resolve("metrics-state");
    Path secret = Files.createDirectories(temp.resolve("home/alice/secret-project"));
    for (String name : List.of("a", "b", "c")) {
      Files.writeString(secret.resolve(name), name);
    }
    Map<String, String> settings = Map.of(
        "otel.traces.exporter", "none",
        "otel.metrics.exporter", "analytics",
        "otel.logs.exporter", "none",
        "otel.analytics.enabled", "true",
        "otel.analytics.policy.file", Path.of("analytics-policy.yaml").toAbsolutePath().toString(),
        "otel.analytics.state.dir", state.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    try (OpenTelemetrySdk sdk = CliApp.openTelemetry(settings)) {
      CliApp.run(new String[] {"inspect", secret.toString()}, sdk, print, print);
    }
    Path window = state.resolve("usage-window.json");
    assertThat(Files.readString(window)).contains("\"metric\":\"cli.items.inspected\"", "\"cli.command\":\"inspect\"",
        "\"value\":3").doesNotContain("alice", "secret-project", "inspect.target=", "inspect.target\"");

    // A day later (the stored window is moved back instead of waiting), the next run sends the report.
    String aged = Files.readString(window).replaceFirst("\"window_start\":\"[^\"]+\"", "\"window_start\":\"2020-01-01T00:00:00Z\"");
    Files.writeString(window, aged);
    try (OpenTelemetrySdk sdk = CliApp.openTelemetry(settings)) {
      CliApp.run(new String[] {"inspect", secret.toString(), secret.resolve("a").toString()}, sdk, print, print);
    }
    String stored;
    try (Stream<Path> files = Files.list(state.resolve("events"))) {
      stored = String.join("", files.map(f -> {
        try {
          return Files.readString(f);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList());
    }
    assertThat(stored.lines().filter(l -> l.contains("\"event\":\"usage_report\""))).singleElement().asString()
        .contains("\"window_start\":\"2020-01-01T00:00:00Z\"", "\"metric.cli.items.inspected\":7",
            "\"metric.cli.items.inspected{cli.command=inspect}\":7", "\"service.name\":\"cli-app\"", "\"deployment_id\":");
    assertThat(stored).doesNotContain("alice", "secret-project", "inspect.target=", "inspect.target\"");
  }

  @Test
  void reportKeepsTheAllowlistedFormat() throws IOException {
    String stored = runAndReadStore("report", "--format", "json");

    assertThat(stored).contains("\"event\":\"report\"", "\"report.format\":\"json\"");
  }
}
