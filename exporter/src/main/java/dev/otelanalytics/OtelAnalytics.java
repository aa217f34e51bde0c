package dev.otelanalytics;

import dev.otelanalytics.consent.InstallIdentity;
import dev.otelanalytics.delivery.DeliveryStats;
import dev.otelanalytics.delivery.DeliveryWorker;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.metrics.ReportDelivery;
import dev.otelanalytics.metrics.UsageReportExporter;
import dev.otelanalytics.metrics.UsageReportOptions;
import dev.otelanalytics.policy.AttributeScrubber;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Privacy-preserving product analytics for an OpenTelemetry SDK you build by hand:
 *
 * <pre>{@code
 * OtelAnalytics analytics = OtelAnalytics.builder()
 *     .setServiceName("my-cli")
 *     .setPolicy(PolicyLoader.load(Paths.get("analytics-policy.yaml")))
 *     .build();
 * SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
 *     .addSpanProcessor(analytics.spanProcessor())
 *     .build();
 * // Optional: usage reports from the instruments the policy's metrics.allow lists.
 * SdkMeterProvider meterProvider = SdkMeterProvider.builder()
 *     .registerMetricReader(PeriodicMetricReader.create(analytics.metricExporter()))
 *     .build();
 * }</pre>
 *
 * <p>With the SDK autoconfigure or the Java agent nothing of this is needed: set
 * {@code OTEL_ANALYTICS_ENABLED=true} and the extension adds the processor itself (and, with
 * {@code OTEL_METRICS_EXPORTER=otlp,analytics}, the metric exporter).
 */
public final class OtelAnalytics implements Closeable {
  private final AnalyticsSpanProcessor spanProcessor;
  private final SharedWorker shared;
  private final DeliveryWorker worker;
  private final Path stateDirectory;
  private final String destinationName;
  private final boolean remote;
  private final PrivacyPolicy policy;
  private final String eventPrefix;
  private final Supplier<InstallIdentity> identity;
  private final Supplier<AttributeScrubber> scrubber;
  private final List<UsageReportExporter> exporters = new CopyOnWriteArrayList<>();

  OtelAnalytics(AnalyticsSpanProcessor spanProcessor, SharedWorker shared, Path stateDirectory, String destinationName,
      boolean remote, PrivacyPolicy policy, String eventPrefix, Supplier<InstallIdentity> identity,
      Supplier<AttributeScrubber> scrubber) {
    this.spanProcessor = spanProcessor;
    this.shared = shared;
    this.worker = shared.worker();
    this.stateDirectory = stateDirectory;
    this.destinationName = destinationName;
    this.remote = remote;
    this.policy = policy;
    this.eventPrefix = eventPrefix;
    this.identity = identity;
    this.scrubber = scrubber;
  }

  public static OtelAnalyticsBuilder builder() {
    return new OtelAnalyticsBuilder();
  }

  /** The processor to add to your {@code SdkTracerProvider}. */
  public AnalyticsSpanProcessor spanProcessor() {
    return spanProcessor;
  }

  /**
   * A new usage-report exporter for your {@code SdkMeterProvider} (wrap it in a
   * {@code PeriodicMetricReader}): the instruments the policy's {@code metrics.allow} lists,
   * reported every {@code metrics.report_interval} (default 24 h) as one {@code usage_report}
   * event through this instance's policy, queue and destination. Same as
   * {@code metricExporter(UsageReportOptions.defaults())}.
   */
  public UsageReportExporter metricExporter() {
    return metricExporter(UsageReportOptions.defaults());
  }

  /**
   * A new usage-report exporter with {@code options} (a report interval of its own, Laplace
   * noise). Register each exporter with one reader. Exporters of one state directory, in this
   * process or others, add into the same open window, so one report covers them all.
   *
   * <p>The delivery worker keeps running until the span processor and every exporter are shut
   * down (the SDK shuts the tracer provider down before the meter provider), so shut the meter
   * provider down too, or call {@link #shutdown()}.
   */
  public UsageReportExporter metricExporter(UsageReportOptions options) {
    Objects.requireNonNull(options, "options");
    SharedWorker.Lease lease = shared.acquire();
    ReportDelivery delivery = new ReportDelivery() {
      @Override
      public boolean offer(AnalyticsEvent report) {
        return worker.offerEvent(report);
      }

      @Override
      public CompletableResultCode flush() {
        // A worker already shut down would never answer a flush.
        return lease == null ? CompletableResultCode.ofSuccess() : worker.forceFlush();
      }

      @Override
      public boolean remote() {
        return remote;
      }

      @Override
      public CompletableResultCode release() {
        // Made after shutdown: its reports were refused, its counts stay in the window file.
        return lease == null ? CompletableResultCode.ofSuccess() : lease.release();
      }
    };
    UsageReportExporter exporter =
        new UsageReportExporter(policy, stateDirectory, eventPrefix, identity, scrubber, delivery, options);
    exporters.add(exporter);
    return exporter;
  }

  /** What happened to spans and events since start. */
  public DeliveryStats stats() {
    return worker.stats();
  }

  /** The directory holding the install id, hash key and local store. */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** The destination's name, e.g. {@code file}. */
  public String destinationName() {
    return destinationName;
  }

  /** Maps and delivers everything queued so far. */
  public CompletableResultCode forceFlush() {
    return worker.forceFlush();
  }

  /**
   * Shuts down the metric exporters made here (each stores its window and queues a report that is
   * due), then the span processor, which delivers what is queued and stops the worker. The
   * tracer and meter providers' own shutdowns do the same.
   */
  public CompletableResultCode shutdown() {
    List<CompletableResultCode> results = new ArrayList<>();
    for (UsageReportExporter exporter : exporters) {
      results.add(exporter.shutdown());
    }
    results.add(spanProcessor.shutdown());
    return CompletableResultCode.ofAll(results);
  }

  @Override
  public void close() {
    shutdown();
  }
}
