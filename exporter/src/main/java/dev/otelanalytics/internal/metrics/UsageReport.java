package dev.otelanalytics.internal.metrics;

import dev.otelanalytics.event.AnalyticsEvent;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a closed window into one {@code usage_report} event. Property layout (flat, so every
 * destination can store it):
 *
 * <pre>
 * window_start, window_end            ISO-8601 UTC times the window opened and closed
 * deployment_id                       the random id of this deployment (one per state directory)
 * noise_epsilon, noise_sensitivity    only when Laplace noise was added
 * metric.NAME                         counter / up-down counter: the sum over the window;
 *                                     gauge: the last value
 * metric.NAME{key=value,...}          the part of it with those allowlisted attribute values
 * metric.NAME.count, metric.NAME.sum  histogram: how many values were recorded, and their sum
 * metric.NAME.count{key=value}        ... per series
 * service.name, service.version, ...  the allowlisted resource attributes
 * </pre>
 *
 * <p>{@code metric.NAME} is always the total over all points. Points whose attributes were all
 * dropped count in the total only. With noise, every count (each series, and each series
 * without attributes) is noised, rounded and, when it cannot go down, clamped at 0; totals are
 * the sums of the noised series, so they cost no extra privacy budget. Histogram sums and gauges
 * are left out with noise: how much one person can move them has no known bound.
 */
final class UsageReport {
  private UsageReport() {}

  static AnalyticsEvent toEvent(UsageWindow window, Instant end, String eventName, String distinctId, String deploymentId,
      LaplaceNoise noise) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("window_start", iso(window.start()));
    p.put("window_end", iso(end));
    p.put("deployment_id", deploymentId);
    if (noise != null) {
      p.put("noise_epsilon", noise.epsilon());
      p.put("noise_sensitivity", noise.sensitivity());
    }
    List<Map.Entry<SeriesKey, SeriesValue>> group = new ArrayList<>();
    for (Map.Entry<SeriesKey, SeriesValue> e : window.series().entrySet()) {
      if (!group.isEmpty() && !group.get(0).getKey().metric().equals(e.getKey().metric())) {
        putMetric(p, group, noise);
        group.clear();
      }
      group.add(e);
    }
    if (!group.isEmpty()) {
      putMetric(p, group, noise);
    }
    for (Map.Entry<String, Object> r : window.resource().entrySet()) {
      p.putIfAbsent(r.getKey(), r.getValue());
    }
    long nanos = end.getEpochSecond() * 1_000_000_000L + end.getNano();
    return AnalyticsEvent.create(eventName, distinctId, nanos, UUID.randomUUID().toString(), p);
  }

  /** One instrument's properties: its total first, then its series in order. */
  private static void putMetric(Map<String, Object> p, List<Map.Entry<SeriesKey, SeriesValue>> series, LaplaceNoise noise) {
    String name = "metric." + series.get(0).getKey().metric();
    SeriesValue.Kind kind = series.get(0).getValue().kind;
    Map<String, Object> parts = new LinkedHashMap<>();
    switch (kind) {
      case SUM: {
        boolean anyDouble = false;
        long longTotal = 0;
        double doubleTotal = 0;
        for (Map.Entry<SeriesKey, SeriesValue> e : series) {
          SeriesValue v = e.getValue();
          Number value;
          if (noise != null) {
            value = noise.noisy(v.asDouble(), v.monotonic);
          } else {
            value = v.value();
          }
          if (value instanceof Double) {
            anyDouble = true;
          }
          longTotal += value instanceof Double ? 0 : value.longValue();
          doubleTotal += value.doubleValue();
          if (!e.getKey().attributes().isEmpty()) {
            parts.put(name + e.getKey().label(), value);
          }
        }
        p.put(name, anyDouble ? (Object) doubleTotal : (Object) longTotal);
        break;
      }
      case HISTOGRAM: {
        long countTotal = 0;
        double sumTotal = 0;
        for (Map.Entry<SeriesKey, SeriesValue> e : series) {
          SeriesValue v = e.getValue();
          long count = noise != null ? noise.noisy(v.count, true) : v.count;
          countTotal += count;
          sumTotal += v.sum;
          if (!e.getKey().attributes().isEmpty()) {
            parts.put(name + ".count" + e.getKey().label(), count);
            if (noise == null) {
              parts.put(name + ".sum" + e.getKey().label(), v.sum);
            }
          }
        }
        p.put(name + ".count", countTotal);
        if (noise == null) {
          p.put(name + ".sum", sumTotal);
        }
        break;
      }
      default: {
        if (noise != null) {
          return;
        }
        boolean anyDouble = false;
        long longTotal = 0;
        double doubleTotal = 0;
        for (Map.Entry<SeriesKey, SeriesValue> e : series) {
          SeriesValue v = e.getValue();
          anyDouble |= v.isDouble;
          longTotal += v.longValue;
          doubleTotal += v.asDouble();
          if (!e.getKey().attributes().isEmpty()) {
            parts.put(name + e.getKey().label(), v.value());
          }
        }
        p.put(name, anyDouble ? (Object) doubleTotal : (Object) longTotal);
        break;
      }
    }
    p.putAll(parts);
  }

  static String iso(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }
}
