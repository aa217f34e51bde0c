package dev.otelanalytics.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.UsageReportExporter;
import dev.otelanalytics.UsageReportOptions;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.leaks.FuzzCorpus.Case;
import dev.otelanalytics.leaks.NeedleScanner.Hit;
import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.LogCapture;
import dev.otelanalytics.testing.MutableClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak suite for usage reports: every canary of {@link FuzzCorpus} (e-mails, IPs, home paths,
 * URLs with secrets, tokens, card numbers, in all their wrappings) is put into one place a metric
 * can carry, and the report pipeline runs through a real SdkMeterProvider. Every byte of every
 * output is then searched for every canary: the file destination, the debug output, every file in
 * the state directory (the open window before the report, and after), and every log record of
 * otel-analytics. The SDK's own log records are the SDK's (it logs an invalid unit, say) and are
 * not searched.
 *
 * <p>The places: an allowlisted data-point attribute (so the value guards are what is tested), an
 * unlisted attribute, an attribute key, an instrument name (not allowlisted, made a valid name by
 * the SDK's rules), an instrument description and unit (of allowlisted instruments), and the
 * meter's scope name and version. Card numbers also go in as long and double attribute values.
 * No input may leak, and every point must still be counted in the totals.
 */
class MetricLeakFuzzTest {
  static final String ALLOWED_KEY = "app.target";
  static final String UNLISTED_KEY = "app.note";
  /** Allowlisted instruments for the attribute places, so no instrument comes near the series cap. */
  static final int COUNTERS = 60;

  enum Place {
    POINT_ATTR_ALLOWED, POINT_ATTR_UNLISTED, POINT_ATTR_KEY, INSTRUMENT_NAME, INSTRUMENT_DESCRIPTION, INSTRUMENT_UNIT,
    SCOPE_NAME, SCOPE_VERSION, POINT_ATTR_ALLOWED_LONG, POINT_ATTR_ALLOWED_DOUBLE
  }

  static final Place[] TEXT_PLACES = {
    Place.POINT_ATTR_ALLOWED, Place.POINT_ATTR_UNLISTED, Place.POINT_ATTR_KEY, Place.INSTRUMENT_NAME,
    Place.INSTRUMENT_DESCRIPTION, Place.INSTRUMENT_UNIT, Place.SCOPE_NAME, Place.SCOPE_VERSION
  };

  @TempDir Path stateDir;

  static Place placeOf(Case c) {
    if (c.field().numericOnly()) {
      return c.index() % 2 == 0 ? Place.POINT_ATTR_ALLOWED_LONG : Place.POINT_ATTR_ALLOWED_DOUBLE;
    }
    return TEXT_PLACES[c.index() % TEXT_PLACES.length];
  }

  /** The SDK drops instruments with invalid names: make the canary a valid name that still carries it. */
  static String instrumentName(String input) {
    String name = input.replaceAll("[^A-Za-z0-9_./-]", ".");
    if (!Character.isLetter(name.charAt(0)) || name.charAt(0) > 'z') {
      name = "n" + name;
    }
    return name.length() > 255 ? name.substring(0, 255) : name;
  }

  @Test
  void noCanaryInAnyMetricPlaceReachesAnyOutputAndEveryPointIsCounted() throws Exception {
    List<Case> cases = FuzzCorpus.generate();
    NeedleScanner scanner = new NeedleScanner();
    Map<Place, Integer> perPlace = new TreeMap<>();
    PrivacyPolicy.Builder policy = PrivacyPolicy.defaultPolicy().toBuilder()
        .allowAttribute(ALLOWED_KEY, "the fuzzed value", AttributeType.text()) // free text: the guards are under test
        .allowMetric("leak.scoped", "scope cases");
    for (int i = 0; i < COUNTERS; i++) {
      policy.allowMetric("leak.count." + i, "attribute cases");
    }
    for (Case c : cases) {
      Place place = placeOf(c);
      perPlace.merge(place, 1, Integer::sum);
      for (String needle : c.needles()) {
        scanner.add(needle, c.index());
      }
      if (place == Place.INSTRUMENT_NAME) {
        scanner.add(instrumentName(c.input()), c.index());
      }
      if (place == Place.INSTRUMENT_DESCRIPTION || place == Place.INSTRUMENT_UNIT) {
        policy.allowMetric("leak.described." + c.index(), "description and unit cases");
      }
    }
    scanner.build();
    assertThat(perPlace.keySet()).containsExactlyInAnyOrder(Place.values());

    MutableClock clock = MutableClock.at("2026-03-02T08:00:00Z");
    ByteArrayOutputStream debug = new ByteArrayOutputStream();
    Map<String, byte[]> outputs = new LinkedHashMap<>();
    long expectedTotal = 0;
    try (LogCapture logs = new LogCapture()) {
      OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("leak-fuzz").setStateDirectory(stateDir)
          .setPolicy(policy.build()).setDebugOutput(new PrintStream(debug, true, StandardCharsets.UTF_8)).build();
      UsageReportExporter exporter = analytics.metricExporter(UsageReportOptions.builder().setClock(clock).build());
      SdkMeterProvider provider = SdkMeterProvider.builder().setResource(Resource.getDefault())
          .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofDays(1)).build()).build();
      Meter meter = provider.get("leak-fuzz");
      int n = 0;
      for (Case c : cases) {
        String x = c.input();
        String counter = "leak.count." + (c.index() % COUNTERS);
        switch (placeOf(c)) {
          case POINT_ATTR_ALLOWED:
            meter.counterBuilder(counter).build().add(1, Attributes.of(AttributeKey.stringKey(ALLOWED_KEY), x));
            break;
          case POINT_ATTR_UNLISTED:
            meter.counterBuilder(counter).build().add(1, Attributes.of(AttributeKey.stringKey(UNLISTED_KEY), x));
            break;
          case POINT_ATTR_KEY:
            meter.counterBuilder(counter).build().add(1, Attributes.of(AttributeKey.stringKey(x), "benign"));
            break;
          case POINT_ATTR_ALLOWED_LONG:
            meter.counterBuilder(counter).build().add(1, Attributes.of(AttributeKey.longKey(ALLOWED_KEY), c.number()));
            break;
          case POINT_ATTR_ALLOWED_DOUBLE:
            meter.counterBuilder(counter).build().add(1, Attributes.of(AttributeKey.doubleKey(ALLOWED_KEY), (double) c.number()));
            break;
          case INSTRUMENT_NAME:
            meter.counterBuilder(instrumentName(x)).build().add(1);
            expectedTotal--;   // not allowlisted: never counted
            break;
          case INSTRUMENT_DESCRIPTION:
            meter.counterBuilder("leak.described." + c.index()).setDescription(x).build().add(1);
            break;
          case INSTRUMENT_UNIT:
            meter.counterBuilder("leak.described." + c.index()).setUnit(x).build().add(1);
            break;
          case SCOPE_NAME:
            provider.get(x).counterBuilder("leak.scoped").build().add(1);
            break;
          case SCOPE_VERSION:
            provider.meterBuilder("leak-fuzz").setInstrumentationVersion(x).build().counterBuilder("leak.scoped").build().add(1);
            break;
          default:
            throw new AssertionError(placeOf(c));
        }
        expectedTotal++;
        if (++n % 500 == 0) {
          // The SDK's default cardinality limit is per collection: export now and then, as its timer would.
          assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
      }
      assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      outputs.put("open window file (before the report)", Files.readAllBytes(stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE)));
      clock.advance(Duration.ofDays(1));
      assertThat(provider.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(analytics.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      outputs.put("otel-analytics log records", String.join("\n", logs.messages(Level.ALL)).getBytes(StandardCharsets.UTF_8));
    }
    outputs.put("debug output", debug.toByteArray());
    try (Stream<Path> files = Files.walk(stateDir)) {
      for (Path f : files.collect(Collectors.toList())) {
        String relative = stateDir.relativize(f).toString();
        outputs.put("state dir file name " + relative, relative.getBytes(StandardCharsets.UTF_8));
        if (Files.isRegularFile(f)) {
          outputs.put("state dir file " + relative, Files.readAllBytes(f));
        }
      }
    }

    // Every point arrived: the totals of all instruments add up to every allowlisted point.
    List<Map<String, Object>> reports = new ArrayList<>();
    try (Stream<Path> files = Files.list(stateDir.resolve(StateDirectory.EVENTS_DIRECTORY))) {
      for (Path f : files.collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          reports.add(Json.object(line));
        }
      }
    }
    assertThat(reports).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> p = (Map<String, Object>) reports.get(0).get("properties");
    long total = p.entrySet().stream().filter(e -> e.getKey().startsWith("metric.") && !e.getKey().contains("{"))
        .mapToLong(e -> (Long) e.getValue()).sum();
    assertThat(total).as("points counted").isEqualTo(expectedTotal);
    assertThat(p.keySet()).filteredOn(k -> k.startsWith("metric.")).allMatch(k -> k.startsWith("metric.leak."));

    Map<Integer, Set<String>> leaks = new TreeMap<>();
    long bytes = 0;
    for (Map.Entry<String, byte[]> output : outputs.entrySet()) {
      bytes += output.getValue().length;
      for (Hit hit : scanner.scan(output.getValue())) {
        leaks.computeIfAbsent(hit.owner(), i -> new LinkedHashSet<>()).add(output.getKey() + " (found '" + hit.needle() + "')");
      }
    }
    StringBuilder report = new StringBuilder("[metric-leak-fuzz] " + cases.size() + " cases " + perPlace + ", "
        + outputs.size() + " outputs, " + bytes + " bytes scanned; " + leaks.size() + " leaking inputs\n");
    leaks.forEach((index, where) -> {
      Case c = cases.get(index);
      report.append("  LEAK ").append(c.id()).append(" kind=").append(c.kind()).append(" place=").append(placeOf(c))
          .append(" input=").append(LeakFuzzTest.javaLiteral(c.input())).append('\n');
      where.forEach(w -> report.append("      in ").append(w).append('\n'));
    });
    System.out.print(report);
    assertThat(leaks).as(report.toString()).isEmpty();
  }
}
