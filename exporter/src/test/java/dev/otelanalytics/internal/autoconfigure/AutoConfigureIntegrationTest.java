package dev.otelanalytics.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.testing.AutoConfigured;
import dev.otelanalytics.testing.Canaries;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.LogCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole path through the real SDK autoconfigure: settings → SPI → processor → file. */
class AutoConfigureIntegrationTest {
  private static final String HASH_KEY = "test-shared-key-0123456789abcdef";

  @TempDir Path stateDir;

  private Map<String, String> enabled() {
    Map<String, String> p = new HashMap<>();
    p.put("otel.service.name", "cli-app");
    p.put("otel.analytics.enabled", "true");
    p.put("otel.analytics.state.dir", stateDir.toString());
    return p;
  }

  @Test
  void disabledByDefaultAddsNoProcessorAndWritesNothing() throws IOException {
    Map<String, String> p = enabled();
    p.remove("otel.analytics.enabled");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("AnalyticsSpanProcessor");
      endRootSpan(sdk, "inspect");
    }
    assertThat(listFiles(stateDir)).isEmpty();
  }

  @Test
  void explicitlyDisabledAddsNoProcessor() {
    Map<String, String> p = enabled();
    p.put("otel.analytics.enabled", "false");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("AnalyticsSpanProcessor");
    }
  }

  @Test
  void anotherServiceNameAddsNoProcessor() throws IOException {
    Map<String, String> p = enabled();
    p.put("otel.analytics.services", "billing-api, web-frontend");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("AnalyticsSpanProcessor");
      endRootSpan(sdk, "inspect");
    }
    assertThat(listFiles(stateDir)).isEmpty();
  }

  @Test
  void listedServiceNameAddsTheProcessor() {
    Map<String, String> p = enabled();
    p.put("otel.analytics.services", "billing-api,cli-app");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkTracerProvider().toString()).contains("AnalyticsSpanProcessor");
    }
  }

  @Test
  void doNotTrackTurnsItOffEvenWhenEnabled() throws IOException {
    Map<String, String> p = enabled();
    p.put("do.not.track", "1");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("AnalyticsSpanProcessor");
      endRootSpan(sdk, "inspect");
    }
    assertThat(listFiles(stateDir)).isEmpty();
  }

  @Test
  void appOptOutVariableTurnsItOff() {
    Map<String, String> p = enabled();
    p.put("otel.analytics.opt.out.env", "MYCLI_DISABLE_ANALYTICS");
    p.put("mycli.disable.analytics", "true");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("AnalyticsSpanProcessor");
    }
  }

  @Test
  void levelOffAddsNoProcessor() {
    Map<String, String> p = enabled();
    p.put("otel.analytics.level", "off");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("AnalyticsSpanProcessor");
    }
  }

  @Test
  void enabledWritesOneEventPerLocalRootSpanToTheDailyFile() throws IOException {
    Map<String, String> p = enabled();
    p.put("otel.service.version", "1.4.2");
    p.put("otel.resource.attributes", "service.version=1.4.2");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      Tracer tracer = sdk.getTracer("test");
      Span root = tracer.spanBuilder("inspect").startSpan();
      try (Scope ignored = root.makeCurrent()) {
        tracer.spanBuilder("child-work").startSpan().end();
      }
      root.end();
    }
    List<Map<String, Object>> events = readEvents();
    assertThat(events).hasSize(1);
    Map<String, Object> event = events.get(0);
    assertThat(event.get("event")).isEqualTo("inspect");
    assertThat((String) event.get("uuid")).matches("[0-9a-f-]{36}");
    assertThat((String) event.get("distinct_id")).matches("[0-9a-f-]{36}");
    assertThat((String) event.get("timestamp")).endsWith("Z");
    @SuppressWarnings("unchecked")
    Map<String, Object> props = (Map<String, Object>) event.get("properties");
    assertThat(props).containsEntry("success", true).containsEntry("service.name", "cli-app")
        .containsEntry("service.version", "1.4.2").containsKey("duration_ms");
    assertThat(props).doesNotContainKeys("telemetry.sdk.language", "telemetry.sdk.name", "error_type");
  }

  @Test
  void spanNameGlobsSelectNonRootSpans() throws IOException {
    Map<String, String> p = enabled();
    p.put("otel.analytics.events", "db.*,cache.get");
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      Tracer tracer = sdk.getTracer("test");
      Span root = tracer.spanBuilder("GET /items").startSpan();
      try (Scope ignored = root.makeCurrent()) {
        tracer.spanBuilder("db.query").startSpan().end();
        tracer.spanBuilder("cache.get").startSpan().end();
        tracer.spanBuilder("render").startSpan().end();
      }
      root.end();
    }
    assertThat(readEvents()).extracting(e -> e.get("event")).containsExactlyInAnyOrder("db.query", "cache.get");
  }

  @Test
  void canariesInEveryAttributePathNeverReachAnyOutputByte() throws IOException {
    Path policy = stateDir.resolve("policy.yaml");
    Files.writeString(policy, """
        version: 1
        events:
          spans: local-root
          span_events: [cache.miss]
        attributes:
          allow:
            - {key: cli.command, why: "which command was run"}
            - {key: cli.target, why: "deliberately allowed to prove the value guards still apply"}
          hash:
            - {key: enduser.id, why: "count distinct users"}
        resource:
          allow:
            - service.name
            - service.version
            - {key: host.name, why: "deliberately allowed to prove the value guards still apply"}
            - {key: app.owner, why: "deliberately allowed to prove the value guards still apply"}
        """);
    Map<String, String> p = enabled();
    p.put("otel.analytics.policy.file", policy.toString());
    p.put("otel.analytics.debug", "true");
    p.put("otel.analytics.state.dir", stateDir.resolve("state").toString());
    Resource personalResource = Resource.create(Attributes.builder()
        .put("host.name", Canaries.IPV4)
        .put("app.owner", Canaries.EMAIL)
        .put("service.version", Canaries.UNIX_HOME)
        .put("process.command_line", "java -jar app.jar " + Canaries.WINDOWS_HOME)
        .build());

    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try (LogCapture logs = new LogCapture()) {
      try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p, personalResource)) {
        Tracer tracer = sdk.getTracer("test");
        int i = 0;
        for (String canary : Canaries.ALL) {
          Span span = tracer.spanBuilder("inspect " + canary + " --user " + Canaries.EMAIL).startSpan();
          span.setAttribute("cli.command", i++ % 2 == 0 ? canary : "inspect " + canary);
          span.setAttribute("cli.target", canary);
          span.setAttribute("cli.args", "--path " + canary);
          span.setAttribute("enduser.id", canary);
          span.setAttribute("exception.message", canary);
          span.setAttribute("url.full", "https://example.org/x?q=" + canary);
          span.setAttribute(AttributeKey.stringArrayKey("cli.target"), List.of("ok", canary));
          span.addEvent("cache.miss", Attributes.of(AttributeKey.stringKey("cli.target"), canary));
          span.recordException(new IllegalStateException("failed for " + canary));
          span.setStatus(StatusCode.ERROR, "status text " + canary);
          span.end();
        }
        Span named = tracer.spanBuilder("ignored").setAttribute("analytics.event", "run " + Canaries.JWT).startSpan();
        named.end();
      }
      for (String message : logs.messages(Level.ALL)) {
        Canaries.assertNoCanary(message);
      }
    } finally {
      System.setErr(original);
    }

    String debugOutput = stderr.toString(StandardCharsets.UTF_8);
    assertThat(debugOutput).contains("[otel-analytics] debug:");
    Canaries.assertNoCanary(debugOutput);
    Canaries.assertNoCanaryUnder(stateDir.resolve("state"));

    List<Map<String, Object>> events = readEvents(stateDir.resolve("state"));
    assertThat(events).hasSize(Canaries.ALL.size() * 2 + 1);
    assertThat(events).extracting(e -> e.get("event")).contains("inspect", "cache.miss", "run");
    for (Map<String, Object> event : events) {
      @SuppressWarnings("unchecked")
      Map<String, Object> props = (Map<String, Object>) event.get("properties");
      assertThat(props).doesNotContainKeys("cli.args", "exception.message", "url.full", "process.command_line",
          "host.name", "app.owner", "service.version");
      if (event.get("event").equals("inspect")) {
        assertThat(props).containsEntry("error_type", "IllegalStateException").containsEntry("success", false);
        assertThat((String) props.get("enduser.id")).matches("[0-9a-f]{32}");
      }
    }
  }

  @Test
  void hashedAttributeIsHmacSha256UnderTheConfiguredKeyNotPlainSha256() throws Exception {
    Map<String, String> p = enabled();
    p.put("otel.analytics.hashed.attributes", "enduser.id");
    p.put("otel.analytics.hash.key", HASH_KEY);
    try (OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      sdk.getTracer("test").spanBuilder("login").setAttribute("enduser.id", "user-4711").startSpan().end();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> props = (Map<String, Object>) readEvents().get(0).get("properties");
    String hashed = (String) props.get("enduser.id");

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HASH_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal("user-4711".getBytes(StandardCharsets.UTF_8)), 0, 16);
    String plainSha256 = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest("user-4711".getBytes(StandardCharsets.UTF_8)));

    assertThat(hashed).isEqualTo(expected);
    assertThat(plainSha256).doesNotContain(hashed);
    Canaries.assertNoCanaryUnder(stateDir);
    assertThat(String.join("\n", Files.readAllLines(eventFile(stateDir)))).doesNotContain("user-4711");
  }

  @Test
  void malformedPolicyFileLeavesTheHostRunningAndLogsOneClearLine() throws IOException {
    Path policy = stateDir.resolve("bad-policy.yaml");
    Files.writeString(policy, "version: 1\nattributes:\n  allow:\n    - cli.command\n");
    Map<String, String> p = enabled();
    p.put("otel.analytics.policy.file", policy.toString());
    try (LogCapture logs = new LogCapture(); OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("AnalyticsSpanProcessor");
      endRootSpan(sdk, "inspect");
      List<String> warnings = logs.messages(Level.WARNING);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0))
          .contains("OTEL_ANALYTICS_POLICY_FILE", "line 4", "attributes.allow[0]", "why")
          .doesNotContain("\n");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "otel.analytics.queue.size, lots, OTEL_ANALYTICS_QUEUE_SIZE",
    "otel.analytics.enabled, yes, OTEL_ANALYTICS_ENABLED",
    "otel.analytics.level, full, OTEL_ANALYTICS_LEVEL",
    "otel.analytics.destination, kafka, OTEL_ANALYTICS_DESTINATION",
    "otel.analytics.flush.interval, 5 parsecs, OTEL_ANALYTICS_FLUSH_INTERVAL",
    "otel.analytics.allowed.attributes, exception.message, OTEL_ANALYTICS_ALLOWED_ATTRIBUTES",
    "otel.analytics.policy.file, /nonexistent/policy.yaml, OTEL_ANALYTICS_POLICY_FILE",
  })
  void badSettingLeavesTheHostRunningAndNamesTheSetting(String property, String value, String envName) {
    Map<String, String> p = enabled();
    p.put(property, value);
    try (LogCapture logs = new LogCapture(); OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("AnalyticsSpanProcessor");
      endRootSpan(sdk, "inspect");
      List<String> warnings = logs.messages(Level.WARNING);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).startsWith("otel-analytics is off: " + envName).doesNotContain("\n");
    }
  }

  @Test
  void tooShortHashKeyIsRejectedWithoutEchoingIt() {
    Map<String, String> p = enabled();
    p.put("otel.analytics.hash.key", "hunter2");
    try (LogCapture logs = new LogCapture(); OpenTelemetrySdk sdk = AutoConfigured.sdk(p)) {
      assertThat(logs.messages(Level.WARNING)).singleElement().asString()
          .contains("OTEL_ANALYTICS_HASH_KEY", "at least 16").doesNotContain("hunter2");
    }
  }

  private static void endRootSpan(OpenTelemetrySdk sdk, String name) {
    sdk.getTracer("test").spanBuilder(name).startSpan().end();
  }

  private List<Map<String, Object>> readEvents() throws IOException {
    return readEvents(stateDir);
  }

  static Path eventFile(Path state) throws IOException {
    try (Stream<Path> files = Files.list(state.resolve("events"))) {
      return files.filter(f -> f.getFileName().toString().matches("events-\\d{4}-\\d{2}-\\d{2}\\.jsonl")).findFirst().orElseThrow();
    }
  }

  static List<Map<String, Object>> readEvents(Path state) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : Files.readAllLines(eventFile(state), StandardCharsets.UTF_8)) {
      out.add(Json.object(line));
    }
    return out;
  }

  private static List<Path> listFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
