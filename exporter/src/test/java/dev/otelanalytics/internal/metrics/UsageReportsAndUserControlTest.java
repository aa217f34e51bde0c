package dev.otelanalytics.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.AnalyticsControl;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.UsageReportExporter;
import dev.otelanalytics.UsageReportOptions;
import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.policy.PrivacyStatement;
import dev.otelanalytics.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the people using an app see and control about usage reports. */
class UsageReportsAndUserControlTest {
  @TempDir Path stateDir;

  /** A destination outside the process, like PostHog. */
  static final class RemoteDestination implements Destination {
    final List<AnalyticsEvent> sent = new ArrayList<>();

    @Override
    public String name() {
      return "remote";
    }

    @Override
    public boolean isRemote() {
      return true;
    }

    @Override
    public synchronized DeliveryResult send(List<AnalyticsEvent> events) {
      sent.addAll(events);
      return DeliveryResult.delivered();
    }

    synchronized List<AnalyticsEvent> reports() {
      return sent.stream().filter(e -> e.name().equals(UsageReportExporter.REPORT_EVENT)).toList();
    }
  }

  /** One run with {@code destination} (null: the local file store, as for level local or a first-run notice). */
  void run(MutableClock clock, Destination destination, long count) {
    var builder = OtelAnalytics.builder().setServiceName("cli-app").setStateDirectory(stateDir)
        .setPolicy(UsageReportExporterTest.policy()).setShutdownTimeout(Duration.ofSeconds(10)).setLocalHistory(false);
    if (destination != null) {
      builder.setDestination(destination);
    }
    OtelAnalytics analytics = builder.build();
    UsageReportExporter exporter = analytics.metricExporter(UsageReportOptions.builder().setClock(clock).build());
    var provider = io.opentelemetry.sdk.metrics.SdkMeterProvider.builder()
        .registerMetricReader(io.opentelemetry.sdk.metrics.export.PeriodicMetricReader.create(exporter)).build();
    provider.get("test").counterBuilder(UsageReportExporterTest.COUNTER).build().add(count);
    assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(analytics.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void countsCollectedWhileReportsStayedOnThisMachineAreNeverSentLater() {
    MutableClock clock = MutableClock.at(UsageReportExporterTest.T0);
    RemoteDestination posthog = new RemoteDestination();
    // A first-run notice (or level local): the run's reports stay in the local store.
    run(clock, null, 5);
    clock.advance(Duration.ofHours(1));
    // The next run may send: its window starts afresh, without the first run's 5.
    run(clock, posthog, 2);
    clock.advance(Duration.ofDays(1));
    run(clock, posthog, 1);
    assertThat(posthog.reports()).singleElement().satisfies(report ->
        assertThat(report.properties()).containsEntry("metric.cli.items.inspected", 3L)
            .containsEntry("window_start", "2026-03-02T09:00:00Z"));
    // And the other way round: counts collected to be sent do not turn up in a local report.
    run(clock, posthog, 40);
    clock.advance(Duration.ofHours(1));
    run(clock, null, 4);
    clock.advance(Duration.ofDays(1));
    run(clock, null, 0);
    assertThat(MeterFixture.reports(stateDir)).singleElement()
        .satisfies(report -> assertThat(MeterFixture.properties(report)).containsEntry("metric.cli.items.inspected", 4L));
    assertThat(posthog.reports()).hasSize(1);
  }

  @Test
  void clearDeletesTheOpenWindowToo() throws Exception {
    try (MeterFixture f = new MeterFixture(stateDir, UsageReportExporterTest.policy(), MutableClock.at(UsageReportExporterTest.T0),
        UsageReportOptions.builder())) {
      f.meter.counterBuilder(UsageReportExporterTest.COUNTER).build().add(3);
    }
    Path window = stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE);
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
