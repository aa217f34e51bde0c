package dev.otelanalytics.relay;

import static dev.otelanalytics.relay.OtlpMessages.kv;
import static dev.otelanalytics.relay.OtlpMessages.rootSpan;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import java.io.ByteArrayOutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request the relay must refuse gets the documented answer (status, {@code google.rpc.Status}
 * body naming the problem, headers), and refusing them costs nothing valid: the good requests sent
 * in between all arrive, each once.
 */
class RelayRefusalsTest {
  private static final String TOKEN = "relay-test-token-0123456789abcdef";
  private static final long LIMIT = 64 * 1024;

  @TempDir Path dir;

  @Test
  void badRequestsGetTheDocumentedAnswersAndNothingValidIsLost() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of("otel.analytics.relay.token", TOKEN,
        "otel.analytics.relay.max.body.size", Long.toString(LIMIT)))) {
      String auth = "Bearer " + TOKEN;
      List<String> sent = new ArrayList<>();
      int good = 0;

      // Not a protobuf message: 400 with a Status saying so.
      expect(h.post("/v1/traces", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, "application/x-protobuf",
          "Authorization", auth), 400, "not a valid protobuf ExportTraceServiceRequest");
      sent.add(goodRequest(h, auth, "after bad protobuf", good++));
      // Not JSON, and JSON of the wrong shape.
      expect(h.post("/v1/traces", "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), "application/json",
          "Authorization", auth), 400, "not valid JSON");
      expect(h.post("/v1/traces", "{\"resourceSpans\": {\"a\":1}}".getBytes(StandardCharsets.UTF_8), "application/json",
          "Authorization", auth), 400, "ExportTraceServiceRequest.resourceSpans must be an array");
      expect(h.post("/v1/traces", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz!\"}]}]}]}"
          .getBytes(StandardCharsets.UTF_8), "application/json", "Authorization", auth), 400, "Span.traceId must be hex");
      sent.add(goodRequest(h, auth, "after bad json", good++));
      // Another content type or encoding: 415.
      expect(h.post("/v1/traces", "hello".getBytes(StandardCharsets.UTF_8), "text/plain", "Authorization", auth), 415,
          "Content-Type must be application/x-protobuf or application/json");
      expect(h.post("/v1/traces", new byte[0], "application/x-protobuf", "Authorization", auth, "Content-Encoding", "br"), 415,
          "Content-Encoding must be gzip or none");
      // Not gzip although it says so: 400.
      expect(h.post("/v1/traces", "plain".getBytes(StandardCharsets.UTF_8), "application/x-protobuf", "Authorization", auth,
          "Content-Encoding", "gzip"), 400, "not valid gzip");
      // Over the limit as sent (declared length), as streamed without a length, and after decompression (a gzip bomb).
      expect(h.post("/v1/traces", new byte[(int) LIMIT + 1], "application/x-protobuf", "Authorization", auth), 413,
          "OTEL_ANALYTICS_RELAY_MAX_BODY_SIZE");
      assertThat(chunked(h, new byte[(int) LIMIT * 3], auth)).isEqualTo(413);
      byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros, about 64 KiB compressed
      assertThat(bomb.length).isLessThan((int) LIMIT);
      expect(h.post("/v1/traces", bomb, "application/x-protobuf", "Authorization", auth, "Content-Encoding", "gzip"), 413,
          "after decompression");
      sent.add(goodRequest(h, auth, "after too large", good++));
      // No token, a wrong token, the token without "Bearer": 401, with WWW-Authenticate.
      HttpResponse<byte[]> noToken = h.post("/v1/traces", OtlpMessages.traces(rootSpan("sneaky").build()).toByteArray(),
          "application/x-protobuf");
      expect(noToken, 401, "OTEL_ANALYTICS_RELAY_TOKEN");
      assertThat(noToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      expect(h.post("/v1/traces", OtlpMessages.traces(rootSpan("sneaky").build()).toByteArray(), "application/x-protobuf",
          "Authorization", "Bearer " + TOKEN.substring(1) + "x"), 401, "Authorization: Bearer");
      expect(h.post("/v1/traces", OtlpMessages.traces(rootSpan("sneaky").build()).toByteArray(), "application/x-protobuf",
          "Authorization", TOKEN), 401, "Authorization: Bearer");
      expect(h.get("/v1/stats"), 401, "OTEL_ANALYTICS_RELAY_TOKEN");
      sent.add(goodRequest(h, auth, "after unauthenticated", good++));
      // Other paths and methods.
      expect(h.post("/v1/logs", new byte[0], "application/x-protobuf", "Authorization", auth), 404, "/v1/traces");
      expect(h.post("/", new byte[0], "application/x-protobuf", "Authorization", auth), 404, "/v1/traces");
      HttpResponse<byte[]> get = h.get("/v1/traces", "Authorization", auth);
      expect(get, 405, "POST");
      assertThat(get.headers().firstValue("Allow")).hasValue("POST");
      sent.add(goodRequest(h, auth, "after wrong path", good++));
      // JSON errors answer in JSON.
      HttpResponse<byte[]> jsonError = h.post("/v1/metrics", "[]".getBytes(StandardCharsets.UTF_8), "application/json",
          "Authorization", auth);
      assertThat(jsonError.statusCode()).isEqualTo(400);
      assertThat(new String(jsonError.body(), StandardCharsets.UTF_8)).startsWith("{\"code\":3,\"message\":\"the body is not a JSON object");

      // Every good request's events arrived, once each, and nothing from a refused one.
      List<Map<String, Object>> events = h.awaitEvents(sent.size(), Duration.ofSeconds(20));
      Thread.sleep(300);
      assertThat(h.events()).extracting(e -> e.get("event")).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(events).noneMatch(e -> e.get("event").equals("sneaky"));

      String stats = new String(h.get("/v1/stats", "Authorization", auth).body(), StandardCharsets.UTF_8);
      assertThat(stats).contains("\"accepted\" : " + sent.size()).contains("\"bad_request\" : 6")
          .contains("\"unauthenticated\" : 4").contains("\"too_large\" : 3").contains("\"unsupported_media_type\" : 2")
          .contains("\"not_found\" : 2").contains("\"method_not_allowed\" : 1");
    }
  }

  private static String goodRequest(RelayHarness h, String auth, String name, int i) throws Exception {
    HttpResponse<byte[]> response = h.post("/v1/traces", OtlpMessages.traces(rootSpan(name).addAttributes(kv("cli.command", "c" + i))
        .build()).toByteArray(), "application/x-protobuf", "Authorization", auth);
    assertThat(response.statusCode()).isEqualTo(200);
    return name;
  }

  /** Asserts the status and that the body is a {@code google.rpc.Status} whose message contains {@code text}. */
  private static void expect(HttpResponse<byte[]> response, int status, String text) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    String message;
    if (response.headers().firstValue("Content-Type").orElse("").equals("application/json")) {
      message = new String(response.body(), StandardCharsets.UTF_8);
    } else {
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
      message = statusMessage(response.body());
    }
    assertThat(message).contains(text);
  }

  /** Field 2 of a {@code google.rpc.Status}, read with protobuf's own reader. */
  static String statusMessage(byte[] body) throws Exception {
    CodedInputStream in = CodedInputStream.newInstance(body);
    String message = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == (2 << 3 | 2)) {
        message = in.readString();
      } else {
        in.skipField(tag);
      }
    }
    return message;
  }

  /** A POST without Content-Length (chunked): the limit must hold while streaming. */
  private static int chunked(RelayHarness h, byte[] body, String auth) throws Exception {
    HttpURLConnection c = (HttpURLConnection) new URL(h.endpoint() + "/v1/traces").openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setChunkedStreamingMode(8192);
    c.setRequestProperty("Content-Type", "application/x-protobuf");
    c.setRequestProperty("Authorization", auth);
    try {
      c.getOutputStream().write(body);
      c.getOutputStream().close();
    } catch (java.io.IOException e) {
      // The relay may answer and close before the whole body was sent.
    }
    return c.getResponseCode();
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
