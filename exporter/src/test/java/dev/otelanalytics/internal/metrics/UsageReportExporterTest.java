package dev.otelanalytics.internal.metrics;

import static dev.otelanalytics.internal.metrics.MeterFixture.properties;
import static dev.otelanalytics.internal.metrics.MeterFixture.reports;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.UsageReportExporter;
import dev.otelanalytics.UsageReportOptions;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.Canaries;
import dev.otelanalytics.testing.LogCapture;
import dev.otelanalytics.testing.MutableClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongGauge;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage reports through a real SdkMeterProvider: sums, windows, restarts, the policy, cumulative data. */
class UsageReportExporterTest {
  static final String T0 = "2026-03-02T08:00:00Z";
  static final String COUNTER = "cli.items.inspected";
  static final AttributeKey<String> COMMAND = AttributeKey.stringKey("cli.command");
  static final AttributeKey<String> TARGET = AttributeKey.stringKey("inspect.target");

  @TempDir Path stateDir;
  final MutableClock clock = MutableClock.at(T0);

  static PrivacyPolicy policy() {
    return PrivacyPolicy.defaultPolicy().toBuilder()
        .allowAttribute("cli.command", "which command", AttributeType.text())
        .allowMetric(COUNTER, "how many entries inspections cover")
        .allowMetric("cli.duration", "how long commands take")
        .allowMetric("cli.queue.depth", "how deep the queue is")
        .allowMetric("cli.active", "commands running")
        .allowMetric("cli.async.total", "an asynchronous counter")
        .build();
  }

  MeterFixture start() {
    return new MeterFixture(stateDir, policy(), clock, UsageReportOptions.builder());
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void incrementsAcrossSeveralExportsMakeOneReportWithTheExactSums() throws Exception {
    try (MeterFixture f = start()) {
      LongCounter counter = f.meter.counterBuilder(COUNTER).build();
      counter.add(3);
      f.export();
      clock.advance(Duration.ofHours(6));
      counter.add(4, Attributes.of(COMMAND, "inspect"));
      f.export();
      clock.advance(Duration.ofHours(6));
      counter.add(5, Attributes.of(COMMAND, "report"));
      counter.add(1, Attributes.of(COMMAND, "inspect"));
      f.export();
      assertThat(reports(stateDir)).as("no report before the window is due").isEmpty();

      clock.advance(Duration.ofHours(12));
      f.export();

      List<Map<String, Object>> reports = reports(stateDir);
      assertThat(reports).hasSize(1);
      Map<String, Object> report = reports.get(0);
      Map<String, Object> p = properties(report);
      assertThat(p).containsExactly(
          Map.entry("window_start", "2026-03-02T08:00:00Z"),
          Map.entry("window_end", "2026-03-03T08:00:00Z"),
          Map.entry("deployment_id", InstallIdentity.peekDeploymentId(StateDirectory.at(stateDir))),
          Map.entry("metric.cli.items.inspected", 13L),
          Map.entry("metric.cli.items.inspected{cli.command=inspect}", 5L),
          Map.entry("metric.cli.items.inspected{cli.command=report}", 5L),
          Map.entry("service.name", "cli-app"),
          Map.entry("service.version", "1.4.2"));
      assertThat(report.get("distinct_id")).isEqualTo(InstallIdentity.peekInstallId(StateDirectory.at(stateDir)));
      assertThat(report.get("timestamp")).isEqualTo("2026-03-03T08:00:00Z");
      assertThat((String) report.get("uuid")).matches("[0-9a-f-]{36}");

      // A new window opened: the next report holds only what came after.
      counter.add(2);
      f.export();
      clock.advance(Duration.ofHours(24));
      f.export();
      assertThat(reports(stateDir)).hasSize(2);
      assertThat(properties(reports(stateDir).get(1))).containsEntry("window_start", "2026-03-03T08:00:00Z")
          .containsEntry("window_end", "2026-03-04T08:00:00Z").containsEntry("metric.cli.items.inspected", 2L)
          .doesNotContainKey("metric.cli.items.inspected{cli.command=inspect}");
      assertThat(f.analytics.stats().accepted()).isEqualTo(2);
    }
  }

  @Test
  void aRestartInMidWindowLosesNothing() throws Exception {
    for (int hour = 0; hour < 24; hour += 4) {
      // A service restarted every four hours: a new provider, exporter and OtelAnalytics each time.
      try (MeterFixture f = start()) {
        LongCounter counter = f.meter.counterBuilder(COUNTER).build();
        counter.add(10, Attributes.of(COMMAND, "inspect"));
        f.export();
        clock.advance(Duration.ofHours(2));
        counter.add(1);
        // No export: the shutdown's final export must carry this one.
      }
      assertThat(reports(stateDir)).as("no report at hour %s", hour).isEmpty();
      assertThat(Files.exists(stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE))).isTrue();
      clock.advance(Duration.ofHours(2));
    }
    try (MeterFixture f = start()) {
      f.meter.counterBuilder(COUNTER).build().add(100);
    }
    List<Map<String, Object>> reports = reports(stateDir);
    assertThat(reports).hasSize(1);
    assertThat(properties(reports.get(0))).containsEntry("window_start", T0)
        .containsEntry("window_end", "2026-03-03T08:00:00Z")
        .containsEntry("metric.cli.items.inspected", 6 * 11L + 100)
        .containsEntry("metric.cli.items.inspected{cli.command=inspect}", 60L);
  }

  @Test
  void theWindowFileIsPrivateAndReplacedAtomically() throws Exception {
    try (MeterFixture f = start()) {
      f.meter.counterBuilder(COUNTER).build().add(1);
      f.export();
      Path file = stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE);
      assertThat(f.exporter.windowFile()).isEqualTo(file);
      if (stateDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("usage-window.lock"))))
            .isEqualTo("rw-------");
      }
      try (Stream<Path> files = Files.list(stateDir)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
      }
      assertThat(Files.readString(file)).contains("\"window_start\":\"2026-03-02T08:00:00Z\"", "\"metric\":\"cli.items.inspected\"",
          "\"value\":1");
    }
  }

  @Test
  void anInstrumentThePolicyDoesNotListNeverAppears() throws Exception {
    try (MeterFixture f = start()) {
      f.meter.counterBuilder("billing.secret.revenue").build().add(99);
      f.meter.histogramBuilder("billing.secret.latency").build().record(12.5);
      f.meter.counterBuilder(COUNTER).build().add(1);
      f.export();
      assertThat(f.exporter.instrumentsNotAllowed()).isEqualTo(2);
      clock.advance(Duration.ofDays(1));
    }
    assertThat(reports(stateDir)).hasSize(1);
    assertThat(properties(reports(stateDir).get(0))).containsEntry("metric.cli.items.inspected", 1L);
    assertThat(MeterFixture.allFiles(stateDir)).doesNotContain("billing", "revenue", "latency");
  }

  @Test
  void personalAttributeValuesNeverAppearAndTheirCountsAreSummedIntoTheRemainingSeries() throws Exception {
    try (LogCapture logs = new LogCapture(); MeterFixture f = start()) {
      LongCounter counter = f.meter.counterBuilder(COUNTER).build();
      counter.add(2, Attributes.of(COMMAND, "inspect"));
      counter.add(3, Attributes.of(COMMAND, "inspect", TARGET, Canaries.UNIX_HOME));   // unlisted key: summed away
      counter.add(5, Attributes.of(COMMAND, Canaries.EMAIL));                           // listed key, guarded value
      counter.add(7, Attributes.of(COMMAND, Canaries.WINDOWS_HOME, TARGET, "/tmp/x"));
      counter.add(11, Attributes.of(AttributeKey.stringKey("user.email"), Canaries.EMAIL)); // never-kept key
      f.export();
      counter.add(13, Attributes.of(COMMAND, Canaries.UNIX_HOME));
      clock.advance(Duration.ofDays(1));
      f.close();

      Map<String, Object> p = properties(reports(stateDir).get(0));
      assertThat(p).containsEntry("metric.cli.items.inspected", 41L)
          .containsEntry("metric.cli.items.inspected{cli.command=inspect}", 5L);
      assertThat(p.keySet()).filteredOn(k -> k.startsWith("metric.")).hasSize(2);
      // The e-mail and the two home paths under cli.command; unlisted keys are not even looked at.
      assertThat(f.analytics.stats().valuesRedacted().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
      Canaries.assertNoCanaryUnder(stateDir);
      Canaries.assertNoCanary(String.join("\n", logs.messages(Level.ALL)));
      assertThat(MeterFixture.allFiles(stateDir)).doesNotContain("inspect.target", "user.email", "alice-laptop", "host.name");
    }
  }

  @Test
  void histogramsGiveCountAndSumGaugesTheirLastValueUpDownCountersTheirNetChange() throws Exception {
    try (MeterFixture f = start()) {
      DoubleHistogram duration = f.meter.histogramBuilder("cli.duration").build();
      LongGauge depth = f.meter.gaugeBuilder("cli.queue.depth").ofLongs().build();
      LongUpDownCounter active = f.meter.upDownCounterBuilder("cli.active").build();
      duration.record(1.5, Attributes.of(COMMAND, "inspect"));
      duration.record(2.5, Attributes.of(COMMAND, "inspect"));
      depth.set(9);
      active.add(5);
      f.export();
      clock.advance(Duration.ofHours(1));
      duration.record(4, Attributes.of(COMMAND, "report"));
      depth.set(4, Attributes.of(COMMAND, "inspect"));
      depth.set(3, Attributes.of(COMMAND, "report"));
      active.add(-2);
      f.export();
      clock.advance(Duration.ofDays(1));
      f.export();
      Map<String, Object> p = properties(reports(stateDir).get(0));
      assertThat(p).containsEntry("metric.cli.duration.count", 3L).containsEntry("metric.cli.duration.sum", 8.0)
          .containsEntry("metric.cli.duration.count{cli.command=inspect}", 2L)
          .containsEntry("metric.cli.duration.sum{cli.command=inspect}", 4.0)
          .containsEntry("metric.cli.duration.count{cli.command=report}", 1L)
          .containsEntry("metric.cli.active", 3L)
          .containsEntry("metric.cli.queue.depth{cli.command=inspect}", 4L)
          .containsEntry("metric.cli.queue.depth{cli.command=report}", 3L);
      // The series without attributes last had 9; with its two siblings the gauge's total is 16.
      assertThat(p).containsEntry("metric.cli.queue.depth", 16L);
    }
  }

  /** Delegates to the real exporter but asks the SDK for cumulative data, as a cumulative-only pipeline would. */
  static MetricExporter cumulativeOnly(MetricExporter delegate) {
    return new MetricExporter() {
      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
      }

      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        for (MetricData m : metrics) {
          if (m.getType() == io.opentelemetry.sdk.metrics.data.MetricDataType.LONG_SUM) {
            assertThat(m.getLongSumData().getAggregationTemporality()).isEqualTo(AggregationTemporality.CUMULATIVE);
          }
        }
        return delegate.export(metrics);
      }

      @Override
      public CompletableResultCode flush() {
        return delegate.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return delegate.shutdown();
      }
    };
  }

  @Test
  void cumulativeDataIsTurnedIntoDeltasNotCountedTwice() throws Exception {
    AtomicLong asyncTotal = new AtomicLong();
    try (MeterFixture f = new MeterFixture(stateDir, policy(), clock, UsageReportOptions.builder(),
        UsageReportExporterTest::cumulativeOnly)) {
      LongCounter counter = f.meter.counterBuilder(COUNTER).build();
      DoubleHistogram duration = f.meter.histogramBuilder("cli.duration").build();
      LongUpDownCounter active = f.meter.upDownCounterBuilder("cli.active").build();
      f.meter.counterBuilder("cli.async.total").buildWithCallback(m -> m.record(asyncTotal.get()));
      counter.add(3, Attributes.of(COMMAND, "inspect"));
      duration.record(2);
      active.add(4);
      asyncTotal.set(10);
      f.export();
      counter.add(4, Attributes.of(COMMAND, "inspect"));
      counter.add(1, Attributes.of(COMMAND, "inspect", TARGET, "/tmp/a"));  // another raw series, same report series
      duration.record(3);
      active.add(-3);
      asyncTotal.set(25);
      f.export();
      f.export();   // nothing new: cumulative values repeat and add nothing
      clock.advance(Duration.ofDays(1));
      asyncTotal.set(26);
      f.export();
    }
    Map<String, Object> p = properties(reports(stateDir).get(0));
    assertThat(p).containsEntry("metric.cli.items.inspected", 8L)
        .containsEntry("metric.cli.items.inspected{cli.command=inspect}", 8L)
        .containsEntry("metric.cli.duration.count", 2L).containsEntry("metric.cli.duration.sum", 5.0)
        .containsEntry("metric.cli.active", 1L)
        .containsEntry("metric.cli.async.total", 26L);
  }

  @Test
  void theReportIntervalIsHonouredWithAnInjectedClock() throws Exception {
    try (MeterFixture f = new MeterFixture(stateDir, policy(), clock,
        UsageReportOptions.builder().setReportInterval(Duration.ofHours(1)))) {
      assertThat(f.exporter.reportInterval()).isEqualTo(Duration.ofHours(1));
      LongCounter counter = f.meter.counterBuilder(COUNTER).build();
      counter.add(1);
      f.export();
      clock.advance(Duration.ofMinutes(59).plusSeconds(59));
      counter.add(1);
      f.export();
      assertThat(reports(stateDir)).isEmpty();
      clock.advance(Duration.ofSeconds(1));
      f.export();   // nothing new, but the window is due: flush closes it
      assertThat(reports(stateDir)).hasSize(1);
      assertThat(properties(reports(stateDir).get(0))).containsEntry("metric.cli.items.inspected", 2L)
          .containsEntry("window_end", "2026-03-02T09:00:00Z");
      clock.advance(Duration.ofMinutes(30));
      counter.add(5);
      f.export();
      assertThat(reports(stateDir)).hasSize(1);
      clock.advance(Duration.ofMinutes(30));
      f.export();
      assertThat(reports(stateDir)).hasSize(2);
      assertThat(properties(reports(stateDir).get(1))).containsEntry("metric.cli.items.inspected", 5L)
          .containsEntry("window_start", "2026-03-02T09:00:00Z").containsEntry("window_end", "2026-03-02T10:00:00Z");
      // A window with no point at all sends no report.
      clock.advance(Duration.ofHours(3));
      f.export();
      assertThat(reports(stateDir)).hasSize(2);
    }
  }

  @Test
  void thePolicysReportIntervalIsTheDefault() {
    PrivacyPolicy hourly = policy().toBuilder().setReportInterval(Duration.ofHours(1)).build();
    try (MeterFixture f = new MeterFixture(stateDir, hourly, clock, UsageReportOptions.builder())) {
      assertThat(f.exporter.reportInterval()).isEqualTo(Duration.ofHours(1));
      assertThat(f.exporter.getAggregationTemporality(InstrumentType.COUNTER)).isEqualTo(AggregationTemporality.DELTA);
      assertThat(f.exporter.getAggregationTemporality(InstrumentType.UP_DOWN_COUNTER)).isEqualTo(AggregationTemporality.DELTA);
      assertThat(f.exporter.getAggregationTemporality(InstrumentType.HISTOGRAM)).isEqualTo(AggregationTemporality.DELTA);
      assertThat(f.exporter.getAggregationTemporality(InstrumentType.OBSERVABLE_GAUGE)).isEqualTo(AggregationTemporality.DELTA);
    }
  }

  @Test
  void aCorruptWindowFileIsLoggedOnceAndIgnored() throws Exception {
    Path file = stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE);
    Files.writeString(file, "{\"format\":1,\"window_start\":\"2026-01-01T00:00:00Z\",\"series\":[{\"metric\":" + Canaries.EMAIL);
    try (LogCapture logs = new LogCapture(); MeterFixture f = start()) {
      LongCounter counter = f.meter.counterBuilder(COUNTER).build();
      counter.add(2);
      f.export();
      counter.add(3);
      f.export();
      clock.advance(Duration.ofDays(1));
      f.export();
      List<String> warnings = logs.messages(Level.WARNING);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("usage-window.json cannot be read back").contains("a new usage-report window starts");
      Canaries.assertNoCanary(warnings.get(0));
      assertThat(properties(reports(stateDir).get(0))).containsEntry("metric.cli.items.inspected", 5L)
          .containsEntry("window_start", T0);
    }
  }

  @Test
  void aWindowFileInAnotherFormatOrWithNonsenseIsIgnoredToo() throws Exception {
    for (String content : List.of("", "[]", "{\"format\":2,\"window_start\":\"2026-01-01T00:00:00Z\",\"series\":[]}",
        "{\"format\":1,\"window_start\":\"yesterday\",\"series\":[]}",
        "{\"format\":1,\"window_start\":\"2026-01-01T00:00:00Z\",\"series\":[{\"metric\":\"cli.items.inspected\",\"kind\":\"sum\"}]}",
        "{\"format\":1,\"window_start\":\"2026-01-01T00:00:00Z\",\"series\":[]} trailing")) {
      Files.writeString(stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE), content);
      try (MeterFixture f = start()) {
        f.meter.counterBuilder(COUNTER).build().add(1);
        f.export();
      }
      assertThat(Files.readString(stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE))).as(content)
          .startsWith("{\"format\":1,\"window_start\":\"" + T0 + "\"");
      Files.delete(stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE));
    }
  }

  @Test
  void aMetricTheNewPolicyNoLongerListsIsDroppedFromTheStoredWindow() throws Exception {
    try (MeterFixture f = start()) {
      f.meter.counterBuilder(COUNTER).build().add(4, Attributes.of(COMMAND, "inspect"));
      f.meter.histogramBuilder("cli.duration").build().record(3);
    }
    PrivacyPolicy narrower = PrivacyPolicy.defaultPolicy().toBuilder().allowMetric("cli.duration", "durations").build();
    clock.advance(Duration.ofDays(1));
    try (MeterFixture f = new MeterFixture(stateDir, narrower, clock, UsageReportOptions.builder())) {
      f.export();
    }
    Map<String, Object> p = properties(reports(stateDir).get(0));
    assertThat(p).containsEntry("metric.cli.duration.count", 1L);
    assertThat(p.keySet()).noneMatch(k -> k.contains("cli.items.inspected") || k.contains("cli.command"));
  }

  @Test
  void twoProcessesSharingAStateDirectoryAddIntoOneWindowAndSendOneReport() throws Exception {
    Path second = stateDir; // same directory, another OtelAnalytics and meter provider
    try (MeterFixture a = start(); MeterFixture b = new MeterFixture(second, policy(), clock, UsageReportOptions.builder())) {
      LongCounter ca = a.meter.counterBuilder(COUNTER).build();
      LongCounter cb = b.meter.counterBuilder(COUNTER).build();
      for (int i = 0; i < 5; i++) {
        ca.add(1);
        cb.add(10);
        a.export();
        b.export();
      }
      clock.advance(Duration.ofDays(1));
      ca.add(100);
      a.export();
      cb.add(1000);
      b.export();
    }
    List<Map<String, Object>> reports = reports(stateDir);
    assertThat(reports).hasSize(1);
    assertThat(properties(reports.get(0))).containsEntry("metric.cli.items.inspected", 55L + 100);
    // B's last counts went into the new window.
    assertThat(Files.readString(stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE))).contains("\"value\":1000");
  }

  @Test
  void aReportTheWorkerRefusesIsKeptWholeInTheWindowFileAndTheNextRunSendsIt() throws Exception {
    try (MeterFixture f = start()) {
      f.meter.counterBuilder(COUNTER).build().add(7);
    }
    clock.advance(Duration.ofDays(1));
    // An exporter made after its OtelAnalytics was shut down: the worker refuses every report.
    dev.otelanalytics.OtelAnalytics late = dev.otelanalytics.OtelAnalytics.builder().setServiceName("cli-app")
        .setStateDirectory(stateDir).setPolicy(policy()).build();
    assertThat(late.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
    UsageReportExporter orphan = late.metricExporter(UsageReportOptions.builder().setClock(clock).build());
    assertThat(orphan.flush().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(orphan.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(reports(stateDir)).isEmpty();
    // Each attempt was refused and counted as deferred, not as a drop: the report itself waits in the window file.
    assertThat(late.stats().usageReportsDeferred()).isPositive();
    assertThat(late.stats().droppedAfterShutdown()).isZero();
    assertThat(late.stats().droppedQueueFull()).isZero();
    assertThat(Files.readString(stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE)))
        .contains("\"window_start\":\"2026-03-03T08:00:00Z\"").contains("\"reports\":[").contains("metric.cli.items.inspected\\\":7");

    clock.advance(Duration.ofDays(1));
    try (MeterFixture f = start()) {
      f.export();
    }
    List<Map<String, Object>> reports = reports(stateDir);
    assertThat(reports).hasSize(1);
    assertThat(properties(reports.get(0))).containsEntry("metric.cli.items.inspected", 7L)
        .containsEntry("window_start", T0).containsEntry("window_end", "2026-03-03T08:00:00Z");
    assertThat(Files.readString(stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE))).doesNotContain("\"reports\"");
  }

  @Test
  void anUnwritableStateDirectoryKeepsTheWindowInMemoryWithOneWarning() throws Exception {
    Path blocked = stateDir.resolve("blocked");
    Files.writeString(blocked, "a file where the state directory should be");
    try (LogCapture logs = new LogCapture(); MeterFixture f = new MeterFixture(blocked, policy(), clock, UsageReportOptions.builder()
        .setReportInterval(Duration.ofHours(1)))) {
      java.util.List<io.opentelemetry.sdk.metrics.data.MetricData> none = List.of();
      LongCounter counter = f.meter.counterBuilder(COUNTER).build();
      counter.add(2);
      f.export();
      counter.add(3);
      f.export();
      assertThat(f.exporter.windowFile()).isNull();
      assertThat(logs.messages(Level.WARNING)).filteredOn(m -> m.contains("usage-report window")).hasSize(1);
      assertThat(none).isEmpty();
    }
  }

  @Test
  void noiseIsMarkedInTheReportCountsAreWholeAndNotNegativeAndUnboundedValuesAreLeftOut() throws Exception {
    try (MeterFixture f = new MeterFixture(stateDir, policy(), clock,
        UsageReportOptions.builder().setNoise(0.5, 2).setRandom(new Random(42)))) {
      LongCounter counter = f.meter.counterBuilder(COUNTER).build();
      for (String command : List.of("a", "b", "c", "d", "e", "f")) {
        counter.add(1, Attributes.of(COMMAND, command));
      }
      f.meter.histogramBuilder("cli.duration").build().record(123.4);
      f.meter.gaugeBuilder("cli.queue.depth").ofLongs().build().set(77);
      f.export();
      clock.advance(Duration.ofDays(1));
    }
    Map<String, Object> p = properties(reports(stateDir).get(0));
    assertThat(p).containsEntry("noise_epsilon", 0.5).containsEntry("noise_sensitivity", 2.0);
    long sum = 0;
    for (String command : List.of("a", "b", "c", "d", "e", "f")) {
      Object v = p.get("metric.cli.items.inspected{cli.command=" + command + "}");
      assertThat(v).isInstanceOf(Long.class);
      assertThat((Long) v).isNotNegative();
      sum += (Long) v;
    }
    assertThat(p.get("metric.cli.items.inspected")).as("the total is the sum of the noised series").isEqualTo(sum);
    assertThat(sum).as("scale 4 noise on six counts of 1 changes something").isNotEqualTo(6L);
    assertThat(p).containsKey("metric.cli.duration.count").doesNotContainKeys("metric.cli.duration.sum", "metric.cli.queue.depth");
  }

  @Test
  void theEventPrefixAppliesToReportsAndTheDebugOutputShowsThem() throws Exception {
    java.io.ByteArrayOutputStream debug = new java.io.ByteArrayOutputStream();
    dev.otelanalytics.OtelAnalytics analytics = dev.otelanalytics.OtelAnalytics.builder().setServiceName("cli-app")
        .setStateDirectory(stateDir).setPolicy(policy()).setEventPrefix("cf:")
        .setDebugOutput(new java.io.PrintStream(debug, true, StandardCharsets.UTF_8)).build();
    UsageReportExporter exporter = analytics.metricExporter(UsageReportOptions.builder().setClock(clock).build());
    io.opentelemetry.sdk.metrics.SdkMeterProvider provider = io.opentelemetry.sdk.metrics.SdkMeterProvider.builder()
        .registerMetricReader(io.opentelemetry.sdk.metrics.export.PeriodicMetricReader.create(exporter)).build();
    provider.get("x").counterBuilder(COUNTER).build().add(1);
    provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
    clock.advance(Duration.ofDays(1));
    analytics.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);  // shuts the exporter down too
    provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(MeterFixture.events(stateDir)).extracting(e -> e.get("event")).containsExactly("cf:usage_report");
    assertThat(debug.toString(StandardCharsets.UTF_8)).contains("\"event\" : \"cf:usage_report\"")
        .contains("\"metric.cli.items.inspected\" : 1");
    assertThat(exporter.export(List.of())).as("after shutdown").matches(r -> !r.isSuccess());
    assertThat(Instant.parse("2026-03-03T08:00:00Z")).isEqualTo(clock.instant());
  }
}
