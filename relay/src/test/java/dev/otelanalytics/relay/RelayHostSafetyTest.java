package dev.otelanalytics.relay;

import static dev.otelanalytics.relay.OtlpMessages.kv;
import static dev.otelanalytics.relay.OtlpMessages.resource;
import static dev.otelanalytics.relay.OtlpMessages.rootSpan;
import static dev.otelanalytics.relay.OtlpMessages.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.relay.internal.KeptKeys;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a review found could hurt the relay's host: numbers that take minutes to parse, a resource
 * key the SDK refuses failing a whole request, and a queued span holding megabytes it never uses.
 */
class RelayHostSafetyTest {
  @TempDir Path dir;

  @Test
  void aJsonIntegerOfMillionsOfDigitsOrAHugeExponentIsRefusedAtOnce() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      String digits = "1".repeat(2_000_000);
      String longString = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
          + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"GET /x\",\"startTimeUnixNano\":\"" + digits + "\",\"endTimeUnixNano\":\"2\"}]}]}]}";
      String hugeExponent = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
          + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"GET /x\",\"startTimeUnixNano\":1e80000000,\"endTimeUnixNano\":2}]}]}]}";
      // Before: 116 s and 124 s of one thread's CPU.
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
        assertThat(h.post("/v1/traces", longString.getBytes(StandardCharsets.UTF_8), "application/json").statusCode())
            .isEqualTo(400);
        assertThat(h.post("/v1/traces", hugeExponent.getBytes(StandardCharsets.UTF_8), "application/json").statusCode())
            .isEqualTo(400);
      });
    }
  }

  @Test
  void aResourceKeyTheSdkRefusesIsLeftOutInsteadOfFailingTheRequest() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      byte[] body = traces(resource(kv("service.name", "svc-fr"), kv("équipe", "paiements"), kv("k".repeat(300), "v")),
          rootSpan("GET /orders/{id}").addAttributes(kv("http.route", "/orders/{id}")).build()).toByteArray();
      // Before: 500, which OTLP clients do not resend: every span of the batch was lost.
      assertThat(h.post("/v1/traces", body, "application/x-protobuf").statusCode()).isEqualTo(200);
      assertThat(RelayHarness.properties(h.awaitEvents(1, Duration.ofSeconds(10)).get(0)))
          .containsEntry("service.name", "svc-fr").containsEntry("http.route", "/orders/{id}");
    }
  }

  @Test
  void aQueuedSpanKeepsOnlyWhatThePolicyCouldUse() throws Exception {
    KeptKeys kept = KeptKeys.of(PolicyLoader.load(
        new ByteArrayInputStream(RelayHarness.POLICY.getBytes(StandardCharsets.UTF_8)), "test policy"));
    Span.Builder span = rootSpan("GET /orders/{id}")
        .addAttributes(kv("http.route", "/orders/{id}"))
        .addAttributes(kv("cli.command", "x".repeat(KeptKeys.MAX_STRING_CHARS + 1)))
        .addAttributes(kv("exception.stacktrace", "at com.example.Shop.order(Shop.java:42)\n".repeat(100_000)));
    for (int i = 0; i < 1_000; i++) {
      span.addAttributes(kv("unlisted." + i, "value " + i));
    }
    span.addEvents(Span.Event.newBuilder().setName("exception")
        .addAttributes(kv("exception.type", "java.lang.IllegalStateException"))
        .addAttributes(kv("exception.message", "m".repeat(1_000_000))));
    span.addEvents(Span.Event.newBuilder().setName("log").addAttributes(kv("message", "n".repeat(1_000_000))));
    Span proto = span.build();

    Span slim = kept.slim(proto);
    // Before: the whole 6 MB span waited in the queue.
    assertThat(proto.getSerializedSize()).isGreaterThan(6_000_000);
    assertThat(slim.getSerializedSize()).isLessThan(1_000);
    assertThat(slim.getAttributesList()).extracting(a -> a.getKey()).containsExactly("http.route");
    assertThat(slim.getEventsList()).extracting(Span.Event::getName).containsExactly("exception");
    assertThat(slim.getEvents(0).getAttributesList()).extracting(a -> a.getKey()).containsExactly("exception.type");
    assertThat(slim.getTraceId()).isEqualTo(proto.getTraceId());
    assertThat(slim.getEndTimeUnixNano()).isEqualTo(proto.getEndTimeUnixNano());
  }
}
