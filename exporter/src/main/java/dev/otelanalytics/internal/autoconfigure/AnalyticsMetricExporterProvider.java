package dev.otelanalytics.internal.autoconfigure;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/**
 * The metric exporter named {@code analytics}: {@code OTEL_METRICS_EXPORTER=analytics}, or beside
 * the service's own exporters, {@code OTEL_METRICS_EXPORTER=otlp,analytics}. It turns the
 * instruments the privacy policy's {@code metrics.allow} (or {@code OTEL_ANALYTICS_ALLOWED_METRICS})
 * lists into periodic {@code usage_report} events (see {@code UsageReportExporter}).
 *
 * <p>What this provider returns exports nothing by itself. {@link AnalyticsCustomizerProvider}
 * (in the same jar) replaces it with the real exporter, sharing one delivery worker with the span
 * processor, when analytics runs for this service. When analytics is disabled, not for this
 * service, opted out or misconfigured, it stays a no-op, so the SDK starts as usual; the setup
 * logs at most one line about why, as it does for spans.
 */
public final class AnalyticsMetricExporterProvider implements ConfigurableMetricExporterProvider {
  /** The name to put in {@code OTEL_METRICS_EXPORTER}. */
  public static final String NAME = "analytics";

  @Override
  public MetricExporter createExporter(ConfigProperties config) {
    return new Placeholder();
  }

  @Override
  public String getName() {
    return NAME;
  }

  /** Exports nothing; swapped for the real exporter when analytics runs. */
  static final class Placeholder implements MetricExporter {
    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      // Delta: the SDK keeps no cumulative state for an exporter that drops everything.
      return AggregationTemporality.DELTA;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public String toString() {
      return "AnalyticsMetricExporter{off: exports nothing}";
    }
  }
}
