package dev.otelanalytics.internal.config;

import dev.otelanalytics.policy.PrivacyPolicy;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The settings of usage reports from metrics (the {@code analytics} metric exporter), read once,
 * as part of {@link AnalyticsConfig}, by the same {@link SettingsReader}: each {@code OTEL_ANALYTICS_FOO} variable is also the
 * system property {@code otel.analytics.foo}, and a bad value is an {@link InvalidSettingException}
 * with one line naming both.
 *
 * <p>The metric allowlist and the report interval belong to the privacy policy
 * ({@code metrics.allow}, {@code metrics.report_interval}); {@link #applyTo} adds these settings to
 * it, so the privacy statement and the exporter see the same list. The noise settings become the
 * exporter's options.
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

  private MetricsConfig(SettingsReader r) throws InvalidSettingException {
    allowedMetrics = r.distinctList(ALLOWED_METRICS);
    reportInterval = interval(r);
    Double epsilon = r.positiveNumber(NOISE_EPSILON, MAX_EPSILON, "0.1, 0.5 or 1");
    Double sensitivity = r.positiveNumber(NOISE_SENSITIVITY, MAX_SENSITIVITY, "1 (the default) or 10");
    if (sensitivity != null && epsilon == null) {
      throw InvalidSettingException.predicate(NOISE_SENSITIVITY,
          "is set, but noise is off; set OTEL_ANALYTICS_METRICS_NOISE_EPSILON (-D" + NOISE_EPSILON + ") to turn it on");
    }
    noiseEpsilon = epsilon == null ? 0 : epsilon;
    noiseSensitivity = sensitivity == null ? 1 : sensitivity;
  }

  /**
   * Reads the usage-report settings alone (for tests; {@link AnalyticsConfig} reads them with the rest).
   *
   * @param properties looks a setting up by its property name (e.g. {@code ConfigProperties::getString})
   */
  public static MetricsConfig parse(Function<String, String> properties) throws InvalidSettingException {
    return read(new SettingsReader(properties));
  }

  static MetricsConfig read(SettingsReader reader) throws InvalidSettingException {
    return new MetricsConfig(reader);
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

  @Override
  public String toString() {
    return "MetricsConfig{allowedMetrics=" + allowedMetrics + ", reportInterval=" + reportInterval
        + ", noiseEpsilon=" + noiseEpsilon + ", noiseSensitivity=" + noiseSensitivity + "}";
  }

  private static Duration interval(SettingsReader r) throws InvalidSettingException {
    return r.optionalDuration(REPORT_INTERVAL, MIN_REPORT_INTERVAL, MAX_REPORT_INTERVAL,
        "24h (the default, unless the policy sets metrics.report_interval)");
  }
}
