package dev.otelanalytics.relay;

import static dev.otelanalytics.relay.OtlpMessages.rootSpan;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.internal.event.SpanSelector;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.relay.internal.KeptKeys;
import dev.otelanalytics.relay.internal.OtlpHttpHandler;
import dev.otelanalytics.relay.internal.Outcome;
import dev.otelanalytics.relay.internal.RelayCounters;
import dev.otelanalytics.relay.internal.RelayThreads;
import dev.otelanalytics.relay.internal.TraceIngest;
import dev.otelanalytics.testing.RecordingDestination;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request whose selected spans do not all fit the queue is refused whole with 429 and
 * {@code Retry-After}, and the real OTLP exporter's own resend then delivers each span's event
 * exactly once. Made deterministic with a destination that hangs: the delivery worker stops
 * taking spans out of the queue until it is released.
 */
class QueueFullTest {
  @TempDir Path dir;

  @Test
  void aFullQueueAnswers429AndTheClientsResendDeliversEachEventExactlyOnce() throws Exception {
    RecordingDestination destination = RecordingDestination.stalled();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("queue-full").setStateDirectory(dir)
        .setDestination(destination).setLocalHistory(false).setForwarding(true).setQueueSize(4).setBatchSize(1)
        .setShutdownTimeout(Duration.ofSeconds(5)).build();
    RelayCounters counters = new RelayCounters();
    TraceIngest traces = new TraceIngest(analytics.spanProcessor(), SpanSelector.of(PrivacyPolicy.defaultPolicy().spanSelectors()),
        4, counters, KeptKeys.of(PrivacyPolicy.defaultPolicy()));
    OtlpHttpHandler handler = new OtlpHttpHandler(null, 1 << 20, 4, traces, null, counters, () -> new byte[0]);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    ExecutorService threads = RelayThreads.httpPool(4);
    server.setExecutor(threads);
    server.createContext("/", handler);
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    HttpClient http = HttpClient.newHttpClient();
    try {
      // The worker takes the first span and hangs in the destination.
      assertThat(post(http, url, rootSpan("first").build()).statusCode()).isEqualTo(200);
      assertThat(destination.awaitSendStarted(10)).isTrue();
      // Four roots and a child fill the queue of four (the child is not selected and takes no place).
      Span child = rootSpan("child").setParentSpanId(OtlpMessages.randomBytes(8)).setKind(Span.SpanKind.SPAN_KIND_CLIENT).build();
      assertThat(post(http, url, rootSpan("a").build(), rootSpan("b").build(), rootSpan("c").build(), rootSpan("d").build(), child)
          .statusCode()).isEqualTo(200);
      // Two more do not fit: 429, Retry-After, a Status saying why; neither is queued.
      HttpResponse<byte[]> full = post(http, url, rootSpan("late-1").build(), rootSpan("late-2").build());
      assertThat(full.statusCode()).isEqualTo(429);
      assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(RelayRefusalsTest.statusMessage(full.body())).contains("queue is full");
      assertThat(analytics.stats().accepted()).isEqualTo(5);
      assertThat(analytics.stats().droppedQueueFull()).isZero();

      // The real OTLP exporter meets the full queue too, and resends by itself once the queue drains.
      OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(url)
          .setRetryPolicy(RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofMillis(200))
              .setMaxBackoff(Duration.ofSeconds(1)).build()).build();
      SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build();
      provider.get("client").spanBuilder("via-exporter-1").startSpan().end();
      provider.get("client").spanBuilder("via-exporter-2").startSpan().end();
      CompletableResultCode flushed = provider.forceFlush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (counters.requests(Outcome.QUEUE_FULL) < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(counters.requests(Outcome.QUEUE_FULL)).as("the exporter was answered 429").isGreaterThanOrEqualTo(2);
      destination.release();
      assertThat(flushed.join(20, TimeUnit.SECONDS).isSuccess()).as("the exporter's resend was taken").isTrue();
      // And this client resends its refused request by hand.
      assertThat(post(http, url, rootSpan("late-1").build(), rootSpan("late-2").build()).statusCode()).isEqualTo(200);
      provider.shutdown().join(10, TimeUnit.SECONDS);
    } finally {
      server.stop(0);
      threads.shutdownNow();
    }
    assertThat(analytics.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    List<String> names = new ArrayList<>();
    destination.events().forEach(e -> names.add(e.name()));
    assertThat(names).containsExactlyInAnyOrder("first", "a", "b", "c", "d", "late-1", "late-2", "via-exporter-1", "via-exporter-2");
    assertThat(analytics.stats().accepted()).isEqualTo(9);
    assertThat(analytics.stats().droppedQueueFull()).isZero();
  }

  private static HttpResponse<byte[]> post(HttpClient http, String url, Span... spans) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpMessages.traces(spans).toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
