package dev.otelanalytics.relay;

import static dev.otelanalytics.relay.RelayHarness.properties;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.testing.PhasedDispatcher;
import dev.otelanalytics.testing.PostHogRequests;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a separate process, as an operator runs it: {@code java -jar
 * relay/target/otel-analytics-relay.jar} with settings in its environment. Spans from the real
 * OTLP exporter reach a fake PostHog; SIGTERM stops it cleanly with exit code 0 and a line of
 * counts; a bad setting is one line and exit code 2.
 */
class RelayJarIT {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;

  @Test
  void theJarRelaysSpansAndStopsCleanlyOnSigterm() throws Exception {
    try (MockWebServer postHog = new MockWebServer()) {
      PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(200));
      postHog.setDispatcher(dispatcher);
      postHog.start();
      Path policy = dir.resolve("policy.yaml");
      Files.write(policy, RelayHarness.POLICY.getBytes(StandardCharsets.UTF_8));
      ProcessBuilder builder = relay();
      Map<String, String> env = builder.environment();
      env.put("OTEL_ANALYTICS_RELAY_ENDPOINT", "127.0.0.1:0");
      env.put("OTEL_ANALYTICS_STATE_DIR", dir.resolve("state").toString());
      env.put("OTEL_ANALYTICS_POLICY_FILE", policy.toString());
      env.put("OTEL_ANALYTICS_HASH_KEY", RelayHarness.HASH_KEY);
      env.put("OTEL_ANALYTICS_DESTINATION", "posthog");
      env.put("OTEL_EXPORTER_POSTHOG_ENDPOINT", postHog.url("/").toString());
      env.put("OTEL_EXPORTER_POSTHOG_API_KEY", RelayHarness.API_KEY);
      env.put("OTEL_ANALYTICS_FLUSH_INTERVAL", "100ms");
      env.put("OTEL_ANALYTICS_SHUTDOWN_TIMEOUT", "5s");
      env.put("OTEL_ANALYTICS_RELAY_TOKEN", "jar-test-token-0123456789abcdef");
      env.put("OTEL_SERVICE_NAME", "relay-it");
      Process process = builder.start();
      List<String> stderr = collect(process);
      try {
        int port = awaitPort(stderr);
        String endpoint = "http://127.0.0.1:" + port;
        SdkTracerProvider provider = SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "svc-from-jar-test")))
            .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces")
                .setCompression("gzip").addHeader("Authorization", "Bearer jar-test-token-0123456789abcdef").build()).build())
            .build();
        provider.get("it").spanBuilder("GET /health").setAttribute("http.route", "/health")
            .setAttribute("enduser.id", "alice@example.com").startSpan().end();
        assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Map<String, Object>> events = new ArrayList<>();
        while (events.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(50);
          events.clear();
          dispatcher.exchanges().forEach(e -> events.addAll(PostHogRequests.events(e.request())));
        }
        assertThat(events).singleElement().satisfies(e -> {
          assertThat(e.get("event")).isEqualTo("GET /health");
          assertThat(properties(e)).containsEntry("service.name", "svc-from-jar-test").containsEntry("http.route", "/health")
              .doesNotContainValue("alice@example.com");
        });
        HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint + "/v1/stats"))
            .header("Authorization", "Bearer jar-test-token-0123456789abcdef").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.body()).contains("\"events_delivered\" : 1");
      } finally {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stderr
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the relay stopped").isTrue();
      }
      awaitEnd(stderr);
      assertThat(process.exitValue()).as("exit code after SIGTERM; stderr: %s", stderr).isZero();
      assertThat(String.join("\n", stderr)).contains("otel-analytics-relay: stopped; requests accepted 1")
          .doesNotContain("jar-test-token").doesNotContain("alice@example.com");
    }
  }

  @Test
  void aBadSettingIsOneLineNamingItAndExitCode2() throws Exception {
    ProcessBuilder builder = relay();
    builder.environment().put("OTEL_ANALYTICS_RELAY_ENDPOINT", "every-interface");
    builder.environment().put("OTEL_ANALYTICS_STATE_DIR", dir.resolve("state").toString());
    Process process = builder.start();
    List<String> stderr = collect(process);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    awaitEnd(stderr);
    assertThat(stderr).containsExactly("otel-analytics-relay: OTEL_ANALYTICS_RELAY_ENDPOINT (-Dotel.analytics.relay.endpoint) is"
        + " 'every-interface': expected host:port, e.g. 127.0.0.1:4319 (the default), [::1]:4319, or 0.0.0.0:4319 to listen on"
        + " every interface (then set OTEL_ANALYTICS_RELAY_TOKEN too)");
  }

  @Test
  void everyOptOutKeepsTheRelayFromStartingAndNothingIsWritten() throws Exception {
    String[][] optOuts = {{"DO_NOT_TRACK", "1"}, {"OTEL_SDK_DISABLED", "true"}, {"OTEL_ANALYTICS_ENABLED", "false"},
        {"OTEL_ANALYTICS_LEVEL", "off"}};
    for (String[] optOut : optOuts) {
      Path state = dir.resolve("state-" + optOut[0]);
      ProcessBuilder builder = relay();
      builder.environment().put("OTEL_ANALYTICS_RELAY_ENDPOINT", "127.0.0.1:0");
      builder.environment().put("OTEL_ANALYTICS_STATE_DIR", state.toString());
      builder.environment().put(optOut[0], optOut[1]);
      Process process = builder.start();
      List<String> stderr = collect(process);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(optOut[0]).isTrue();
      awaitEnd(stderr);
      assertThat(process.exitValue()).as("%s: %s", optOut[0], stderr).isEqualTo(2);
      assertThat(String.join("\n", stderr)).as(optOut[0]).contains("analytics is off");
      assertThat(state.resolve("outbox")).as(optOut[0]).doesNotExist();
      assertThat(state.resolve("install-id")).as(optOut[0]).doesNotExist();
    }
  }

  @Test
  void helpPrintsTheSettings() throws Exception {
    ProcessBuilder builder = relay();
    builder.command().add("--help");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(out).contains("OTEL_ANALYTICS_RELAY_ENDPOINT").contains("OTEL_ANALYTICS_RELAY_TOKEN")
        .contains("OTEL_ANALYTICS_RELAY_MAX_BODY_SIZE");
  }

  private static ProcessBuilder relay() {
    String jar = System.getProperty("relay.jar");
    assertThat(jar).as("system property relay.jar (set by failsafe)").isNotNull();
    assertThat(Paths.get(jar)).exists();
    ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar);
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("DO_NOT_TRACK"));
    return builder;
  }

  private static final String END = "\u0000end of stream";

  /** Waits (bounded) until the reader has seen the end of the process's stderr, and drops the marker. */
  private static void awaitEnd(List<String> stderr) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!stderr.contains(END) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    stderr.remove(END);
  }

  private static List<String> collect(Process process) {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // the process ended
      }
      lines.add(END);
    });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static int awaitPort(List<String> stderr) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (String line : stderr) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the relay did not say where it listens; stderr: " + stderr);
  }
}
