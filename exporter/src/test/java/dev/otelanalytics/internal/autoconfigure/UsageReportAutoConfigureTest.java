package dev.otelanalytics.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.UsageReportExporter;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.testing.AutoConfigured;
import dev.otelanalytics.testing.Canaries;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.LogCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code OTEL_METRICS_EXPORTER=analytics} through the real SDK autoconfigure. A report is due
 * only after the report interval; instead of waiting, the tests move the stored window's start
 * back in time, which is also what a restart after a day looks like.
 */
class UsageReportAutoConfigureTest {
  static final String COUNTER = "cli.items.inspected";
  static final AttributeKey<String> COMMAND = AttributeKey.stringKey("cli.command");

  @TempDir Path stateDir;

  private Map<String, String> enabled() {
    Map<String, String> p = new HashMap<>();
    p.put("otel.service.name", "cli-app");
    p.put("otel.resource.attributes", "service.version=2.0.1");
    p.put("otel.analytics.enabled", "true");
    p.put("otel.analytics.state.dir", stateDir.toString());
    p.put("otel.analytics.allowed.attributes", "cli.command");
    p.put("otel.analytics.allowed.metrics", COUNTER);
    p.put("otel.metrics.exporter", "analytics");
    return p;
  }

  /** The stored window opened two days ago. */
  private void ageTheWindow() throws IOException {
    Path file = stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE);
    String json = Files.readString(file);
    String old = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    String aged = json.replaceFirst("\"window_start\":\"[^\"]+\"", "\"window_start\":\"" + old + "\"");
    assertThat(aged).isNotEqualTo(json);
    Files.writeString(file, aged);
  }

  private List<Map<String, Object>> events() throws IOException {
    Path dir = stateDir.resolve(StateDirectory.EVENTS_DIRECTORY);
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          out.add(Json.object(line));
        }
      }
    }
    return out;
  }

  private List<Map<String, Object>> reports() throws IOException {
    return events().stream().filter(e -> "usage_report".equals(e.get("event"))).collect(Collectors.toList());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(Map<String, Object> event) {
    return (Map<String, Object>) event.get("properties");
  }

  private static void count(OpenTelemetrySdk sdk, long n, String command) {
    LongCounter counter = sdk.getMeter("test").counterBuilder(COUNTER).build();
    counter.add(n, Attributes.of(COMMAND, command, AttributeKey.stringKey("owner"), Canaries.EMAIL));
  }

  @Test
  void aReportCoversRunsOfSeveralProcessesAndGoesToTheFileDestinationOnShutdown() throws Exception {
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(enabled())) {
      assertThat(sdk.getSdkMeterProvider().toString()).contains("UsageReportExporter");
      count(sdk, 3, "inspect");
      sdk.getTracer("test").spanBuilder("inspect").startSpan().end();
    }
    assertThat(reports()).isEmpty();
    assertThat(events()).extracting(e -> e.get("event")).containsExactly("inspect");
    ageTheWindow();

    // The next run: the span processor shuts down before the meter provider's final export,
    // and the report must still reach the destination.
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(enabled())) {
      count(sdk, 4, "inspect");
      count(sdk, 5, Canaries.UNIX_HOME);
      sdk.getTracer("test").spanBuilder("report").startSpan().end();
    }
    List<Map<String, Object>> reports = reports();
    assertThat(reports).hasSize(1);
    assertThat(properties(reports.get(0))).containsEntry("metric.cli.items.inspected", 12L)
        .containsEntry("metric.cli.items.inspected{cli.command=inspect}", 7L)
        .containsEntry("service.name", "cli-app").containsEntry("service.version", "2.0.1")
        .containsKeys("window_start", "window_end", "deployment_id");
    assertThat(events()).extracting(e -> e.get("event")).containsExactlyInAnyOrder("inspect", "report", "usage_report");
    Canaries.assertNoCanaryUnder(stateDir);
  }

  @Test
  void aFlushSendsADueReportWithoutShutdown() throws Exception {
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(enabled())) {
      count(sdk, 2, "inspect");
      assertThat(sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(reports()).isEmpty();
      ageTheWindow();
      count(sdk, 1, "inspect");
      assertThat(sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(reports()).hasSize(1);
      assertThat(properties(reports().get(0))).containsEntry("metric.cli.items.inspected", 3L);
    }
  }

  @Test
  void thePolicyFileAndNoiseSettingsApply() throws Exception {
    Path policy = stateDir.resolve("policy.yaml");
    Files.writeString(policy, "version: 1\nmetrics:\n  allow:\n    - {key: cli.items.inspected, why: \"sizing\"}\n"
        + "  report_interval: 12h\n");
    Map<String, String> p = enabled();
    p.remove("otel.analytics.allowed.metrics");
    p.put("otel.analytics.policy.file", policy.toString());
    p.put("otel.analytics.metrics.noise.epsilon", "2");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkMeterProvider().toString()).contains("interval=PT12H").contains("epsilon=2.0, sensitivity=1.0");
      count(sdk, 40, "inspect");
    }
    ageTheWindow();
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      count(sdk, 2, "inspect");
    }
    Map<String, Object> report = properties(reports().get(0));
    assertThat(report).containsEntry("noise_epsilon", 2.0).containsEntry("noise_sensitivity", 1.0);
    assertThat((Long) report.get("metric.cli.items.inspected")).isBetween(0L, 100L);
  }

  @Test
  void disabledAnalyticsLeavesAnExporterThatExportsNothingAndWritesNothing() throws Exception {
    Map<String, String> p = enabled();
    p.put("otel.analytics.enabled", "false");
    try (LogCapture logs = new LogCapture(); OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkMeterProvider().toString()).contains("AnalyticsMetricExporter{off").doesNotContain("UsageReportExporter");
      assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("AnalyticsSpanProcessor");
      count(sdk, 3, "inspect");
      assertThat(sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logs.messages(Level.INFO)).isEmpty();
    }
    try (Stream<Path> files = Files.list(stateDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void optedOutOrAnotherServiceLeavesTheNoOpExporter() throws Exception {
    for (Map.Entry<String, String> setting : Map.of("do.not.track", "1", "otel.analytics.services", "billing-api",
        "otel.analytics.level", "off").entrySet()) {
      Map<String, String> p = enabled();
      p.put(setting.getKey(), setting.getValue());
      try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
        assertThat(sdk.getSdkMeterProvider().toString()).as(setting.toString()).contains("AnalyticsMetricExporter{off");
        count(sdk, 3, "inspect");
      }
      try (Stream<Path> files = Files.list(stateDir)) {
        assertThat(files).as(setting.toString()).isEmpty();
      }
    }
  }

  @Test
  void aBadSettingLogsOneLineAndTheSdkStillStarts() throws Exception {
    Map<String, String> p = enabled();
    p.put("otel.analytics.metrics.noise.epsilon", "-3");
    try (LogCapture logs = new LogCapture(); OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkMeterProvider().toString()).contains("AnalyticsMetricExporter{off");
      count(sdk, 3, "inspect");
      sdk.getTracer("test").spanBuilder("inspect").startSpan().end();
      assertThat(logs.messages(Level.INFO)).containsExactly("otel-analytics is off: OTEL_ANALYTICS_METRICS_NOISE_EPSILON"
          + " (-Dotel.analytics.metrics.noise.epsilon) is '-3': expected a number above 0 and at most 100, e.g. 0.1, 0.5 or 1");
    }
    try (Stream<Path> files = Files.list(stateDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void withoutAnalyticsInTheMetricsExporterListNothingIsAddedToTheMeterProvider() {
    Map<String, String> p = enabled();
    p.put("otel.metrics.exporter", "none");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkMeterProvider().toString()).doesNotContain("UsageReportExporter").doesNotContain("AnalyticsMetricExporter");
      assertThat(sdk.getSdkTracerProvider().toString()).contains("AnalyticsSpanProcessor");
    }
  }
}
