package dev.otelanalytics.internal.metrics;

import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Adds the metric points the SDK exports into the counts of a usage report, applying the privacy
 * policy on the way in:
 *
 * <ul>
 *   <li>only instruments the policy's {@code metrics.allow} names (exactly as the instrument is
 *       named) are kept; every other instrument is ignored as a whole;
 *   <li>a point keeps only the attributes {@code attributes.allow} lists, and only values that pass
 *       the value guards. Every other attribute is aggregated away: the point is added to the
 *       series without it, so a personal or high-cardinality attribute collapses instead of leaking;
 *   <li>counters and up-down counters are added up, histograms contribute their count and sum,
 *       gauges their last value (points that collapse into one series in one export are summed);
 *   <li>cumulative points are turned into deltas by remembering the last value of each series
 *       (in memory only); a series whose start time changed, or a counter that went down, was
 *       reset and counts from zero.
 * </ul>
 *
 * <p>Scope names and versions, instrument descriptions and units are never kept. Thread-safe.
 */
public final class UsageAccumulator {
  private final PrivacyPolicy policy;
  private final Supplier<AttributeScrubber> scrubberSupplier;
  private AttributeScrubber scrubber;
  private UsageWindow pending = new UsageWindow(null);
  /** Last cumulative value of each raw series (all its attributes): in memory only, never written. */
  private final Map<CumulativeKey, Last> lastCumulative = new HashMap<>();
  private Resource lastResource;
  private Map<String, Object> lastResourceProperties;
  private long instrumentsNotAllowed;

  /**
   * @param policy names the instruments ({@code metrics.allow}) and attributes ({@code attributes.allow}) kept
   * @param scrubber applies the value guards (and counts what they drop); asked for on first use
   */
  public UsageAccumulator(PrivacyPolicy policy, Supplier<AttributeScrubber> scrubber) {
    this.policy = policy;
    this.scrubberSupplier = scrubber;
  }

  /** Adds the points of {@code metrics} to the pending counts. */
  public synchronized void add(Collection<MetricData> metrics) {
    Map<SeriesKey, SeriesValue> gauges = new TreeMap<>();
    for (MetricData metric : metrics) {
      String name = metric.getName();
      if (!policy.allowedMetrics().containsKey(name)) {
        instrumentsNotAllowed++;
        continue;
      }
      pending.setResource(resourceProperties(metric.getResource()));
      switch (metric.getType()) {
        case LONG_SUM:
          addLongSums(name, metric.getLongSumData());
          break;
        case DOUBLE_SUM:
          addDoubleSums(name, metric.getDoubleSumData());
          break;
        case HISTOGRAM:
          boolean cumulative = metric.getHistogramData().getAggregationTemporality() == AggregationTemporality.CUMULATIVE;
          for (HistogramPointData p : metric.getHistogramData().getPoints()) {
            addHistogram(name, p, p.getCount(), p.getSum(), cumulative);
          }
          break;
        case EXPONENTIAL_HISTOGRAM:
          boolean cumulativeExp =
              metric.getExponentialHistogramData().getAggregationTemporality() == AggregationTemporality.CUMULATIVE;
          for (ExponentialHistogramPointData p : metric.getExponentialHistogramData().getPoints()) {
            addHistogram(name, p, p.getCount(), p.getSum(), cumulativeExp);
          }
          break;
        case SUMMARY:
          // Summaries (from bridged libraries) are cumulative by definition.
          for (SummaryPointData p : metric.getSummaryData().getPoints()) {
            addHistogram(name, p, p.getCount(), p.getSum(), true);
          }
          break;
        case LONG_GAUGE:
          for (LongPointData p : metric.getLongGaugeData().getPoints()) {
            collectGauge(gauges, name, p, p.getValue());
          }
          break;
        case DOUBLE_GAUGE:
          for (DoublePointData p : metric.getDoubleGaugeData().getPoints()) {
            collectGauge(gauges, name, p, p.getValue());
          }
          break;
        default:
          break;
      }
    }
    for (Map.Entry<SeriesKey, SeriesValue> gauge : gauges.entrySet()) {
      pending.add(gauge.getKey(), gauge.getValue());
    }
  }

  /** Instruments seen that the policy does not list (each time they were exported). */
  public synchronized long instrumentsNotAllowed() {
    return instrumentsNotAllowed;
  }

  /** Takes the pending counts; the accumulator starts empty again. */
  synchronized UsageWindow takePending() {
    UsageWindow taken = pending;
    pending = new UsageWindow(null);
    return taken;
  }

  /** Gives counts back to the pending ones (a report could not be queued, a write failed). */
  synchronized void restore(UsageWindow counts) {
    UsageWindow merged = new UsageWindow(null);
    merged.addAll(counts);
    merged.addAll(pending);
    pending = merged;
  }

  /**
   * Applies the policy in force now to a window read back from its file: an instrument no longer
   * listed is dropped, and attributes are checked again (a value the guards now refuse collapses).
   */
  synchronized UsageWindow filter(UsageWindow stored) {
    UsageWindow out = new UsageWindow(stored.start());
    out.setRemote(stored.remote());
    // Closed reports are events already, made under the policy they were counted under (as outbox batches are).
    out.setReports(stored.reports());
    out.setTaken(stored.taken());
    for (Map.Entry<SeriesKey, SeriesValue> e : stored.series().entrySet()) {
      String metric = e.getKey().metric();
      if (!policy.allowedMetrics().containsKey(metric)) {
        continue;
      }
      AttributesBuilder attributes = Attributes.builder();
      for (Map.Entry<String, String> a : e.getKey().attributes().entrySet()) {
        attributes.put(a.getKey(), a.getValue());
      }
      out.add(new SeriesKey(metric, scrub(attributes.build())), e.getValue());
    }
    AttributesBuilder resource = Attributes.builder();
    for (Map.Entry<String, Object> r : stored.resource().entrySet()) {
      Object v = r.getValue();
      if (v instanceof Long) {
        resource.put(AttributeKey.longKey(r.getKey()), (Long) v);
      } else if (v instanceof Double) {
        resource.put(AttributeKey.doubleKey(r.getKey()), (Double) v);
      } else if (v instanceof Boolean) {
        resource.put(AttributeKey.booleanKey(r.getKey()), (Boolean) v);
      } else {
        resource.put(r.getKey(), String.valueOf(v));
      }
    }
    Map<String, Object> kept = new LinkedHashMap<>();
    scrubber().scrubResourceAttributes(resource.build(), kept);
    out.setResource(kept);
    return out;
  }

  private void addLongSums(String name, SumData<LongPointData> data) {
    boolean cumulative = data.getAggregationTemporality() == AggregationTemporality.CUMULATIVE;
    for (LongPointData p : data.getPoints()) {
      long delta = p.getValue();
      if (cumulative) {
        Last last = remember(name, p);
        delta = last.reset || (data.isMonotonic() && p.getValue() < last.longValue) ? p.getValue() : p.getValue() - last.longValue;
        last.longValue = p.getValue();
      }
      SeriesValue v = SeriesValue.sum(data.isMonotonic());
      v.addLong(delta);
      pending.add(key(name, p.getAttributes()), v);
    }
  }

  private void addDoubleSums(String name, SumData<DoublePointData> data) {
    boolean cumulative = data.getAggregationTemporality() == AggregationTemporality.CUMULATIVE;
    for (DoublePointData p : data.getPoints()) {
      double delta = p.getValue();
      if (cumulative) {
        Last last = remember(name, p);
        delta = last.reset || (data.isMonotonic() && p.getValue() < last.doubleValue) ? p.getValue() : p.getValue() - last.doubleValue;
        last.doubleValue = p.getValue();
      }
      SeriesValue v = SeriesValue.sum(data.isMonotonic());
      v.addDouble(delta);
      pending.add(key(name, p.getAttributes()), v);
    }
  }

  private void addHistogram(String name, PointData p, long count, double sum, boolean cumulative) {
    long countDelta = count;
    double sumDelta = sum;
    if (cumulative) {
      Last last = remember(name, p);
      if (!last.reset && count >= last.count) {
        countDelta = count - last.count;
        sumDelta = sum - last.sum;
      }
      last.count = count;
      last.sum = sum;
    }
    SeriesValue v = SeriesValue.histogram();
    v.addHistogram(countDelta, sumDelta);
    pending.add(key(name, p.getAttributes()), v);
  }

  private void collectGauge(Map<SeriesKey, SeriesValue> gauges, String name, PointData p, Number value) {
    SeriesKey key = key(name, p.getAttributes());
    SeriesValue v = gauges.get(key);
    if (v == null) {
      v = SeriesValue.gauge();
      v.setGauge(value, p.getEpochNanos());
      gauges.put(key, v);
    } else if (value instanceof Double || v.isDouble) {
      v.setGauge(v.asDouble() + value.doubleValue(), Math.max(v.atEpochNanos, p.getEpochNanos()));
    } else {
      v.setGauge(v.longValue + value.longValue(), Math.max(v.atEpochNanos, p.getEpochNanos()));
    }
  }

  /** The last cumulative value of this raw series; {@code reset} when it is new or restarted. */
  private Last remember(String name, PointData p) {
    CumulativeKey key = new CumulativeKey(name, p.getAttributes());
    Last last = lastCumulative.get(key);
    if (last == null) {
      last = new Last();
      lastCumulative.put(key, last);
      last.reset = true;
    } else {
      last.reset = last.startEpochNanos != p.getStartEpochNanos();
    }
    last.startEpochNanos = p.getStartEpochNanos();
    return last;
  }

  private SeriesKey key(String name, Attributes attributes) {
    return new SeriesKey(name, scrub(attributes));
  }

  private Map<String, String> scrub(Attributes attributes) {
    if (attributes.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, Object> kept = new LinkedHashMap<>();
    scrubber().scrubMetricAttributes(attributes, kept);
    Map<String, String> text = new HashMap<>();
    for (Map.Entry<String, Object> e : kept.entrySet()) {
      text.put(e.getKey(), String.valueOf(e.getValue()));
    }
    return text;
  }

  private Map<String, Object> resourceProperties(Resource resource) {
    if (resource != lastResource) {
      Map<String, Object> kept = new LinkedHashMap<>();
      scrubber().scrubResourceAttributes(resource.getAttributes(), kept);
      lastResource = resource;
      lastResourceProperties = kept;
    }
    return lastResourceProperties;
  }

  private AttributeScrubber scrubber() {
    if (scrubber == null) {
      scrubber = scrubberSupplier.get();
    }
    return scrubber;
  }

  private static final class CumulativeKey {
    private final String metric;
    private final Attributes attributes;

    CumulativeKey(String metric, Attributes attributes) {
      this.metric = metric;
      this.attributes = attributes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CumulativeKey && ((CumulativeKey) o).metric.equals(metric)
          && ((CumulativeKey) o).attributes.equals(attributes);
    }

    @Override
    public int hashCode() {
      return metric.hashCode() * 31 + attributes.hashCode();
    }
  }

  private static final class Last {
    long startEpochNanos;
    boolean reset;
    long longValue;
    double doubleValue;
    long count;
    double sum;
  }
}
