package dev.otelanalytics.relay;

import static dev.otelanalytics.relay.OtlpMessages.cumulativeSum;
import static dev.otelanalytics.relay.OtlpMessages.kv;
import static dev.otelanalytics.relay.OtlpMessages.resource;
import static dev.otelanalytics.relay.RelayHarness.properties;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.relay.internal.CumulativeToDelta;
import dev.otelanalytics.relay.internal.RelayCounters;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics into the relay become usage reports with the right counts: several services sending the
 * same cumulative counter keep their own running totals, a restarted stream counts from zero, a
 * stream that began before the relay only sets its starting value, deltas pass as they are, and
 * only what {@code metrics.allow} lists is reported.
 */
class RelayMetricsTest {
  @TempDir Path dir;

  @Test
  void twoServicesCumulativeCountersAddUpOnceEachThroughTheRealOtlpExporter() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      SdkMeterProvider a = meterProvider(h, "svc-a");
      SdkMeterProvider b = meterProvider(h, "svc-b");
      Attributes route = Attributes.of(AttributeKey.stringKey("http.route"), "/a");
      LongCounter counterA = a.get("m").counterBuilder("requests.count").build();
      LongCounter counterB = b.get("m").counterBuilder("requests.count").build();
      counterA.add(3, route);
      counterB.add(5, route);
      a.get("m").counterBuilder("secret.count").build().add(99);
      a.get("m").histogramBuilder("request.duration").build().record(0.25);
      a.forceFlush().join(10, TimeUnit.SECONDS);
      b.forceFlush().join(10, TimeUnit.SECONDS);
      counterA.add(4, route);
      a.get("m").histogramBuilder("request.duration").build().record(0.75);
      a.forceFlush().join(10, TimeUnit.SECONDS);
      b.forceFlush().join(10, TimeUnit.SECONDS); // B's total unchanged: adds nothing
      a.shutdown().join(10, TimeUnit.SECONDS);
      b.shutdown().join(10, TimeUnit.SECONDS);
      Map<String, Object> totals = reportTotals(h);
      assertThat(totals).containsEntry("metric.requests.count", 12L).containsEntry("metric.requests.count{http.route=/a}", 12L)
          .containsEntry("metric.request.duration.count", 2L).containsEntry("service.name", "relay-under-test")
          .doesNotContainKey("metric.secret.count");
      assertThat((Double) totals.get("metric.request.duration.sum")).isEqualTo(1.0);
    }
  }

  @Test
  void aRestartCountsFromZeroAStreamOlderThanTheRelayIsABaselineAndDeltasPassAsTheyAre() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
      long oneHourAgo = now - TimeUnit.HOURS.toNanos(1);
      io.opentelemetry.proto.resource.v1.Resource svc = resource(kv("service.name", "svc-go"));
      // Began after the relay: 10 counts whole, then +5; restarted (new start time): 2 from zero. 17 in all.
      send(h, cumulativeSum(svc, "requests.count", now + 1, now + 10, 10, kv("cli.command", "restarted")));
      send(h, cumulativeSum(svc, "requests.count", now + 1, now + 20, 15, kv("cli.command", "restarted")));
      send(h, cumulativeSum(svc, "requests.count", now + 30, now + 40, 2, kv("cli.command", "restarted")));
      // Began an hour before the relay: its first 100 may have been reported already; only the +10 after counts.
      send(h, cumulativeSum(svc, "requests.count", oneHourAgo, now + 10, 100, kv("cli.command", "older")));
      send(h, cumulativeSum(svc, "requests.count", oneHourAgo, now + 20, 110, kv("cli.command", "older")));
      // Delta points count as they are, twice sent twice counted.
      ExportMetricsServiceRequest delta = deltaSum(svc, "requests.count", now + 1, now + 10, 7, "delta");
      send(h, delta);
      send(h, delta);
      Map<String, Object> totals = reportTotals(h);
      assertThat(totals).containsEntry("metric.requests.count{cli.command=restarted}", 17L)
          .containsEntry("metric.requests.count{cli.command=older}", 10L)
          .containsEntry("metric.requests.count{cli.command=delta}", 14L)
          .containsEntry("metric.requests.count", 41L);
      assertThat(new String(h.relay.statsJson())).contains("\"baseline_only\" : 1");
    }
  }

  @Test
  void replicasOfOneServiceWithTheSameResourceAreCountedOnceEach() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
      // Two replicas: same resource (no service.instance.id, or the gateway removed it), each its own start time.
      io.opentelemetry.proto.resource.v1.Resource svc = resource(kv("service.name", "svc-web"));
      long a = now + 1;
      long b = now + 2;
      send(h, cumulativeSum(svc, "requests.count", a, now + 10, 4, kv("cli.command", "web")));
      send(h, cumulativeSum(svc, "requests.count", b, now + 11, 20, kv("cli.command", "web")));
      send(h, cumulativeSum(svc, "requests.count", a, now + 20, 6, kv("cli.command", "web")));
      send(h, cumulativeSum(svc, "requests.count", b, now + 21, 25, kv("cli.command", "web")));
      send(h, cumulativeSum(svc, "requests.count", a, now + 30, 9, kv("cli.command", "web")));
      // Replica a counted 9, replica b 25: 34, however their exports interleave (96 before the fix).
      assertThat(reportTotals(h)).containsEntry("metric.requests.count{cli.command=web}", 34L);
    }
  }

  @Test
  void streamsThatTheGatewayMadeOneAreAddedUpPerRequestAndCountedOnce() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
      io.opentelemetry.proto.resource.v1.Resource svc = resource(kv("service.name", "svc-shop"));
      // One SDK, two streams (payment.method=card and =cash), whose differing attribute the gateway
      // removed: each export carries two points that look alike.
      send(h, twoPoints(svc, now + 1, now + 10, 40, 9));
      send(h, twoPoints(svc, now + 1, now + 20, 50, 19));
      // 69 counted in all (209 before the fix).
      assertThat(reportTotals(h)).containsEntry("metric.requests.count{cli.command=checkout}", 69L);
    }
  }

  private static ExportMetricsServiceRequest twoPoints(io.opentelemetry.proto.resource.v1.Resource resource, long start,
      long time, long first, long second) {
    Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    for (long value : new long[] {first, second}) {
      sum.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time).setAsInt(value)
          .addAttributes(kv("cli.command", "checkout")));
    }
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("requests.count").setSum(sum))))
        .build();
  }

  @Test
  void invalidPointsAreRefusedInPartialSuccessAndUnlistedMetricsAreNotRefusals() throws Exception {
    try (RelayHarness h = RelayHarness.start(dir, Map.of())) {
      long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
      Metric unspecified = Metric.newBuilder().setName("requests.count").setSum(Sum.newBuilder()
          .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsInt(1))).build();
      Metric noValue = Metric.newBuilder().setName("requests.count").setSum(Sum.newBuilder()
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
          .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now))
          .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsDouble(Double.NaN))
          .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsInt(4))).build();
      Metric unlisted = Metric.newBuilder().setName("not.listed").setSum(Sum.newBuilder()
          .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1))).build();
      ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics
          .newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(unspecified).addMetrics(noValue).addMetrics(unlisted)))
          .build();
      HttpResponse<byte[]> response = h.post("/v1/metrics", request.toByteArray(), "application/x-protobuf");
      assertThat(response.statusCode()).isEqualTo(200);
      ExportMetricsServiceResponse parsed = ExportMetricsServiceResponse.parseFrom(response.body());
      assertThat(parsed.getPartialSuccess().getRejectedDataPoints()).isEqualTo(3);
      assertThat(parsed.getPartialSuccess().getErrorMessage()).contains("3 of 5 data points were refused");
      assertThat(reportTotals(h)).containsEntry("metric.requests.count", 4L);
    }
  }

  @Test
  void theStreamsRememberedAreBoundedAndAForgottenStreamComesBackAsABaseline() {
    RelayCounters counters = new RelayCounters();
    long start = 1_000;
    CumulativeToDelta deltas = new CumulativeToDelta(2, start, counters);
    CumulativeToDelta.StreamKey a = key("a");
    CumulativeToDelta.StreamKey b = key("b");
    CumulativeToDelta.StreamKey c = key("c");
    assertThat(deltas.next(a, start + 1, 10, 0, 0, 5, true).longSum).isEqualTo(5);
    assertThat(deltas.next(b, start + 1, 10, 0, 0, 6, true).longSum).isEqualTo(6);
    // c makes the relay forget a; c itself began before that moment, so it could be a forgotten stream too: a baseline.
    assertThat(deltas.next(c, start + 1, 10, 0, 0, 7, true)).isNull();
    assertThat(deltas.size()).isEqualTo(2);
    assertThat(counters.streamsEvicted.sum()).isEqualTo(1);
    // a is back: it began before the relay forgot it, so its running total may have been counted: a baseline.
    assertThat(deltas.next(a, start + 1, 20, 0, 0, 9, true)).isNull();
    assertThat(deltas.next(a, start + 1, 30, 0, 0, 12, true).longSum).isEqualTo(3);
    // A counter that went down without a new start time was reset: the value counts whole.
    assertThat(deltas.next(a, start + 1, 40, 0, 0, 2, true).longSum).isEqualTo(2);
    // Out of order: nothing.
    assertThat(deltas.next(a, start + 1, 35, 0, 0, 50, true)).isNull();
  }

  private static CumulativeToDelta.StreamKey key(String metric) {
    return new CumulativeToDelta.StreamKey(Attributes.empty(), "scope", metric, Attributes.empty(), 1);
  }

  /** Waits for the 1 s report interval, stops the relay, and adds up the usage reports PostHog received. */
  private static Map<String, Object> reportTotals(RelayHarness h) throws Exception {
    Thread.sleep(1_300);
    h.relay.shutdown().join(15, TimeUnit.SECONDS);
    Map<String, Object> totals = new java.util.TreeMap<>();
    List<Map<String, Object>> reports = h.events().stream().filter(e -> "usage_report".equals(e.get("event"))).toList();
    assertThat(reports).as("usage reports").isNotEmpty();
    for (Map<String, Object> report : reports) {
      properties(report).forEach((k, v) -> {
        if (k.startsWith("metric.") && v instanceof Number n) {
          totals.merge(k, v, (x, y) -> x instanceof Double || y instanceof Double
              ? ((Number) x).doubleValue() + ((Number) y).doubleValue() : ((Number) x).longValue() + ((Number) y).longValue());
        } else if (!k.startsWith("metric.")) {
          totals.putIfAbsent(k, v);
        }
      });
    }
    return totals;
  }

  private static void send(RelayHarness h, ExportMetricsServiceRequest request) throws Exception {
    assertThat(h.post("/v1/metrics", request.toByteArray(), "application/x-protobuf").statusCode()).isEqualTo(200);
  }

  private static ExportMetricsServiceRequest deltaSum(io.opentelemetry.proto.resource.v1.Resource resource, String metric,
      long start, long time, long value, String command) {
    NumberDataPoint point = NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time).setAsInt(value)
        .addAttributes(kv("cli.command", command)).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(metric).setSum(Sum.newBuilder()
            .setIsMonotonic(true).setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(point))))).build();
  }

  private static SdkMeterProvider meterProvider(RelayHarness h, String service) {
    OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder().setEndpoint(h.endpoint() + "/v1/metrics").build();
    return SdkMeterProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build()).build();
  }
}
