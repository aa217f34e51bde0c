package dev.otelanalytics.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.UsageReportExporter;
import dev.otelanalytics.UsageReportOptions;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.MutableClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One "process": OtelAnalytics (file destination in the state directory) and a real
 * SdkMeterProvider whose PeriodicMetricReader never fires by itself; {@link #export()} makes the
 * SDK collect and export now, as its timer would.
 */
final class MeterFixture implements AutoCloseable {
  static final Resource RESOURCE = Resource.create(Attributes.of(
      AttributeKey.stringKey("service.name"), "cli-app", AttributeKey.stringKey("service.version"), "1.4.2",
      AttributeKey.stringKey("host.name"), "alice-laptop"));

  final Path stateDir;
  final OtelAnalytics analytics;
  final UsageReportExporter exporter;
  final SdkMeterProvider provider;
  final Meter meter;
  private boolean closed;

  MeterFixture(Path stateDir, PrivacyPolicy policy, MutableClock clock, UsageReportOptions.Builder options) {
    this(stateDir, policy, clock, options, e -> e);
  }

  /** @param wrap wraps the exporter before the reader sees it (to force cumulative temporality, say) */
  MeterFixture(Path stateDir, PrivacyPolicy policy, MutableClock clock, UsageReportOptions.Builder options,
      Function<MetricExporter, MetricExporter> wrap) {
    this.stateDir = stateDir;
    this.analytics = OtelAnalytics.builder().setServiceName("cli-app").setStateDirectory(stateDir).setPolicy(policy)
        .setFlushInterval(Duration.ofHours(1)).setShutdownTimeout(Duration.ofSeconds(10)).build();
    this.exporter = analytics.metricExporter(options.setClock(clock).build());
    this.provider = SdkMeterProvider.builder().setResource(RESOURCE)
        .registerMetricReader(PeriodicMetricReader.builder(wrap.apply(exporter)).setInterval(Duration.ofDays(1)).build())
        .build();
    this.meter = provider.get("test-scope");
  }

  /** The SDK collects and exports now, then flushes the exporter (and so the delivery worker). */
  void export() {
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).as("export and flush succeeded").isTrue();
  }

  /** Shuts the meter provider down (its final export), then analytics. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).as("meter provider shutdown").isTrue();
      assertThat(analytics.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).as("analytics shutdown").isTrue();
    }
  }

  /** Every event in the file destination. */
  static List<Map<String, Object>> events(Path stateDir) {
    Path dir = stateDir.resolve(StateDirectory.EVENTS_DIRECTORY);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isEmpty()) {
            out.add(Json.object(line));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The usage reports in the file destination, oldest first. */
  static List<Map<String, Object>> reports(Path stateDir) {
    return events(stateDir).stream().filter(e -> UsageReportExporter.REPORT_EVENT.equals(e.get("event")))
        .collect(Collectors.toList());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> event) {
    return (Map<String, Object>) event.get("properties");
  }

  /** Every byte of every file under {@code dir}, as text. */
  static String allFiles(Path dir) {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.collect(Collectors.toList())) {
        out.append(dir.relativize(f)).append('\n');
        if (Files.isRegularFile(f)) {
          out.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).append('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
