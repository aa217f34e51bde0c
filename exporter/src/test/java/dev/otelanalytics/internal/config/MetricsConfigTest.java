package dev.otelanalytics.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.otelanalytics.UsageReportOptions;
import dev.otelanalytics.internal.autoconfigure.AnalyticsSetup;
import dev.otelanalytics.policy.PolicyEntry;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsConfigTest {
  private static Function<String, String> props(String... namesAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map::get;
  }

  private static InvalidSettingException failure(String... namesAndValues) {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> MetricsConfig.parse(props(namesAndValues)));
    assertThat(e).as("an InvalidSettingException").isNotNull();
    assertThat(e.getMessage()).as("one line").doesNotContain("\n");
    return e;
  }

  @Test
  void namesFollowTheOtelAnalyticsPattern() {
    assertThat(InvalidSettingException.envName(MetricsConfig.ALLOWED_METRICS)).isEqualTo("OTEL_ANALYTICS_ALLOWED_METRICS");
    assertThat(InvalidSettingException.envName(MetricsConfig.REPORT_INTERVAL)).isEqualTo("OTEL_ANALYTICS_METRICS_REPORT_INTERVAL");
    assertThat(InvalidSettingException.envName(MetricsConfig.NOISE_EPSILON)).isEqualTo("OTEL_ANALYTICS_METRICS_NOISE_EPSILON");
    assertThat(InvalidSettingException.envName(MetricsConfig.NOISE_SENSITIVITY))
        .isEqualTo("OTEL_ANALYTICS_METRICS_NOISE_SENSITIVITY");
  }

  @Test
  void defaultsAddNothingAndNoNoise() throws Exception {
    MetricsConfig config = MetricsConfig.parse(name -> null);
    assertThat(config.allowedMetrics()).isEmpty();
    assertThat(config.reportInterval()).isNull();
    assertThat(config.noiseEpsilon()).isZero();
    assertThat(config.noiseSensitivity()).isEqualTo(1);
    assertThat(AnalyticsSetup.reportOptions(config).noise()).isFalse();
    assertThat(AnalyticsSetup.reportOptions(config).reportInterval()).isNull();
    PrivacyPolicy.Builder builder = PrivacyPolicy.defaultPolicy().toBuilder();
    config.applyTo(builder);
    assertThat(builder.build().allowedMetrics()).isEmpty();
    assertThat(builder.build().reportInterval()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void allowedMetricsAndTheIntervalGoIntoThePolicy() throws Exception {
    MetricsConfig config = MetricsConfig.parse(props(MetricsConfig.ALLOWED_METRICS, " cli.items.inspected, http.server.request.duration,,cli.items.inspected ",
        MetricsConfig.REPORT_INTERVAL, "6h"));
    assertThat(config.allowedMetrics()).containsExactly("cli.items.inspected", "http.server.request.duration");
    PrivacyPolicy.Builder builder = PrivacyPolicy.builder().allowMetric("queue.depth", "from the policy file");
    config.applyTo(builder);
    PrivacyPolicy policy = builder.build();
    assertThat(policy.allowedMetrics()).containsOnlyKeys("queue.depth", "cli.items.inspected", "http.server.request.duration");
    assertThat(policy.allowedMetrics().get("cli.items.inspected"))
        .isEqualTo(PolicyEntry.of("cli.items.inspected", "listed in OTEL_ANALYTICS_ALLOWED_METRICS"));
    assertThat(policy.reportInterval()).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void analyticsConfigAppliesThemToThePolicyInForce() throws Exception {
    AnalyticsConfig config = AnalyticsConfig.parse(props(MetricsConfig.ALLOWED_METRICS, "cli.items.inspected",
        MetricsConfig.REPORT_INTERVAL, "1d"));
    assertThat(config.policy().allowedMetrics()).containsOnlyKeys("cli.items.inspected");
    assertThat(config.policy().reportInterval()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void noiseBecomesExporterOptions() throws Exception {
    UsageReportOptions options = AnalyticsSetup.reportOptions(MetricsConfig.parse(props(MetricsConfig.NOISE_EPSILON, "0.5",
        MetricsConfig.NOISE_SENSITIVITY, "3")));
    assertThat(options.noise()).isTrue();
    assertThat(options.noiseEpsilon()).isEqualTo(0.5);
    assertThat(options.noiseSensitivity()).isEqualTo(3);
    assertThat(AnalyticsSetup.reportOptions(MetricsConfig.parse(props(MetricsConfig.NOISE_EPSILON, "1"))).noiseSensitivity()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} = \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "otel.analytics.metrics.report.interval | 500ms | OTEL_ANALYTICS_METRICS_REPORT_INTERVAL (-Dotel.analytics.metrics.report.interval) is '500ms': expected a whole number with a unit ms, s, m, h or d (a bare number is milliseconds), from 1s to 366d, e.g. 24h (the default, unless the policy sets metrics.report_interval)",
      "otel.analytics.metrics.report.interval | daily | OTEL_ANALYTICS_METRICS_REPORT_INTERVAL (-Dotel.analytics.metrics.report.interval) is 'daily'",
      "otel.analytics.metrics.report.interval | 400d | is '400d'",
      "otel.analytics.metrics.noise.epsilon | 0 | OTEL_ANALYTICS_METRICS_NOISE_EPSILON (-Dotel.analytics.metrics.noise.epsilon) is '0': expected a number above 0 and at most 100",
      "otel.analytics.metrics.noise.epsilon | -1 | is '-1'",
      "otel.analytics.metrics.noise.epsilon | NaN | is 'NaN'",
      "otel.analytics.metrics.noise.epsilon | Infinity | is 'Infinity'",
      "otel.analytics.metrics.noise.epsilon | one | is 'one'",
      "otel.analytics.metrics.noise.epsilon | 1000 | is '1000'",
  })
  void badValuesNameTheVariableAndThePropertyOnOneLine(String property, String value, String expected) {
    assertThat(failure(property, value).getMessage()).contains(expected);
    assertThat(failure(property, value).property()).isEqualTo(property);
  }

  @Test
  void aSensitivityWithoutEpsilonIsAMistakeNotSilence() {
    assertThat(failure(MetricsConfig.NOISE_SENSITIVITY, "2").getMessage()).isEqualTo(
        "OTEL_ANALYTICS_METRICS_NOISE_SENSITIVITY (-Dotel.analytics.metrics.noise.sensitivity) is set, but noise is off;"
            + " set OTEL_ANALYTICS_METRICS_NOISE_EPSILON (-Dotel.analytics.metrics.noise.epsilon) to turn it on");
    assertThat(failure(MetricsConfig.NOISE_EPSILON, "1", MetricsConfig.NOISE_SENSITIVITY, "0").getMessage())
        .startsWith("OTEL_ANALYTICS_METRICS_NOISE_SENSITIVITY (-Dotel.analytics.metrics.noise.sensitivity) is '0'");
  }

  @Test
  void aBadSettingTurnsTheWholeConfigOffLikeAnyOther() {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class,
        () -> AnalyticsConfig.parse(props(MetricsConfig.NOISE_EPSILON, "lots")));
    assertThat(e.property()).isEqualTo(MetricsConfig.NOISE_EPSILON);
    InvalidSettingException blank = catchThrowableOfType(InvalidSettingException.class,
        () -> AnalyticsConfig.parse(props(MetricsConfig.ALLOWED_METRICS, "ok.name, \t")));
    assertThat(blank).isNull();
    assertThat(List.of(MetricsConfig.MIN_REPORT_INTERVAL, MetricsConfig.MAX_REPORT_INTERVAL))
        .containsExactly(Duration.ofSeconds(1), Duration.ofDays(366));
  }
}
