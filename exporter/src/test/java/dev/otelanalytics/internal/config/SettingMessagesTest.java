package dev.otelanalytics.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Each range-limited setting's error names the setting, the bad value, the range, and an example
 * that the same setting then accepts; and messages read as sentences (no "API_KEY (…): is not set").
 */
class SettingMessagesTest {
  private static final Pattern EXAMPLE = Pattern.compile(", e\\.g\\. ([^ ,)]+)");

  private static Map<String, String> settings(String... namesAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  private static InvalidSettingException failure(Map<String, String> settings) {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> AnalyticsConfig.parse(settings::get));
    assertThat(e).as("refused: %s", settings).isNotNull();
    return e;
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "otel.analytics.queue.size                | 0       | from 1 to 1000000",
      "otel.analytics.queue.size                | 2000000 | from 1 to 1000000",
      "otel.analytics.batch.size                | 10001   | from 1 to 10000",
      "otel.analytics.flush.interval            | 0       | from 1ms to 1d",
      "otel.analytics.flush.interval            | 2d      | from 1ms to 1d",
      "otel.analytics.shutdown.timeout          | 2m      | from 0 to 1m",
      "otel.analytics.export.timeout            | 50ms    | from 100ms to 5m",
      "otel.analytics.export.timeout            | 1h      | from 100ms to 5m",
      "otel.analytics.local.retention           | 12h     | from 1d to 3650d",
      "otel.analytics.local.retention           | forever | from 1d to 3650d",
      "otel.analytics.outbox.max.size           | 10      | from 1KiB to 1TiB",
      "otel.analytics.metrics.report.interval   | 500ms   | from 1s to 366d",
      "otel.analytics.metrics.report.interval   | 367d    | from 1s to 366d",
      "otel.analytics.metrics.noise.epsilon     | 0       | above 0 and at most 100",
      "otel.analytics.metrics.noise.epsilon     | 101     | above 0 and at most 100",
  })
  void aRangeMessageNamesTheRangeAndAnExampleTheSettingAccepts(String property, String value, String range) throws Exception {
    InvalidSettingException e = failure(settings(property, value));

    assertThat(e.property()).isEqualTo(property);
    assertThat(e.getMessage()).startsWith(InvalidSettingException.envName(property) + " (-D" + property + ") is '" + value + "': expected ")
        .contains(range);
    Matcher example = EXAMPLE.matcher(e.getMessage());
    assertThat(example.find()).as("an example in: %s", e.getMessage()).isTrue();
    assertThat(AnalyticsConfig.parse(settings(property, example.group(1))::get)).as("the example %s", example.group(1)).isNotNull();
  }

  @Test
  void theSensitivityExampleIsAcceptedWithNoiseOn() throws Exception {
    Map<String, String> bad = settings(MetricsConfig.NOISE_EPSILON, "1", MetricsConfig.NOISE_SENSITIVITY, "0");
    Matcher example = EXAMPLE.matcher(failure(bad).getMessage());

    assertThat(example.find()).isTrue();
    bad.put(MetricsConfig.NOISE_SENSITIVITY, example.group(1));
    assertThat(AnalyticsConfig.parse(bad::get).metrics().noiseSensitivity()).isEqualTo(Double.parseDouble(example.group(1)));
  }

  @Test
  void theReportIntervalMessageInFull() {
    assertThat(failure(settings(MetricsConfig.REPORT_INTERVAL, "500ms")).getMessage()).isEqualTo(
        "OTEL_ANALYTICS_METRICS_REPORT_INTERVAL (-Dotel.analytics.metrics.report.interval) is '500ms': expected a whole"
            + " number with a unit ms, s, m, h or d (a bare number is milliseconds), from 1s to 366d, e.g. 24h (the default, unless the policy sets"
            + " metrics.report_interval)");
  }

  @Test
  void aMissingPostHogKeyReadsAsASentence() {
    assertThat(failure(settings(AnalyticsConfig.DESTINATION, "posthog")).getMessage()).isEqualTo(
        "OTEL_EXPORTER_POSTHOG_API_KEY (-Dotel.exporter.posthog.api.key) is not set; the posthog destination needs your"
            + " project API key (phc_…, in PostHog under Project settings)");
  }

  @Test
  void missingGa4SettingsReadAsSentences() {
    assertThat(failure(settings(AnalyticsConfig.DESTINATION, "ga4")).getMessage()).isEqualTo(
        "OTEL_EXPORTER_GA4_MEASUREMENT_ID (-Dotel.exporter.ga4.measurement.id) is not set; the ga4 destination needs the"
            + " data stream's measurement id (G-…, under Admin > Data streams)");
    assertThat(failure(settings(AnalyticsConfig.DESTINATION, "ga4", AnalyticsConfig.GA4_MEASUREMENT_ID, "G-TEST123")).getMessage())
        .isEqualTo("OTEL_EXPORTER_GA4_API_SECRET (-Dotel.exporter.ga4.api.secret) is not set; create one under Admin > Data"
            + " streams > your stream > Measurement Protocol API secrets");
  }

  @Test
  void noMessageHasAColonRightBeforeAVerb() {
    String[][] cases = {
        {AnalyticsConfig.DESTINATION, "posthog"},
        {AnalyticsConfig.DESTINATION, "ga4"},
        {MetricsConfig.NOISE_SENSITIVITY, "2"},
    };
    for (String[] c : cases) {
      assertThat(failure(settings(c)).getMessage()).doesNotContain("): is").doesNotContain("): must");
    }
  }
}
