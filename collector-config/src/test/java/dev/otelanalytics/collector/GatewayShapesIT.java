package dev.otelanalytics.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway removes by itself, before the relay applies the policy again, on the real
 * Collector running {@code gateway.yaml} with a {@code file} exporter in place of the relay:
 * listed keys whose value is bytes, a map or empty (the redaction processor checks bytes only as
 * base64, maps not at all, and would hash a bytes user id); instrumentation scopes; metric
 * descriptions and units; resource values a guard masked. And the hashed key arrives as the Java
 * hash with the gateway's mark.
 */
class GatewayShapesIT {
  private static final String BYTES_EMAIL = base64("bob@example.com");
  private static final String BYTES_HOME = base64("/home/alice/notes.txt");
  private static final String TRACES = """
      {"resourceSpans":[{"resource":{"attributes":[
        {"key":"service.name","value":{"stringValue":"alice@example.com"}},
        {"key":"service.version","value":{"bytesValue":"%1$s"}},
        {"key":"telemetry.sdk.language","value":{"kvlistValue":{"values":[{"key":"lang","value":{"stringValue":"python"}}]}}}]},
       "scopeSpans":[{"scope":{"name":"scope-of-frank","version":"9.9.9-frank","attributes":[
          {"key":"service.name","value":{"stringValue":"grace-scope"}}]},
        "spans":[
         {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /orders/{id}","kind":2,
          "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000","attributes":[
           {"key":"enduser.id","value":{"stringValue":"alice@example.com"}},
           {"key":"http.route","value":{"bytesValue":"%2$s"}},
           {"key":"app.order.channel","value":{"kvlistValue":{"values":[{"key":"c","value":{"stringValue":"heidi"}}]}}},
           {"key":"http.request.method","value":{"stringValue":"GET"}}],
          "events":[{"name":"exception","timeUnixNano":"1700000000500000000","attributes":[
           {"key":"exception.type","value":{"bytesValue":"%1$s"}}]}]},
         {"traceId":"5b8efff798038103d269b633813fc60d","spanId":"eee19b7ec3c1b175","name":"GET /bytes-user","kind":2,
          "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000","attributes":[
           {"key":"enduser.id","value":{"bytesValue":"%1$s"}},
           {"key":"http.request.method","value":{"stringValue":"POST"}}]},
         {"traceId":"5b8efff798038103d269b633813fc60e","spanId":"eee19b7ec3c1b176","name":"GET /map-user","kind":2,
          "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000","attributes":[
           {"key":"enduser.id","value":{"kvlistValue":{"values":[{"key":"u","value":{"stringValue":"ivan"}}]}}},
           {"key":"http.route","value":{}}]},
         {"traceId":"5b8efff798038103d269b633813fc60f","spanId":"eee19b7ec3c1b177","name":"GET /int-user","kind":2,
          "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000","attributes":[
           {"key":"enduser.id","value":{"intValue":"12345"}},
           {"key":"app.order.channel","value":{"arrayValue":{"values":[{"stringValue":"web"},{"stringValue":"app"}]}}}]}
        ]}]}]}
      """.formatted(BYTES_EMAIL, BYTES_HOME);
  private static final String METRICS = """
      {"resourceMetrics":[{"resource":{"attributes":[
        {"key":"service.name","value":{"stringValue":"judy@example.com"}},
        {"key":"service.version","value":{"stringValue":"1.2.3"}}]},
       "scopeMetrics":[{"scope":{"name":"meter-of-mallory","version":"7.7-mallory","attributes":[
          {"key":"service.name","value":{"stringValue":"oscar-scope"}}]},
        "metrics":[{"name":"app.orders.placed","description":"orders placed by peggy","unit":"{trent}",
         "sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[{"asInt":"3",
          "startTimeUnixNano":"1700000000000000000","timeUnixNano":"1700000001000000000","attributes":[
           {"key":"http.route","value":{"bytesValue":"%1$s"}},
           {"key":"app.order.channel","value":{"stringValue":"web"}},
           {"key":"http.request.method","value":{"kvlistValue":{"values":[{"key":"m","value":{"stringValue":"victor"}}]}}}]}]}}]}]}]}
      """.formatted(BYTES_HOME);
  /** Everything above that the gateway must not pass on. */
  private static final List<String> GONE = List.of("alice", "example.com", BYTES_EMAIL, BYTES_HOME, "python", "frank", "grace",
      "heidi", "ivan", "judy", "mallory", "oscar", "peggy", "trent", "victor", "9.9.9", "7.7", "****", "bytesValue",
      "kvlistValue");

  @TempDir static Path tmp;
  private static JsonNode traces;
  private static JsonNode metrics;
  private static String output;

  @BeforeAll
  static void sendThroughTheGateway() throws Exception {
    Path out = tmp.resolve("forwarded.json");
    Path fileExporter = tmp.resolve("file-exporter.yaml");
    Files.writeString(fileExporter, "exporters:\n  file:\n    path: " + out + "\nservice:\n  pipelines:\n"
        + "    traces:\n      exporters: [file]\n    metrics:\n      exporters: [file]\n");
    int port = FreePorts.next();
    try (ChildProcess gateway = Stack.gateway("gateway-shapes", port, FreePorts.next(), FreePorts.next(), List.of(fileExporter))) {
      HttpClient client = HttpClient.newHttpClient();
      for (Map.Entry<String, String> request : Map.of("/v1/traces", TRACES, "/v1/metrics", METRICS).entrySet()) {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.getKey()))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request.getValue())).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("%s: %s", request.getKey(), answer.body()).isEqualTo(200);
      }
      // The batch processor writes within 200 ms. (Stopping the Collector while a batch is pending
      // makes the file exporter of v0.161.0 panic on a closed file, so wait for both lines first.)
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (lines(out) < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(gateway.stop(Duration.ofSeconds(30))).as("the gateway's exit code:\n%s", gateway.logTail()).isZero();
    }
    output = Files.readString(out, StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper();
    for (String line : output.split("\n")) {
      JsonNode batch = json.readTree(line);
      if (batch.has("resourceSpans")) {
        traces = batch.path("resourceSpans");
      } else if (batch.has("resourceMetrics")) {
        metrics = batch.path("resourceMetrics");
      }
    }
    assertThat(traces).as("the forwarded traces:\n%s", output).isNotNull().hasSize(1);
    assertThat(metrics).as("the forwarded metrics:\n%s", output).isNotNull().hasSize(1);
  }

  @Test
  void nothingOfTheRemovedValuesIsForwarded() {
    for (String gone : GONE) {
      assertThat(output).as("what the gateway forwards").doesNotContain(gone);
    }
  }

  @Test
  void bytesMapsAndEmptyValuesAreRemovedAndTheHashedKeyIsTheJavaHashMarked() {
    KeyedHasher java = new KeyedHasher(Stack.HASH_KEY.getBytes(StandardCharsets.UTF_8));
    Map<String, Map<String, String>> spans = new LinkedHashMap<>();
    for (JsonNode span : traces.get(0).path("scopeSpans").get(0).path("spans")) {
      spans.put(span.path("name").asText(), attributes(span.path("attributes")));
    }
    assertThat(spans).containsOnlyKeys("GET /orders/{id}", "GET /bytes-user", "GET /map-user", "GET /int-user");
    assertThat(spans.get("GET /orders/{id}")).containsExactly(
        Map.entry("enduser.id", "stringValue " + KeyedHasher.GATEWAY_MARK + java.hash("alice@example.com")),
        Map.entry("http.request.method", "stringValue GET"));
    assertThat(spans.get("GET /bytes-user")).containsExactly(Map.entry("http.request.method", "stringValue POST"));
    assertThat(spans.get("GET /map-user")).isEmpty();
    assertThat(spans.get("GET /int-user")).containsOnlyKeys("enduser.id", "app.order.channel")
        .containsEntry("enduser.id", "stringValue " + KeyedHasher.GATEWAY_MARK + java.hash("12345"));
    JsonNode exception = traces.get(0).path("scopeSpans").get(0).path("spans").get(0).path("events").get(0);
    assertThat(exception.path("name").asText()).isEqualTo("exception");
    assertThat(attributes(exception.path("attributes"))).isEmpty();
    JsonNode point = metrics.get(0).path("scopeMetrics").get(0).path("metrics").get(0).path("sum").path("dataPoints").get(0);
    assertThat(attributes(point.path("attributes"))).containsExactly(Map.entry("app.order.channel", "stringValue web"));
  }

  @Test
  void maskedResourceValuesAreRemoved() {
    assertThat(attributes(traces.get(0).path("resource").path("attributes"))).isEmpty();
    assertThat(attributes(metrics.get(0).path("resource").path("attributes")))
        .containsExactly(Map.entry("service.version", "stringValue 1.2.3"));
  }

  @Test
  void scopesAreClearedAndMetricsKeepNoDescriptionOrUnit() {
    assertThat(traces.get(0).path("scopeSpans").get(0).path("scope").size()).as("the span scope's fields").isZero();
    assertThat(metrics.get(0).path("scopeMetrics").get(0).path("scope").size()).as("the metric scope's fields").isZero();
    JsonNode metric = metrics.get(0).path("scopeMetrics").get(0).path("metrics").get(0);
    assertThat(metric.path("name").asText()).isEqualTo("app.orders.placed");
    assertThat(metric.has("description")).as("description").isFalse();
    assertThat(metric.has("unit")).as("unit").isFalse();
  }

  private static long lines(Path file) throws java.io.IOException {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).count() : 0;
  }

  /** key → "valueType value" (arrays as their JSON), in order. */
  private static Map<String, String> attributes(JsonNode list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode attribute : list) {
      JsonNode value = attribute.path("value");
      List<String> types = new ArrayList<>();
      value.fieldNames().forEachRemaining(types::add);
      String type = types.isEmpty() ? "empty" : types.get(0);
      JsonNode v = value.path(type);
      out.put(attribute.path("key").asText(), type + " " + (v.isValueNode() ? v.asText() : v.toString()));
    }
    return out;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
