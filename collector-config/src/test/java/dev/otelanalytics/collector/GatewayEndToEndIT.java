package dev.otelanalytics.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.testing.RecordingDestination;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, end to end with real parts: a Java service (OpenTelemetry SDK, OTLP/HTTP exporter) and a
 * Python service (OpenTelemetry Python SDK from PyPI) send spans and metrics full of canaries to the
 * real Collector built from {@code distribution/}, running {@code gateway.yaml}; the relay delivers
 * to a fake PostHog. Every expected event arrives once, no canary is in any request body, and the
 * hashed {@code enduser.id} is the Java SDK path's value.
 */
class GatewayEndToEndIT {
  private static final int REQUESTS = 5;
  private static final Duration ARRIVAL = Duration.ofSeconds(90);

  @TempDir Path tmp;

  @Test
  void javaAndPythonServicesReachPostHogThroughTheGatewayAndTheRelayWithNothingPersonal() throws Exception {
    Path python = Toolchain.python();
    Toolchain.collector();
    try (RecordingPostHog posthog = new RecordingPostHog()) {
      int relayPort = FreePorts.next();
      int gatewayPort = FreePorts.next();
      String gateway = "http://127.0.0.1:" + gatewayPort;
      try (ChildProcess relay = Stack.relay("relay", relayPort, posthog, tmp.resolve("relay-state"));
          ChildProcess collector = Stack.gateway("gateway", gatewayPort, relayPort)) {
        JavaShop.run(gateway, "java-shop", REQUESTS, i -> "/orders/{id}");
        try (ChildProcess shop = ChildProcess.start("python-shop", Arrays.asList(python.toString(),
            Toolchain.CONFIG_DIR.resolve("src/test/python/shop.py").toString(), String.valueOf(REQUESTS)),
            Collections.singletonMap("OTEL_EXPORTER_OTLP_ENDPOINT", gateway), Toolchain.WORK_DIR)) {
          assertThat(shop.awaitExit(Duration.ofMinutes(2))).as("the Python service's exit code:\n%s", shop.logTail()).isZero();
        }

        boolean arrived = posthog.await(e -> "java-shop".equals(service(e)), REQUESTS, ARRIVAL)
            && posthog.await(e -> "py-shop".equals(service(e)), REQUESTS, ARRIVAL);
        assertThat(arrived).as("events from both services within %s; got %s\ngateway log:\n%s\nrelay log:\n%s", ARRIVAL,
            posthog.events(), collector.logTail(), relay.logTail()).isTrue();
        // The relay closes its usage window once the 1 s interval has passed (it checks every 250 ms).
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (reported(posthog, "metric.app.orders.placed") < 2L * REQUESTS && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(collector.stop(Duration.ofSeconds(30))).as("the gateway's exit code").isZero();
        assertThat(relay.stop(Duration.ofSeconds(30))).as("the relay's exit code:\n%s", relay.logTail()).isZero();
        System.out.println("[e2e] gateway: " + posthog.events().size() + " events in " + posthog.bodies().size()
            + " requests; relay log:\n" + relay.logTail());
      }

      for (String service : Arrays.asList("java-shop", "py-shop")) {
        List<Map<String, Object>> events = posthog.events(e -> service.equals(service(e)) && !isUsageReport(e));
        assertThat(events).as("%s: one event per request, each once", service).hasSize(REQUESTS);
        for (Map<String, Object> event : events) {
          Map<String, Object> properties = RecordingPostHog.properties(event);
          assertThat(event.get("event")).isEqualTo("GET /orders/{id}");
          assertThat(properties).containsEntry("http.route", "/orders/{id}").containsEntry("http.request.method", "GET");
          assertThat(properties.get("enduser.id")).as("%s: the hashed enduser.id", service).isEqualTo(javaPathHash());
        }
      }
      long orders = reported(posthog, "metric.app.orders.placed");
      long ordersOnTheWeb = reported(posthog, "metric.app.orders.placed{app.order.channel=web}");
      assertThat(orders).as("orders counted in the usage reports, both services, each point once: %s",
          posthog.events(GatewayEndToEndIT::isUsageReport)).isEqualTo(2L * REQUESTS);
      assertThat(ordersOnTheWeb).as("the allowed attribute's series").isEqualTo(2L * REQUESTS);
      for (String body : posthog.bodies()) {
        for (String canary : JavaShop.CANARIES) {
          assertThat(body).as("a request body sent to PostHog").doesNotContain(canary);
        }
      }
    }
  }

  /**
   * What the Collector enforces by itself, before the relay scrubs again: with a recording server in
   * place of the relay, nothing of the canaries is in what the gateway forwards (protobuf, gunzipped),
   * and enduser.id arrives already hashed, as the Java path hashes it, with the mark the relay looks for.
   */
  @Test
  void theGatewayAloneForwardsNoCanaryAndHashesTheUserIdAsTheJavaPathDoes() throws Exception {
    Path python = Toolchain.python();
    List<byte[]> forwarded = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (mockwebserver3.MockWebServer relay = new mockwebserver3.MockWebServer()) {
      relay.setDispatcher(new mockwebserver3.Dispatcher() {
        @Override
        public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
          byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
          if ("gzip".equals(request.getHeaders().get("Content-Encoding"))) {
            try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
              body = in.readAllBytes();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
          forwarded.add(body);
          return new mockwebserver3.MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-protobuf").build();
        }
      });
      relay.start();
      int gatewayPort = FreePorts.next();
      String gateway = "http://127.0.0.1:" + gatewayPort;
      try (ChildProcess collector = Stack.gateway("gateway-alone", gatewayPort, relay.getPort())) {
        JavaShop.run(gateway, "java-shop", 2, i -> "/orders/{id}");
        try (ChildProcess shop = ChildProcess.start("python-shop-alone", Arrays.asList(python.toString(),
            Toolchain.CONFIG_DIR.resolve("src/test/python/shop.py").toString(), "2"),
            Collections.singletonMap("OTEL_EXPORTER_OTLP_ENDPOINT", gateway), Toolchain.WORK_DIR)) {
          assertThat(shop.awaitExit(Duration.ofMinutes(2))).as("the Python service's exit code:\n%s", shop.logTail()).isZero();
        }
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (countOf(forwarded, "java-shop") + countOf(forwarded, "py-shop") < 2 && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(collector.stop(Duration.ofSeconds(30))).as("the gateway's exit code").isZero();
      }
    }
    assertThat(countOf(forwarded, "java-shop")).as("requests naming the Java service").isPositive();
    assertThat(countOf(forwarded, "py-shop")).as("requests naming the Python service").isPositive();
    assertThat(countOf(forwarded, KeyedHasher.GATEWAY_MARK + javaPathHash())).as("requests with the Java path's hash, marked")
        .isPositive();
    for (byte[] body : forwarded) {
      String text = new String(body, StandardCharsets.ISO_8859_1);
      for (String canary : JavaShop.CANARIES) {
        assertThat(text).as("what the gateway forwards to the relay").doesNotContain(canary);
      }
      assertThat(text).as("the child span is not forwarded").doesNotContain("SELECT orders");
    }
  }

  private static long countOf(List<byte[]> bodies, String text) {
    return bodies.stream().filter(b -> new String(b, StandardCharsets.ISO_8859_1).contains(text)).count();
  }

  /** What the Java SDK path (the library in the app, same policy, same key) makes of the canary e-mail as enduser.id. */
  private Object javaPathHash() throws Exception {
    RecordingDestination destination = RecordingDestination.recording();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("java-path").setStateDirectory(tmp.resolve("java-path"))
        .setPolicy(PolicyLoader.load(Toolchain.POLICY)).setHashKey(Stack.HASH_KEY.getBytes(StandardCharsets.UTF_8))
        .setDestination(destination).setLocalHistory(false).build();
    SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    tracing.get("shop").spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER)
        .setAttribute("enduser.id", JavaShop.CANARY_EMAIL).startSpan().end();
    tracing.shutdown().join(10, TimeUnit.SECONDS);
    List<AnalyticsEvent> events = destination.events();
    assertThat(events).as("the Java SDK path's event").hasSize(1);
    Object hash = events.get(0).properties().get("enduser.id");
    assertThat(hash).as("the Java SDK path hashes enduser.id").isNotNull().isNotEqualTo(JavaShop.CANARY_EMAIL);
    return hash;
  }

  /** The sum of {@code property} over every usage report received. */
  private static long reported(RecordingPostHog posthog, String property) {
    long sum = 0;
    for (Map<String, Object> report : posthog.events(GatewayEndToEndIT::isUsageReport)) {
      sum += ((Number) RecordingPostHog.properties(report).getOrDefault(property, 0)).longValue();
    }
    return sum;
  }

  static Object service(Map<String, Object> event) {
    return RecordingPostHog.properties(event).get("service.name");
  }

  static boolean isUsageReport(Map<String, Object> event) {
    return "usage_report".equals(event.get("event"));
  }
}
