package dev.otelanalytics;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.Memoized;
import dev.otelanalytics.internal.delivery.DeliveryCounters;
import dev.otelanalytics.internal.delivery.DeliveryWorker;
import dev.otelanalytics.internal.metrics.LaplaceNoise;
import dev.otelanalytics.internal.metrics.ReportDelivery;
import dev.otelanalytics.internal.metrics.UsageReporter;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * <p>The person running the app keeps control: their opt-outs and stored level apply here exactly
 * as with the SDK autoconfigure (see {@link OtelAnalyticsBuilder}); when they turned analytics
 * off, {@link #level()} is {@code off} and the processor and exporters do nothing.
 *
 * <p>With the SDK autoconfigure or the Java agent nothing of this is needed: set
 * {@code OTEL_ANALYTICS_ENABLED=true} and the extension adds the processor itself (and, with
 * {@code OTEL_METRICS_EXPORTER=analytics}, the metric exporter; {@code otlp,analytics} also needs
 * opentelemetry-exporter-otlp on the class path).
 */
public final class OtelAnalytics implements Closeable {
  private final AnalyticsLevel level;
  private final AnalyticsSpanProcessor spanProcessor;
  private final SharedWorker shared;
  private final DeliveryWorker worker;
  private final DeliveryCounters counters;
  private final StateDirectory state;
  private final String destinationName;
  private final boolean remote;
  private final PrivacyPolicy policy;
  private final String eventPrefix;
  private final Memoized<InstallIdentity> identity;
  private final Memoized<AttributeScrubber> scrubber;
  private final List<UsageReportExporter> exporters = new CopyOnWriteArrayList<>();

  OtelAnalytics(AnalyticsLevel level, AnalyticsSpanProcessor spanProcessor, SharedWorker shared, DeliveryCounters counters,
      StateDirectory state, String destinationName, boolean remote, PrivacyPolicy policy, String eventPrefix,
      Memoized<InstallIdentity> identity, Memoized<AttributeScrubber> scrubber) {
    this.level = level;
    this.spanProcessor = spanProcessor;
    this.shared = shared;
    this.worker = shared == null ? null : shared.worker();
    this.counters = counters;
    this.state = state;
    this.destinationName = destinationName;
    this.remote = remote;
    this.policy = policy;
    this.eventPrefix = eventPrefix;
    this.identity = identity;
    this.scrubber = scrubber;
  }

  /** Analytics that is off: nothing is started or written, and the processor and exporters do nothing. */
  static OtelAnalytics off(StateDirectory state) {
    return new OtelAnalytics(AnalyticsLevel.OFF, AnalyticsSpanProcessor.disabled(), null, new DeliveryCounters(), state, "none", false,
        PrivacyPolicy.defaultPolicy(), "", null, null);
  }

  /**
   * A builder; its setters are the app developer's choices, and the person's own choices apply on top.
   *
   * @return a new builder
   */
  public static OtelAnalyticsBuilder builder() {
    return new OtelAnalyticsBuilder();
  }

  /**
   * The level in force, decided once at {@link OtelAnalyticsBuilder#build()}: the most private of
   * what the code, the settings and the person using the app chose.
   *
   * @return {@code off} (nothing runs), {@code local} (events stay on this machine) or {@code anonymous}
   */
  public AnalyticsLevel level() {
    return level;
  }

  /**
   * The processor to add to your {@code SdkTracerProvider}.
   *
   * @return the processor; it does nothing when {@link #level()} is {@code off}
   */
  public AnalyticsSpanProcessor spanProcessor() {
    return spanProcessor;
  }

  /**
   * A new usage-report exporter for your {@code SdkMeterProvider} (wrap it in a
   * {@code PeriodicMetricReader}): the instruments the policy's {@code metrics.allow} lists,
   * reported every {@code metrics.report_interval} (default 24 h) as one {@code usage_report}
   * event through this instance's policy, queue and destination. Same as
   * {@code metricExporter(UsageReportOptions.defaults())}.
   *
   * @return a new exporter; it exports nothing when {@link #level()} is {@code off}
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
   *
   * @param options the exporter's options
   * @return a new exporter; it exports nothing when {@link #level()} is {@code off}
   */
  public UsageReportExporter metricExporter(UsageReportOptions options) {
    Objects.requireNonNull(options, "options");
    if (shared == null) {
      return new UsageReportExporter(null, options);
    }
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

      @Override
      public CompletableResultCode release(Duration timeLeft) {
        return lease == null ? CompletableResultCode.ofSuccess() : lease.release(timeLeft);
      }

      @Override
      public Duration shutdownTimeout() {
        return shared.shutdownTimeout();
      }
    };
    Duration interval = options.reportInterval() != null ? options.reportInterval() : policy.reportInterval();
    LaplaceNoise noise =
        options.noise() ? new LaplaceNoise(options.noiseEpsilon(), options.noiseSensitivity(), options.random()) : null;
    UsageReporter reporter =
        new UsageReporter(policy, state, eventPrefix, identity, scrubber, delivery, interval, options.clock(), noise);
    UsageReportExporter exporter = new UsageReportExporter(reporter, options);
    exporters.add(exporter);
    return exporter;
  }

  /**
   * What happened to spans and events since start.
   *
   * @return a snapshot of the counters
   */
  public DeliveryStats stats() {
    if (shared == null) {
      return new DeliveryStats(counters, 0, null, 0, null);
    }
    return shared.stats();
  }

  /**
   * The directory holding the install id, hash key and local store.
   *
   * @return the directory (it may not exist yet)
   */
  public Path stateDirectory() {
    return state.root();
  }

  /**
   * The destination's name.
   *
   * @return e.g. {@code file}, {@code posthog}; {@code none} when analytics is off
   */
  public String destinationName() {
    return destinationName;
  }

  /**
   * Maps and delivers everything queued so far.
   *
   * @return completes when done
   */
  public CompletableResultCode forceFlush() {
    return worker == null ? CompletableResultCode.ofSuccess() : worker.forceFlush();
  }

  /**
   * Shuts down the metric exporters made here (each stores its window and queues a report that is
   * due), then the span processor, which delivers what is queued and stops the worker. The
   * tracer and meter providers' own shutdowns do the same.
   *
   * @return completes when done, within {@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT}
   */
  public CompletableResultCode shutdown() {
    List<CompletableResultCode> results = new ArrayList<>();
    for (UsageReportExporter exporter : exporters) {
      results.add(exporter.shutdown());
    }
    results.add(spanProcessor.shutdown());
    return CompletableResultCode.ofAll(results);
  }

  /** Same as {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }

  @Override
  public String toString() {
    return "OtelAnalytics{level=" + level.settingValue() + ", destination=" + destinationName + "}";
  }
}
