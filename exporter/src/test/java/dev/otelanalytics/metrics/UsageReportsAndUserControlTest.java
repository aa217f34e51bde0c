package dev.otelanalytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.AnalyticsControl;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.policy.PrivacyStatement;
import dev.otelanalytics.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the people using an app see and control about usage reports. */
class UsageReportsAndUserControlTest {
  @TempDir Path stateDir;

  @Test
  void clearDeletesTheOpenWindowToo() throws Exception {
    try (MeterFixture f = new MeterFixture(stateDir, UsageReportExporterTest.policy(), MutableClock.at(UsageReportExporterTest.T0),
        UsageReportOptions.builder())) {
      f.meter.counterBuilder(UsageReportExporterTest.COUNTER).build().add(3);
    }
    Path window = stateDir.resolve(UsageReportExporter.WINDOW_FILE);
    assertThat(window).exists();
    Map<String, String> settings = Map.of("otel.analytics.enabled", "true", "otel.analytics.state.dir", stateDir.toString());
    AnalyticsControl.create(settings::get, name -> null, "cli-app").clear();
    assertThat(Files.exists(window)).isFalse();
  }

  @Test
  void thePrivacyStatementListsTheReportedCountersWithWhyAndThePeriod() {
    PrivacyPolicy policy = PrivacyPolicy.defaultPolicy().toBuilder()
        .allowMetric("cli.items.inspected", "how many entries inspections cover")
        .allowMetric("jobs.run", "")
        .setReportInterval(Duration.ofDays(7))
        .build();
    String md = PrivacyStatement.of(policy, "mycli", "Nowhere", 90, null, null).toMarkdown();
    assertThat(md).contains("## Usage reports\n\nOnce every 7 days, mycli may also send one usage report")
        .contains("| `cli.items.inspected` | how many entries inspections cover |")
        .contains("| `jobs.run` | (no reason given) |")
        .contains("a random deployment id");
    assertThat(md.indexOf("## Usage reports")).isLessThan(md.indexOf("## Never collected"));
    String daily = PrivacyStatement.of(policy.toBuilder().setReportInterval(Duration.ofHours(24)).build(), "mycli", "Nowhere", 90,
        null, null).toMarkdown();
    assertThat(daily).contains("Once every day, mycli");
    assertThat(PrivacyStatement.of(PrivacyPolicy.defaultPolicy(), "mycli", "Nowhere", 90, null, null).toMarkdown())
        .doesNotContain("Usage reports").doesNotContain("usage report");
  }
}
