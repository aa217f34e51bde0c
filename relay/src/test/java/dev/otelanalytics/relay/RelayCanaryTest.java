package dev.otelanalytics.relay;

import static dev.otelanalytics.relay.OtlpMessages.T0;
import static dev.otelanalytics.relay.OtlpMessages.kv;
import static dev.otelanalytics.relay.OtlpMessages.kvArray;
import static dev.otelanalytics.relay.OtlpMessages.resource;
import static dev.otelanalytics.relay.OtlpMessages.rootSpan;
import static dev.otelanalytics.relay.RelayHarness.properties;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.testing.Canaries;
import dev.otelanalytics.testing.LogCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal values planted everywhere a value can travel into the relay (span attributes, allowed
 * and not, arrays, resource attributes, span names, span-event and exception attributes, scope
 * names, metric attributes and names) never come out the other side: not in any request PostHog
 * receives, not in the state directory (outbox, local history, usage window), not in
 * {@code /v1/stats}, not in a log line. And the events still arrive, with what the policy keeps.
 */
class RelayCanaryTest {
  static final String CARD = "4111111111111111";
  static final List<String> VALUES = new ArrayList<>(Canaries.ALL);

  static {
    VALUES.add(CARD);
  }

  @TempDir Path dir;

  @Test
  void noCanaryComesOutOfTheRelayWhereverItWentIn() throws Exception {
    try (LogCapture logs = new LogCapture(); RelayHarness h = RelayHarness.start(dir, Map.of())) {
      int spansSent = 0;
      for (String canary : VALUES) {
        // Protobuf from the proto classes: canaries in every field a span has.
        io.opentelemetry.proto.trace.v1.Span span = rootSpan("checkout")
            .addAttributes(kv("http.route", canary))              // allowed key, personal value: the guards drop it
            .addAttributes(kv("cli.command", "pay " + canary))
            .addAttributes(kvArray("feature.flags", "beta", canary))
            .addAttributes(kv("enduser.id", canary))              // hashed
            .addAttributes(kv("user.email", canary))              // not allowed
            .addAttributes(kv("url.full", "https://shop.example/pay?card=" + canary))
            .addAttributes(kv("exception.message", canary))
            .addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder().setName("cache.miss").setTimeUnixNano(T0 + 1)
                .addAttributes(kv("cache.tier", canary)).addAttributes(kv("db.statement", "select * where x='" + canary + "'")))
            .addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder().setName("exception").setTimeUnixNano(T0 + 2)
                .addAttributes(kv("exception.type", canary)).addAttributes(kv("exception.message", canary))
                .addAttributes(kv("exception.stacktrace", "at " + canary)))
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(canary))
            .build();
        io.opentelemetry.proto.trace.v1.Span named = rootSpan(canary).addAttributes(kv("http.route", "/ok")).build();
        io.opentelemetry.proto.trace.v1.Span namedAlso = rootSpan("GET " + canary).build();
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest request =
            io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder(OtlpMessages.traces(
                resource(kv("service.name", canary), kv("service.version", canary), kv("host.name", canary)),
                span, named, namedAlso)).build();
        request = request.toBuilder().setResourceSpans(0, request.getResourceSpans(0).toBuilder().setScopeSpans(0,
            request.getResourceSpans(0).getScopeSpans(0).toBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(canary).setVersion(canary)))).build();
        HttpResponse<byte[]> response = h.post("/v1/traces", request.toByteArray(), "application/x-protobuf");
        assertThat(response.statusCode()).isEqualTo(200);
        spansSent += 3;
        // Metric attributes and names: an allowed metric with personal attribute values, and a metric named by a canary.
        HttpResponse<byte[]> metrics = h.post("/v1/metrics", OtlpMessages.cumulativeSum(resource(kv("service.name", canary)),
            "requests.count", T0 + 1, T0 + 10, 3, kv("http.route", canary), kv("cli.command", canary), kv("user.email", canary))
            .toByteArray(), "application/x-protobuf");
        assertThat(metrics.statusCode()).isEqualTo(200);
        h.post("/v1/metrics", OtlpMessages.cumulativeSum(resource(), canary, T0 + 1, T0 + 10, 1).toByteArray(),
            "application/x-protobuf");
      }
      // OTLP/JSON, as a hand-written client would send it.
      for (String canary : VALUES) {
        String c = canary.replace("\\", "\\\\").replace("\"", "\\\"");
        String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\""
            + c + "\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"" + c + "\"},\"spans\":[{\"traceId\":"
            + "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"" + c + "\",\"kind\":2,"
            + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000100000000\",\"attributes\":["
            + "{\"key\":\"http.route\",\"value\":{\"stringValue\":\"" + c + "\"}},"
            + "{\"key\":\"feature.flags\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"" + c + "\"}]}}},"
            + "{\"key\":\"enduser.id\",\"value\":{\"stringValue\":\"" + c + "\"}}],"
            + "\"events\":[{\"timeUnixNano\":\"1700000000050000000\",\"name\":\"cache.miss\",\"attributes\":["
            + "{\"key\":\"cache.tier\",\"value\":{\"stringValue\":\"" + c + "\"}}]}]}]}]}]}";
        assertThat(h.post("/v1/traces", json.getBytes(StandardCharsets.UTF_8), "application/json").statusCode()).isEqualTo(200);
        spansSent += 2; // the span and its cache.miss event
      }
      // The real SDK and OTLP exporters, gzip: canaries in attributes, names, resource and metric attributes.
      Resource sdkResource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "svc-sdk",
          AttributeKey.stringKey("service.version"), Canaries.IPV6, AttributeKey.stringKey("host.name"), Canaries.UNIX_HOME));
      SdkTracerProvider tracerProvider = SdkTracerProvider.builder().setResource(sdkResource)
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(h.endpoint() + "/v1/traces")
              .setCompression("gzip").build()).build()).build();
      SdkMeterProvider meterProvider = SdkMeterProvider.builder().setResource(sdkResource)
          .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
              .setEndpoint(h.endpoint() + "/v1/metrics").setCompression("gzip").build()).setInterval(Duration.ofHours(1)).build())
          .build();
      for (String canary : VALUES) {
        Span span = tracerProvider.get("sdk").spanBuilder("sdk " + canary).setAttribute("http.route", canary)
            .setAttribute("cli.command", "export").setAttribute("enduser.id", canary).startSpan();
        span.recordException(new IllegalStateException(canary));
        span.setStatus(StatusCode.ERROR, canary).end();
        spansSent++;
        meterProvider.get("sdk").counterBuilder("requests.count").build()
            .add(2, Attributes.of(AttributeKey.stringKey("http.route"), canary, AttributeKey.stringKey("user.id"), canary));
      }
      assertThat(tracerProvider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(meterProvider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

      List<Map<String, Object>> events = h.awaitEvents(spansSent + VALUES.size(), Duration.ofSeconds(30));
      // Not vacuous: the events are there, with what the policy keeps.
      assertThat(events.stream().filter(e -> e.get("event").equals("checkout")).count()).isEqualTo(VALUES.size());
      assertThat(events).anySatisfy(e -> assertThat(properties(e)).containsEntry("error_type", "IllegalStateException"));
      assertThat(events).allSatisfy(e -> assertThat(properties(e)).doesNotContainKeys("user.email", "url.full",
          "exception.message", "db.statement", "host.name"));
      // And the canaries did reach the policy: the value guards or the attributes' types dropped them.
      assertThat(h.relay.analyticsStats().valuesRedacted().values().stream().mapToLong(Long::longValue).sum()
          + h.relay.analyticsStats().valuesNotOfType()).isGreaterThanOrEqualTo(3L * VALUES.size());
      Thread.sleep(1_200); // the usage report interval is 1 s: the report timer closes the window
      byte[] stats = h.get("/v1/stats").body();
      h.relay.shutdown().join(15, TimeUnit.SECONDS);
      List<Map<String, Object>> all = h.events();
      assertThat(all).as("a usage report with the allowed metric").anySatisfy(e -> {
        assertThat(e.get("event")).isEqualTo("usage_report");
        assertThat(properties(e)).containsKey("metric.requests.count");
      });

      String everything = String.join("\n", h.postHogBodies());
      Canaries.assertNoCanary(everything);
      assertThat(everything).doesNotContain(CARD);
      Canaries.assertNoCanaryUnder(h.stateDir);
      Canaries.assertNoCanary(new String(stats, StandardCharsets.UTF_8));
      String logText = String.join("\n", logs.messages(Level.ALL));
      Canaries.assertNoCanary(logText);
      assertThat(logText).doesNotContain(CARD);
    }
  }
}
