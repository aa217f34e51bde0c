package dev.otelanalytics.collector;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Java service of the end-to-end tests: the OpenTelemetry SDK with the OTLP/HTTP exporters, as
 * an app that knows nothing of otel-analytics has it, recording the same request shape and canaries
 * as {@code src/test/python/shop.py}.
 */
final class JavaShop {
  static final String CANARY_EMAIL = "alice.canary@example.com";
  static final String CANARY_HOME = "/home/alice-canary/orders.csv";
  static final String CANARY_IP = "203.0.113.77";
  static final String CANARY_TOKEN = "Bearer sk_live_CANARYa1b2c3d4e5f6g7h8i9j0";
  static final String CANARY_CARD = "4111111111111111";
  /** Every canary, as it must never appear in what reaches PostHog (shop.py uses the same). */
  static final String[] CANARIES = {CANARY_EMAIL, "alice.canary", "alice-canary", CANARY_HOME, CANARY_IP, "sk_live_CANARY",
      CANARY_CARD};

  private JavaShop() {}

  /**
   * Sends {@code requests} server spans (each its own trace) and as many counter increments to
   * {@code endpoint}, then shuts the SDK down (which flushes).
   *
   * @param route the route of each request: {@code route.apply(i)}
   */
  static void run(String endpoint, String serviceName, int requests, java.util.function.IntFunction<String> route) {
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
        .put("service.name", serviceName)
        .put("service.version", "1.8.0")
        .put("host.ip", CANARY_IP)
        .put("process.owner", CANARY_EMAIL)
        .build()));
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces").build())
            .setScheduleDelay(Duration.ofMillis(200)).build())
        .build();
    SdkMeterProvider meterProvider = SdkMeterProvider.builder().setResource(resource)
        .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
            .setEndpoint(endpoint + "/v1/metrics").build()).setInterval(Duration.ofMinutes(1)).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).setMeterProvider(meterProvider).build();
    Tracer tracer = sdk.getTracer("shop");
    LongCounter orders = sdk.getMeter("shop").counterBuilder("app.orders.placed").build();
    for (int i = 0; i < requests; i++) {
      String path = route.apply(i);
      Span span = tracer.spanBuilder("GET " + path).setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope ignored = span.makeCurrent()) {
        span.setAttribute("http.route", path);
        span.setAttribute("http.request.method", "GET");
        span.setAttribute(AttributeKey.longKey("http.response.status_code"), 200L);
        span.setAttribute("enduser.id", CANARY_EMAIL);
        span.setAttribute("url.full", "https://shop.example/orders/42?email=" + CANARY_EMAIL);
        span.setAttribute("client.address", CANARY_IP);
        span.setAttribute("app.export.path", CANARY_HOME);
        span.setAttribute("http.request.header.authorization", CANARY_TOKEN);
        span.setAttribute("payment.card", CANARY_CARD);
        Span child = tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT).startSpan();
        child.setAttribute("db.query.text", "SELECT * FROM orders WHERE email='" + CANARY_EMAIL + "'");
        child.end();
        span.recordException(new IllegalStateException("card " + CANARY_CARD + " declined for " + CANARY_EMAIL));
        span.setStatus(StatusCode.ERROR);
      } finally {
        span.end();
      }
      orders.add(1, Attributes.builder().put("app.order.channel", "web").put("customer.email", CANARY_EMAIL)
          .put("client.ip", CANARY_IP).build());
    }
    sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
    sdk.shutdown().join(20, TimeUnit.SECONDS);
  }
}
