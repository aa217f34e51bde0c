package dev.otelanalytics.relay.internal;

import dev.otelanalytics.UsageReportExporter;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hands the points of one {@code ExportMetricsServiceRequest} to the usage-report exporter, as
 * deltas: only metrics the policy's {@code metrics.allow} lists are looked at (others are not
 * refused, just not reported); cumulative points become deltas per source stream
 * ({@link CumulativeToDelta}); histograms, exponential histograms and summaries keep their count
 * and sum, which is all a usage report holds. Every point is reported under the relay's own
 * resource: a usage report adds up the counts of all services that send the relay metrics, and
 * carries no other service's resource. Invalid points (no value, not a number, no time, an
 * unspecified temporality) are refused and reported in {@code partial_success}.
 */
public final class MetricIngest {
  private static final List<Double> NO_BOUNDARIES = Collections.emptyList();

  private final UsageReportExporter exporter;
  private final PrivacyPolicy policy;
  private final CumulativeToDelta deltas;
  private final Resource relayResource;
  private final Duration exportWait;
  private final RelayCounters counters;
  private long rejected;
  private long received;

  /**
   * @param relayResource the resource every reported point carries (the relay's service name)
   * @param exportWait the longest wait for the exporter to store the points
   */
  public MetricIngest(UsageReportExporter exporter, PrivacyPolicy policy, CumulativeToDelta deltas, Resource relayResource,
      Duration exportWait, RelayCounters counters) {
    this.exporter = exporter;
    this.policy = policy;
    this.deltas = deltas;
    this.relayResource = relayResource;
    this.exportWait = exportWait;
    this.counters = counters;
  }

  /** Converts and exports; one request at a time, so that the deltas of a stream stay in order. */
  public synchronized IngestResult ingest(ExportMetricsServiceRequest request) {
    rejected = 0;
    received = 0;
    List<MetricData> out = new ArrayList<>();
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      Attributes resource = ProtoAttributes.of(resourceMetrics.getResource().getAttributesList());
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        String scope = scopeMetrics.getScope().getName() + "\n" + scopeMetrics.getScope().getVersion();
        for (Metric metric : scopeMetrics.getMetricsList()) {
          convert(metric, resource, scope, out);
        }
      }
    }
    if (!out.isEmpty()) {
      CompletableResultCode result = exporter.export(out);
      result.join(exportWait.toMillis(), TimeUnit.MILLISECONDS);
      if (!result.isSuccess()) {
        return new IngestResult(Outcome.METRICS_UNAVAILABLE, received, 0, "the usage-report window could not take the points");
      }
    }
    counters.pointsReceived.add(received - rejected);
    counters.pointsRejected.add(rejected);
    if (rejected > 0) {
      return new IngestResult(Outcome.PARTIALLY_ACCEPTED, received, rejected, rejected + " of " + received
          + " data points were refused: each needs a value that is a finite number, a time, and (for sums and"
          + " histograms) a delta or cumulative aggregation temporality");
    }
    return new IngestResult(Outcome.ACCEPTED, received, 0, "");
  }

  private void convert(Metric metric, Attributes resource, String scope, List<MetricData> out) {
    String name = metric.getName();
    received += points(metric);
    if (!policy.allowedMetrics().containsKey(name)) {
      return; // not selected: not a refusal
    }
    switch (metric.getDataCase()) {
      case SUM:
        sums(name, metric.getSum().getDataPointsList(), metric.getSum().getAggregationTemporality(),
            metric.getSum().getIsMonotonic(), resource, scope, out);
        break;
      case GAUGE:
        gauges(name, metric.getGauge().getDataPointsList(), out);
        break;
      case HISTOGRAM: {
        List<HistogramPointData> points = new ArrayList<>();
        Map<CumulativeToDelta.StreamKey, Running> running = new LinkedHashMap<>();
        AggregationTemporality temporality = metric.getHistogram().getAggregationTemporality();
        for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
          histogramPoint(name, temporality, p.getStartTimeUnixNano(), p.getTimeUnixNano(), p.getCount(), p.getSum(),
              p.getAttributesList(), p.getFlags(), resource, scope, points, running);
        }
        addHistogram(name, points, running, out);
        break;
      }
      case EXPONENTIAL_HISTOGRAM: {
        List<HistogramPointData> points = new ArrayList<>();
        Map<CumulativeToDelta.StreamKey, Running> running = new LinkedHashMap<>();
        AggregationTemporality temporality = metric.getExponentialHistogram().getAggregationTemporality();
        for (ExponentialHistogramDataPoint p : metric.getExponentialHistogram().getDataPointsList()) {
          histogramPoint(name, temporality, p.getStartTimeUnixNano(), p.getTimeUnixNano(), p.getCount(), p.getSum(),
              p.getAttributesList(), p.getFlags(), resource, scope, points, running);
        }
        addHistogram(name, points, running, out);
        break;
      }
      case SUMMARY: {
        // Summaries are cumulative by definition.
        List<HistogramPointData> points = new ArrayList<>();
        Map<CumulativeToDelta.StreamKey, Running> running = new LinkedHashMap<>();
        for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
          histogramPoint(name, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, p.getStartTimeUnixNano(),
              p.getTimeUnixNano(), p.getCount(), p.getSum(), p.getAttributesList(), p.getFlags(), resource, scope, points, running);
        }
        addHistogram(name, points, running, out);
        break;
      }
      default:
        break;
    }
  }

  private void sums(String name, List<NumberDataPoint> points, AggregationTemporality temporality, boolean monotonic,
      Attributes resource, String scope, List<MetricData> out) {
    boolean cumulative = temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    boolean delta = temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    List<LongPointData> longs = new ArrayList<>();
    List<DoublePointData> doubles = new ArrayList<>();
    // Cumulative points of one stream in one request are added up first: a gateway that removes an
    // attribute the policy does not list turns several streams into one, and each export carries all of them.
    Map<CumulativeToDelta.StreamKey, Running> running = new LinkedHashMap<>();
    for (NumberDataPoint p : points) {
      if (noRecordedValue(p.getFlags())) {
        continue;
      }
      if (!(cumulative || delta) || !valid(p)) {
        rejected++;
        continue;
      }
      Attributes attributes = ProtoAttributes.of(p.getAttributesList());
      boolean isLong = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT;
      long longValue = isLong ? p.getAsInt() : 0;
      double doubleValue = isLong ? 0 : p.getAsDouble();
      if (cumulative) {
        running.computeIfAbsent(new CumulativeToDelta.StreamKey(resource, scope, name, attributes, p.getStartTimeUnixNano()),
            k -> new Running(p.getStartTimeUnixNano(), attributes, isLong)).add(p.getTimeUnixNano(), 0, doubleValue, longValue);
      } else if (isLong) {
        longs.add(LongPointData.create(p.getStartTimeUnixNano(), p.getTimeUnixNano(), attributes, longValue));
      } else {
        doubles.add(DoublePointData.create(p.getStartTimeUnixNano(), p.getTimeUnixNano(), attributes, doubleValue,
            Collections.emptyList()));
      }
    }
    for (Map.Entry<CumulativeToDelta.StreamKey, Running> e : running.entrySet()) {
      Running r = e.getValue();
      CumulativeToDelta.Delta d = deltas.next(e.getKey(), r.start, r.time, 0, r.sum, r.longSum, monotonic);
      if (d == null) {
        continue;
      }
      if (r.isLong) {
        longs.add(LongPointData.create(r.start, r.time, r.attributes, d.longSum));
      } else {
        doubles.add(DoublePointData.create(r.start, r.time, r.attributes, d.sum, Collections.emptyList()));
      }
    }
    io.opentelemetry.sdk.metrics.data.AggregationTemporality deltaTemporality =
        io.opentelemetry.sdk.metrics.data.AggregationTemporality.DELTA;
    if (!longs.isEmpty()) {
      out.add(new DeltaMetricData(relayResource, name, MetricDataType.LONG_SUM,
          SumData.createLongSumData(monotonic, deltaTemporality, longs)));
    }
    if (!doubles.isEmpty()) {
      out.add(new DeltaMetricData(relayResource, name, MetricDataType.DOUBLE_SUM,
          SumData.createDoubleSumData(monotonic, deltaTemporality, doubles)));
    }
  }

  /** The points of one cumulative stream in one request, added up. */
  private static final class Running {
    final long start;
    final Attributes attributes;
    final boolean isLong;
    long time;
    long count;
    double sum;
    long longSum;

    Running(long start, Attributes attributes, boolean isLong) {
      this.start = start;
      this.attributes = attributes;
      this.isLong = isLong;
    }

    Running add(long pointTime, long pointCount, double pointSum, long pointLongSum) {
      time = Math.max(time, pointTime);
      count += pointCount;
      sum += pointSum;
      longSum += pointLongSum;
      return this;
    }
  }

  private void gauges(String name, List<NumberDataPoint> points, List<MetricData> out) {
    List<LongPointData> longs = new ArrayList<>();
    List<DoublePointData> doubles = new ArrayList<>();
    for (NumberDataPoint p : points) {
      if (noRecordedValue(p.getFlags())) {
        continue;
      }
      if (!valid(p)) {
        rejected++;
        continue;
      }
      Attributes attributes = ProtoAttributes.of(p.getAttributesList());
      if (p.getValueCase() == NumberDataPoint.ValueCase.AS_INT) {
        longs.add(LongPointData.create(p.getStartTimeUnixNano(), p.getTimeUnixNano(), attributes, p.getAsInt()));
      } else {
        doubles.add(DoublePointData.create(p.getStartTimeUnixNano(), p.getTimeUnixNano(), attributes, p.getAsDouble(),
            Collections.emptyList()));
      }
    }
    if (!longs.isEmpty()) {
      out.add(new DeltaMetricData(relayResource, name, MetricDataType.LONG_GAUGE, GaugeData.createLongGaugeData(longs)));
    }
    if (!doubles.isEmpty()) {
      out.add(new DeltaMetricData(relayResource, name, MetricDataType.DOUBLE_GAUGE, GaugeData.createDoubleGaugeData(doubles)));
    }
  }

  private void histogramPoint(String name, AggregationTemporality temporality, long start, long time, long count, double sum,
      List<io.opentelemetry.proto.common.v1.KeyValue> keyValues, int flags, Attributes resource, String scope,
      List<HistogramPointData> points, Map<CumulativeToDelta.StreamKey, Running> running) {
    if (noRecordedValue(flags)) {
      return;
    }
    boolean cumulative = temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    boolean delta = temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    if (!(cumulative || delta) || time == 0 || count < 0 || Double.isNaN(sum) || Double.isInfinite(sum)) {
      rejected++;
      return;
    }
    Attributes attributes = ProtoAttributes.of(keyValues);
    if (cumulative) {
      running.computeIfAbsent(new CumulativeToDelta.StreamKey(resource, scope, name, attributes, start),
          k -> new Running(start, attributes, false)).add(time, count, sum, 0);
      return;
    }
    points.add(HistogramPointData.create(start, time, attributes, sum, false, 0, false, 0, NO_BOUNDARIES,
        Collections.singletonList(count)));
  }

  /** Adds the histogram's cumulative streams, each as its increase since the last request, and the histogram to {@code out}. */
  private void addHistogram(String name, List<HistogramPointData> points, Map<CumulativeToDelta.StreamKey, Running> running,
      List<MetricData> out) {
    for (Map.Entry<CumulativeToDelta.StreamKey, Running> e : running.entrySet()) {
      Running r = e.getValue();
      CumulativeToDelta.Delta d = deltas.next(e.getKey(), r.start, r.time, r.count, r.sum, 0, true);
      if (d != null) {
        points.add(HistogramPointData.create(r.start, r.time, r.attributes, d.sum, false, 0, false, 0, NO_BOUNDARIES,
            Collections.singletonList(d.count)));
      }
    }
    if (!points.isEmpty()) {
      out.add(new DeltaMetricData(relayResource, name, MetricDataType.HISTOGRAM,
          HistogramData.create(io.opentelemetry.sdk.metrics.data.AggregationTemporality.DELTA, points)));
    }
  }

  private static boolean valid(NumberDataPoint p) {
    if (p.getTimeUnixNano() == 0) {
      return false;
    }
    switch (p.getValueCase()) {
      case AS_INT:
        return true;
      case AS_DOUBLE:
        return !Double.isNaN(p.getAsDouble()) && !Double.isInfinite(p.getAsDouble());
      default:
        return false;
    }
  }

  /** OTLP's DATA_POINT_FLAGS_NO_RECORDED_VALUE: the point marks a gap, it has no value to count. */
  private static boolean noRecordedValue(int flags) {
    return (flags & 1) != 0;
  }

  private static int points(Metric metric) {
    switch (metric.getDataCase()) {
      case SUM:
        return metric.getSum().getDataPointsCount();
      case GAUGE:
        return metric.getGauge().getDataPointsCount();
      case HISTOGRAM:
        return metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM:
        return metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY:
        return metric.getSummary().getDataPointsCount();
      default:
        return 0;
    }
  }
}
