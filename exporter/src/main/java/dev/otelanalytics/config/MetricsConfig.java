package dev.otelanalytics.config;

import dev.otelanalytics.internal.DurationParser;
import dev.otelanalytics.metrics.UsageReportOptions;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The settings of usage reports from metrics (the {@code analytics} metric exporter), read once
 * and validated like {@link AnalyticsConfig}: each {@code OTEL_ANALYTICS_FOO} variable is also the
 * system property {@code otel.analytics.foo}, and a bad value is an {@link InvalidSettingException}
 * with one line naming both.
 *
 * <p>The metric allowlist and the report interval belong to the privacy policy
 * ({@code metrics.allow}, {@code metrics.report_interval}); {@link #applyTo} adds these settings to
 * it, so the privacy statement and the exporter see the same list. The noise settings are
 * {@link #reportOptions() options} of the exporter.
 */
public final class MetricsConfig {
  public static final String ALLOWED_METRICS = "otel.analytics.allowed.metrics";
  public static final String REPORT_INTERVAL = "otel.analytics.metrics.report.interval";
  public static final String NOISE_EPSILON = "otel.analytics.metrics.noise.epsilon";
  public static final String NOISE_SENSITIVITY = "otel.analytics.metrics.noise.sensitivity";

  /** Shortest report interval accepted (the policy's own floor). */
  public static final Duration MIN_REPORT_INTERVAL = Duration.ofSeconds(1);
  /** Longest report interval accepted. */
  public static final Duration MAX_REPORT_INTERVAL = Duration.ofDays(366);
  /** Largest ε accepted: beyond it the noise is negligible and the setting is probably a mistake. */
  public static final double MAX_EPSILON = 100;
  /** Largest sensitivity accepted. */
  public static final double MAX_SENSITIVITY = 1_000_000_000;

  private final List<String> allowedMetrics;
  private final Duration reportInterval;
  private final double noiseEpsilon;
  private final double noiseSensitivity;

  private MetricsConfig(Function<String, String> properties) throws InvalidSettingException {
    allowedMetrics = list(properties, ALLOWED_METRICS);
    reportInterval = interval(properties);
    Double epsilon = positive(properties, NOISE_EPSILON, MAX_EPSILON, "0.1, 0.5 or 1");
    Double sensitivity = positive(properties, NOISE_SENSITIVITY, MAX_SENSITIVITY, "1 (the default) or 10");
    if (sensitivity != null && epsilon == null) {
      throw InvalidSettingException.problem(NOISE_SENSITIVITY,
          "is set, but noise is off; set OTEL_ANALYTICS_METRICS_NOISE_EPSILON (-D" + NOISE_EPSILON + ") to turn it on");
    }
    noiseEpsilon = epsilon == null ? 0 : epsilon;
    noiseSensitivity = sensitivity == null ? 1 : sensitivity;
  }

  /**
   * Reads the usage-report settings.
   *
   * @param properties looks a setting up by its property name (e.g. {@code ConfigProperties::getString})
   */
  public static MetricsConfig parse(Function<String, String> properties) throws InvalidSettingException {
    return new MetricsConfig(properties);
  }

  /** Metric instruments listed in {@code OTEL_ANALYTICS_ALLOWED_METRICS}, in addition to the policy's. */
  public List<String> allowedMetrics() {
    return allowedMetrics;
  }

  /** {@code OTEL_ANALYTICS_METRICS_REPORT_INTERVAL}, or null to use the policy's. */
  public Duration reportInterval() {
    return reportInterval;
  }

  /** ε of the Laplace noise; 0 when noise is off (the default). */
  public double noiseEpsilon() {
    return noiseEpsilon;
  }

  /** The most one person can change one count (the noise is scaled by it); default 1. */
  public double noiseSensitivity() {
    return noiseSensitivity;
  }

  /** Adds the allowed metrics and the report interval to {@code policy}. */
  public void applyTo(PrivacyPolicy.Builder policy) throws InvalidSettingException {
    for (String name : allowedMetrics) {
      try {
        policy.allowMetric(name, "listed in OTEL_ANALYTICS_ALLOWED_METRICS");
      } catch (IllegalArgumentException e) {
        throw InvalidSettingException.problem(ALLOWED_METRICS, e.getMessage());
      }
    }
    if (reportInterval != null) {
      policy.setReportInterval(reportInterval);
    }
  }

  /** The exporter options these settings ask for (the noise; the rest is in the policy). */
  public UsageReportOptions reportOptions() {
    UsageReportOptions.Builder options = UsageReportOptions.builder();
    if (noiseEpsilon > 0) {
      options.setNoise(noiseEpsilon, noiseSensitivity);
    }
    return options.build();
  }

  @Override
  public String toString() {
    return "MetricsConfig{allowedMetrics=" + allowedMetrics + ", reportInterval=" + reportInterval
        + ", noiseEpsilon=" + noiseEpsilon + ", noiseSensitivity=" + noiseSensitivity + "}";
  }

  private static String raw(Function<String, String> properties, String property) {
    String value = properties.apply(property);
    return value == null || value.trim().isEmpty() ? null : value.trim();
  }

  private static List<String> list(Function<String, String> properties, String property) {
    String value = raw(properties, property);
    if (value == null) {
      return Collections.emptyList();
    }
    List<String> out = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.trim().isEmpty() && !out.contains(item.trim())) {
        out.add(item.trim());
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static Duration interval(Function<String, String> properties) throws InvalidSettingException {
    String value = raw(properties, REPORT_INTERVAL);
    if (value == null) {
      return null;
    }
    Duration parsed = DurationParser.parse(value);
    if (parsed == null || parsed.compareTo(MIN_REPORT_INTERVAL) < 0 || parsed.compareTo(MAX_REPORT_INTERVAL) > 0) {
      throw InvalidSettingException.badValue(REPORT_INTERVAL, value, DurationParser.ACCEPTED + ", from 1s to 366d (default: the"
          + " policy's metrics.report_interval, else 24h)");
    }
    return parsed;
  }

  private static Double positive(Function<String, String> properties, String property, double max, String examples)
      throws InvalidSettingException {
    String value = raw(properties, property);
    if (value == null) {
      return null;
    }
    try {
      double parsed = Double.parseDouble(value);
      // Double.parseDouble also takes "NaN", "Infinity" and hex floats: the range check refuses the first two.
      if (parsed > 0 && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InvalidSettingException.badValue(property, value, "a number above 0 and at most " + format(max) + ", e.g. " + examples);
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
