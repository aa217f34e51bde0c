package dev.otelanalytics.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSummaryData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSummaryPointData;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accumulator and the window on their own, with hand-made metric data. */
class UsageAccumulatorTest {
  static final AttributeKey<String> COMMAND = AttributeKey.stringKey("cli.command");
  static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.builder("scope-qsecretscope").setVersion("9.9-qsecretversion").build();
  static final Resource RESOURCE = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "svc"));

  final PrivacyPolicy policy = PrivacyPolicy.defaultPolicy().toBuilder()
      .allowAttribute("cli.command", "which command", AttributeType.text())
      .allowMetric("c", "a counter").allowMetric("u", "an up-down counter").allowMetric("d", "a double counter")
      .allowMetric("s", "a summary").allowMetric("g", "a gauge")
      .build();
  final AttributeScrubber scrubber = new AttributeScrubber(policy, new KeyedHasher(new byte[32]));
  final UsageAccumulator accumulator = new UsageAccumulator(policy, () -> scrubber);

  static MetricData longSum(String name, boolean monotonic, AggregationTemporality temporality, LongPointData... points) {
    return ImmutableMetricData.createLongSum(RESOURCE, SCOPE, name, "description-qsecretdescr", "{unit-qsecretunit}",
        ImmutableSumData.create(monotonic, temporality, List.of(points)));
  }

  static LongPointData point(long start, long value, Attributes attributes) {
    return ImmutableLongPointData.create(start, start + 1000, attributes, value);
  }

  static LongPointData point(long start, long value) {
    return point(start, value, Attributes.empty());
  }

  Map<String, Object> values() {
    UsageWindow pending = accumulator.takePending();
    Map<String, Object> out = new LinkedHashMap<>();
    pending.series().forEach((k, v) -> out.put(k.metric() + k.label(),
        v.kind == SeriesValue.Kind.HISTOGRAM ? v.count + "/" + v.sum : v.value()));
    accumulator.restore(pending);
    return out;
  }

  @Test
  void cumulativeSumsBecomeDeltasAndResetsCountFromZero() {
    AggregationTemporality cumulative = AggregationTemporality.CUMULATIVE;
    accumulator.add(List.of(longSum("c", true, cumulative, point(1, 10))));
    accumulator.add(List.of(longSum("c", true, cumulative, point(1, 15))));
    assertThat(values()).containsEntry("c", 15L);
    // Restarted (new start time): its value counts from zero.
    accumulator.add(List.of(longSum("c", true, cumulative, point(2, 4))));
    assertThat(values()).containsEntry("c", 19L);
    // A counter that went down was reset too.
    accumulator.add(List.of(longSum("c", true, cumulative, point(2, 2))));
    assertThat(values()).containsEntry("c", 21L);
    // Up-down counters may go down: that is a negative delta, not a reset.
    accumulator.add(List.of(longSum("u", false, cumulative, point(1, 5))));
    accumulator.add(List.of(longSum("u", false, cumulative, point(1, 3))));
    assertThat(values()).containsEntry("u", 3L);
  }

  @Test
  void rawSeriesAreTrackedSeparatelyEvenWhenTheyCollapseIntoOne() {
    AggregationTemporality cumulative = AggregationTemporality.CUMULATIVE;
    Attributes alice = Attributes.of(COMMAND, "inspect", AttributeKey.stringKey("user"), "alice");
    Attributes bob = Attributes.of(COMMAND, "inspect", AttributeKey.stringKey("user"), "bob");
    accumulator.add(List.of(longSum("c", true, cumulative, point(1, 10, alice), point(1, 1, bob))));
    accumulator.add(List.of(longSum("c", true, cumulative, point(1, 12, alice), point(1, 5, bob))));
    assertThat(values()).containsEntry("c{cli.command=inspect}", 17L).hasSize(1);
  }

  @Test
  void doubleSumsSummariesAndGauges() {
    AggregationTemporality cumulative = AggregationTemporality.CUMULATIVE;
    List<DoublePointData> d1 = List.of(ImmutableDoublePointData.create(1, 2, Attributes.empty(), 1.25));
    List<DoublePointData> d2 = List.of(ImmutableDoublePointData.create(1, 3, Attributes.empty(), 2.0));
    accumulator.add(List.of(ImmutableMetricData.createDoubleSum(RESOURCE, SCOPE, "d", "", "", ImmutableSumData.create(true, cumulative, d1))));
    accumulator.add(List.of(ImmutableMetricData.createDoubleSum(RESOURCE, SCOPE, "d", "", "", ImmutableSumData.create(true, cumulative, d2))));
    List<SummaryPointData> s1 = List.of(ImmutableSummaryPointData.create(1, 2, Attributes.empty(), 3, 30.0, List.of()));
    List<SummaryPointData> s2 = List.of(ImmutableSummaryPointData.create(1, 3, Attributes.empty(), 5, 70.0, List.of()));
    accumulator.add(List.of(ImmutableMetricData.createDoubleSummary(RESOURCE, SCOPE, "s", "", "", ImmutableSummaryData.create(s1))));
    accumulator.add(List.of(ImmutableMetricData.createDoubleSummary(RESOURCE, SCOPE, "s", "", "", ImmutableSummaryData.create(s2))));
    accumulator.add(List.of(ImmutableMetricData.createLongGauge(RESOURCE, SCOPE, "g", "", "",
        ImmutableGaugeData.create(List.of(ImmutableLongPointData.create(0, 100, Attributes.empty(), 8))))));
    accumulator.add(List.of(ImmutableMetricData.createLongGauge(RESOURCE, SCOPE, "g", "", "",
        ImmutableGaugeData.create(List.of(ImmutableLongPointData.create(0, 50, Attributes.empty(), 99))))));
    assertThat(values()).containsEntry("d", 2.0).containsEntry("s", "5/70.0").containsEntry("g", 8L);
  }

  @Test
  void anInstrumentNameSeenAsAnotherKindIsDroppedNotMixed() {
    accumulator.add(List.of(longSum("g", true, AggregationTemporality.DELTA, point(1, 5))));
    accumulator.add(List.of(ImmutableMetricData.createLongGauge(RESOURCE, SCOPE, "g", "", "",
        ImmutableGaugeData.create(List.of(ImmutableLongPointData.create(0, 1, Attributes.empty(), 8))))));
    UsageWindow pending = accumulator.takePending();
    assertThat(pending.series()).hasSize(1);
    assertThat(pending.series().values().iterator().next().kind).isEqualTo(SeriesValue.Kind.SUM);
    assertThat(pending.kindConflicts()).isEqualTo(1);
  }

  @Test
  void labelsEscapeTheirSeparators() {
    accumulator.add(List.of(longSum("c", true, AggregationTemporality.DELTA, point(1, 1, Attributes.of(COMMAND, "a,b=c{d}\\e")))));
    assertThat(values()).containsOnlyKeys("c{cli.command=a\\,b\\=c\\{d\\}\\\\e}");
  }

  @Test
  void beyondAHundredSeriesPerInstrumentPointsCountWithoutAttributes() {
    List<LongPointData> points = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      points.add(point(1, 1, Attributes.of(COMMAND, "command-" + i)));
    }
    accumulator.add(List.of(longSum("c", true, AggregationTemporality.DELTA, points.toArray(new LongPointData[0]))));
    Map<String, Object> values = values();
    assertThat(values).hasSize(UsageWindow.MAX_SERIES_PER_METRIC + 1).containsEntry("c", 50L);
    assertThat(values.values().stream().mapToLong(v -> (Long) v).sum()).isEqualTo(150);
  }

  @Test
  void theWindowFileRoundTripsExactlyAndHoldsNoScopeDescriptionOrUnit() throws Exception {
    accumulator.add(List.of(longSum("c", true, AggregationTemporality.DELTA, point(1, Long.MAX_VALUE - 1, Attributes.of(COMMAND, "x")))));
    accumulator.add(List.of(longSum("u", false, AggregationTemporality.DELTA, point(1, -4))));
    accumulator.add(List.of(ImmutableMetricData.createDoubleSum(RESOURCE, SCOPE, "d", "", "", ImmutableSumData.create(true,
        AggregationTemporality.DELTA, List.of(ImmutableDoublePointData.create(1, 2, Attributes.empty(), 3.0))))));
    accumulator.add(List.of(ImmutableMetricData.createLongGauge(RESOURCE, SCOPE, "g", "", "",
        ImmutableGaugeData.create(List.of(ImmutableLongPointData.create(0, 1_700_000_000_123_456_789L, Attributes.empty(), 8))))));
    UsageWindow window = accumulator.takePending();
    window.setStart(Instant.parse("2026-03-02T08:00:00.123Z"));
    byte[] json = window.toJson();
    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("qsecret").contains("\"service.name\":\"svc\"");
    UsageWindow back = UsageWindow.parse(json);
    assertThat(back.start()).isEqualTo(window.start());
    assertThat(new String(back.toJson(), StandardCharsets.UTF_8)).isEqualTo(text);
    SeriesValue c = back.series().get(new SeriesKey("c", Map.of("cli.command", "x")));
    assertThat(c.value()).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(back.series().get(SeriesKey.of("d")).value()).isEqualTo(3.0);
    assertThat(back.series().get(SeriesKey.of("u")).monotonic).isFalse();
    assertThat(back.series().get(SeriesKey.of("g")).atEpochNanos).isEqualTo(1_700_000_000_123_456_789L);
    // Long sums saturate instead of wrapping around.
    accumulator.restore(back);
    accumulator.add(List.of(longSum("c", true, AggregationTemporality.DELTA, point(1, 10, Attributes.of(COMMAND, "x")))));
    assertThat(values()).containsEntry("c{cli.command=x}", Long.MAX_VALUE);
  }
}
