package dev.otelanalytics.relay;

import static dev.otelanalytics.relay.RelayHarness.properties;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.testing.RecordingDestination;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans into the relay by every encoding a client may use (the real OTLP exporter with protobuf
 * and gzip, hand-written OTLP/JSON as the specification spells it) come out as the same events the
 * Java library makes, selected by the same rule, hashed with the same key.
 */
class RelaySpansTest {
  @TempDir Path dir;

  @Test
  void theRealOtlpExporterWithAndWithoutGzipDeliversOneEventPerSelectedSpan() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      for (String compression : List.of("none", "gzip")) {
        SdkTracerProvider provider = provider(h, "svc-java", compression);
        Tracer tracer = provider.get("test");
        Span root = tracer.spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER)
            .setAttribute("http.route", "/orders/{id}").setAttribute("http.response.status_code", 503L)
            .setAttribute(AttributeKey.stringArrayKey("feature.flags"), List.of("beta", "dark"))
            .setAttribute("enduser.id", "alice@example.com").startSpan();
        // A child in the same process: not a local root, no event.
        tracer.spanBuilder("SELECT orders").setParent(Context.root().with(root)).startSpan().end();
        root.setStatus(StatusCode.ERROR).end();
        // A server span whose parent is in another process (the SDK marks it remote): a local root.
        SpanContext remoteParent = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
            TraceFlags.getSampled(), TraceState.getDefault());
        tracer.spanBuilder("POST /pay").setSpanKind(SpanKind.SERVER).setParent(Context.root().with(Span.wrap(remoteParent)))
            .setAttribute("http.route", "/pay").startSpan().end();
        assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).as("the exporter got 200s").isTrue();
      }
      List<Map<String, Object>> events = h.awaitEvents(4, Duration.ofSeconds(20));
      assertThat(events).extracting(e -> e.get("event"))
          .containsExactlyInAnyOrder("GET /orders/{id}", "POST /pay", "GET /orders/{id}", "POST /pay");
      Map<String, Object> orders = properties(events.stream().filter(e -> e.get("event").equals("GET /orders/{id}")).findFirst()
          .orElseThrow());
      assertThat(orders).containsEntry("service.name", "svc-java").containsEntry("http.route", "/orders/{id}")
          .containsEntry("success", false).containsEntry("error_type", "5xx").containsEntry("feature.flags", List.of("beta", "dark"))
          .containsEntry("$process_person_profile", false).doesNotContainKey("os.type");
      assertThat(h.relay.analyticsStats().accepted()).isEqualTo(4);
    }
  }

  @Test
  void theSameHashKeyGivesTheSameHashedPropertyAsTheJavaSdkPathAndAGatewayMarkedHashIsKept() throws Exception {
    String sdkPathHash = javaSdkPathHash("alice@example.com");
    String preHashed = javaSdkPathHash("bob@example.com");
    // A raw PHP session id or Datadog API key has the hash's form: without the gateway's mark it is hashed.
    String rawHex = "9f86d081884c7d659a2feaa0c55ad015";
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      SdkTracerProvider provider = provider(h, "svc-python-like", "gzip");
      Tracer tracer = provider.get("test");
      tracer.spanBuilder("raw").setAttribute("enduser.id", "alice@example.com").startSpan().end();
      // What a gateway Collector with the same key sends on.
      tracer.spanBuilder("pre-hashed").setAttribute("enduser.id", KeyedHasher.GATEWAY_MARK + preHashed).startSpan().end();
      tracer.spanBuilder("raw-hex").setAttribute("enduser.id", rawHex).startSpan().end();
      provider.shutdown().join(10, TimeUnit.SECONDS);
      Map<Object, Object> byName = h.awaitEvents(3, Duration.ofSeconds(20)).stream()
          .collect(Collectors.toMap(e -> e.get("event"), e -> properties(e).get("enduser.id")));
      assertThat(byName).containsEntry("raw", sdkPathHash).containsEntry("pre-hashed", preHashed)
          .containsEntry("raw-hex", javaSdkPathHash(rawHex));
      assertThat(String.join("\n", h.postHogBodies())).doesNotContain("alice@example.com").doesNotContain("bob@example.com")
          .doesNotContain(rawHex).doesNotContain(KeyedHasher.GATEWAY_MARK);
    }
  }

  @Test
  void otlpJsonAsTheSpecificationWritesItIsDecodedWithHexIdsIntegerEnumsAndStringInt64s() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
          + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc-node\"}},"
          + "{\"key\":\"service.version\",\"value\":{\"stringValue\":\"2.4.1\"}}]},"
          + "\"futureField\":{\"nested\":[1,2,3]},"
          + "\"scopeSpans\":[{\"scope\":{\"name\":\"my.lib\",\"version\":\"1.0\"},\"spans\":["
          // A root server span: 16-byte trace id and 8-byte span id in upper- and lower-case hex.
          + "{\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"checkout\","
          + "\"kind\":2,\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":1700000000250000000,"
          + "\"attributes\":[{\"key\":\"cli.command\",\"value\":{\"stringValue\":\"checkout\"}},"
          + "{\"key\":\"http.response.status_code\",\"value\":{\"intValue\":\"200\"}},"
          + "{\"key\":\"enduser.id\",\"value\":{\"stringValue\":\"alice@example.com\"}}],"
          + "\"events\":[{\"timeUnixNano\":\"1700000000100000000\",\"name\":\"cache.miss\",\"attributes\":["
          + "{\"key\":\"cache.tier\",\"value\":{\"stringValue\":\"l2\"}}]}],"
          + "\"status\":{\"code\":1}},"
          // A client span with a local parent (flags say: parent not remote): not selected.
          + "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"1111111111111111\","
          + "\"parentSpanId\":\"eee19b7ec3c1b174\",\"flags\":256,\"name\":\"GET stripe\",\"kind\":3,"
          + "\"startTimeUnixNano\":\"1700000000010000000\",\"endTimeUnixNano\":\"1700000000020000000\"},"
          // A consumer span with a parent and no flags: counts as a local root (kind CONSUMER).
          + "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"2222222222222222\","
          + "\"parentSpanId\":\"eee19b7ec3c1b174\",\"name\":\"process order\",\"kind\":5,"
          + "\"startTimeUnixNano\":\"1700000000030000000\",\"endTimeUnixNano\":\"1700000000040000000\"},"
          // An internal span whose flags say its parent is remote: a local root.
          + "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"3333333333333333\","
          + "\"parentSpanId\":\"eee19b7ec3c1b174\",\"flags\":768,\"name\":\"batch job\",\"kind\":1,"
          + "\"startTimeUnixNano\":\"1700000000050000000\",\"endTimeUnixNano\":\"1700000000060000000\"}"
          + "]}]}]}";
      HttpResponse<byte[]> response = h.post("/v1/traces", json.getBytes(StandardCharsets.UTF_8), "application/json");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");

      List<Map<String, Object>> events = h.awaitEvents(4, Duration.ofSeconds(20));
      assertThat(events).extracting(e -> e.get("event"))
          .containsExactlyInAnyOrder("checkout", "cache.miss", "process order", "batch job");
      Map<String, Object> checkout = properties(events.stream().filter(e -> e.get("event").equals("checkout")).findFirst()
          .orElseThrow());
      assertThat(checkout).containsEntry("service.name", "svc-node").containsEntry("service.version", "2.4.1")
          .containsEntry("cli.command", "checkout").containsEntry("http.response.status_code", 200L)
          .containsEntry("duration_ms", 250L).containsEntry("success", true)
          .containsEntry("enduser.id", javaSdkPathHash("alice@example.com"));
      assertThat(events.stream().filter(e -> e.get("event").equals("checkout")).findFirst().orElseThrow().get("timestamp"))
          .isEqualTo("2023-11-14T22:13:20.250Z");
      Map<String, Object> miss = properties(events.stream().filter(e -> e.get("event").equals("cache.miss")).findFirst()
          .orElseThrow());
      assertThat(miss).containsEntry("cache.tier", "l2").containsEntry("cli.command", "checkout");
    }
  }

  @Test
  void spansThatCannotBeSpansAreRefusedInPartialSuccessAndTheRestAreTaken() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
          + "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"good\","
          + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000100000000\"},"
          + "{\"traceId\":\"00000000000000000000000000000000\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"zero trace id\","
          + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000100000000\"},"
          + "{\"traceId\":\"5b8efff7\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"short trace id\","
          + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000100000000\"},"
          + "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"aaaaaaaaaaaaaaaa\",\"name\":\"no end\"}"
          + "]}]}]}";
      HttpResponse<byte[]> asJson = h.post("/v1/traces", json.getBytes(StandardCharsets.UTF_8), "application/json");
      assertThat(asJson.statusCode()).isEqualTo(200);
      String body = new String(asJson.body(), StandardCharsets.UTF_8);
      assertThat(body).contains("\"partialSuccess\"").contains("\"rejectedSpans\":\"3\"").contains("\"errorMessage\":\"3 of 4 spans");

      // The same request as protobuf answers in protobuf.
      io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.Builder request =
          io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder();
      dev.otelanalytics.relay.internal.OtlpJson.merge(json.getBytes(StandardCharsets.UTF_8), request);
      HttpResponse<byte[]> asProtobuf = h.post("/v1/traces", request.build().toByteArray(), "application/x-protobuf");
      assertThat(asProtobuf.statusCode()).isEqualTo(200);
      assertThat(asProtobuf.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
      ExportTraceServiceResponse parsed = ExportTraceServiceResponse.parseFrom(asProtobuf.body());
      assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(3);
      assertThat(parsed.getPartialSuccess().getErrorMessage()).contains("16-byte trace id");

      assertThat(h.awaitEvents(2, Duration.ofSeconds(20))).extracting(e -> e.get("event")).containsExactly("good", "good");
    }
  }

  /** What the Java library makes of {@code user} with the same policy and key, in-process, no relay. */
  private String javaSdkPathHash(String user) throws Exception {
    Path policy = dir.resolve("sdk-policy.yaml");
    Files.write(policy, RelayHarness.POLICY.getBytes(StandardCharsets.UTF_8));
    RecordingDestination destination = RecordingDestination.recording();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("sdk-path").setStateDirectory(dir.resolve("sdk-state"))
        .setPolicy(PolicyLoader.load(policy)).setHashKey(RelayHarness.HASH_KEY.getBytes(StandardCharsets.UTF_8))
        .setDestination(destination).setLocalHistory(false).build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    provider.get("sdk").spanBuilder("op").setAttribute("enduser.id", user).startSpan().end();
    provider.shutdown().join(10, TimeUnit.SECONDS);
    return (String) destination.events().get(0).properties().get("enduser.id");
  }

  private static SdkTracerProvider provider(RelayHarness h, String service, String compression) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(h.endpoint() + "/v1/traces")
        .setCompression(compression).build();
    return SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  }
}
