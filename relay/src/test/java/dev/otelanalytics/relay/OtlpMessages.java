package dev.otelanalytics.relay;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Builds OTLP requests with the published proto classes, as any OTLP client would send them. */
final class OtlpMessages {
  static final long T0 = 1_700_000_000_000_000_000L;

  private OtlpMessages() {}

  static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  static KeyValue kvArray(String key, String... values) {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    for (String v : values) {
      array.addValues(AnyValue.newBuilder().setStringValue(v));
    }
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setArrayValue(array)).build();
  }

  static Resource resource(KeyValue... attributes) {
    return Resource.newBuilder().addAllAttributes(List.of(attributes)).build();
  }

  /** A finished root span with random ids. */
  static Span.Builder rootSpan(String name) {
    return Span.newBuilder().setTraceId(randomBytes(16)).setSpanId(randomBytes(8)).setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(T0).setEndTimeUnixNano(T0 + 5_000_000);
  }

  static ExportTraceServiceRequest traces(Resource resource, Span... spans) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test.scope"))
            .addAllSpans(List.of(spans)))).build();
  }

  static ExportTraceServiceRequest traces(Span... spans) {
    return traces(resource(kv("service.name", "svc-test")), spans);
  }

  /** One cumulative monotonic int sum point. */
  static ExportMetricsServiceRequest cumulativeSum(Resource resource, String metric, long start, long time, long value,
      KeyValue... attributes) {
    NumberDataPoint point = NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time).setAsInt(value)
        .addAllAttributes(List.of(attributes)).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test.meter"))
            .addMetrics(Metric.newBuilder().setName(metric).setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(point)))))
        .build();
  }

  static ByteString randomBytes(int n) {
    ByteBuffer b = ByteBuffer.allocate(n);
    for (int i = 0; i < n; i += 8) {
      b.putLong(ThreadLocalRandom.current().nextLong() | 1L);
    }
    return ByteString.copyFrom(b.array());
  }
}
