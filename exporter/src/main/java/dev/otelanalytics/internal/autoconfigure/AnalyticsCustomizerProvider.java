package dev.otelanalytics.internal.autoconfigure;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.UsageReportOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The SDK autoconfigure (and Java agent) entry point. When {@code OTEL_ANALYTICS_ENABLED=true}
 * and this service is selected, adds the analytics span processor beside the user's own
 * processors and exporters, and makes the {@code analytics} metric exporter
 * ({@link AnalyticsMetricExporterProvider}) real; otherwise adds nothing at all. Both share one
 * {@link OtelAnalytics}, decided on once per SDK.
 */
public final class AnalyticsCustomizerProvider implements AutoConfigurationCustomizerProvider {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    // The resource is configured before the meter and tracer providers; remember its service.name.
    AtomicReference<Resource> resource = new AtomicReference<>();
    customizer.addResourceCustomizer(
        (r, config) -> {
          resource.set(r);
          return r;
        });
    Shared shared = new Shared(resource);
    // The meter provider is configured before the tracer provider: whichever comes first decides.
    customizer.addMetricExporterCustomizer(
        (exporter, config) -> exporter instanceof AnalyticsMetricExporterProvider.Placeholder
            ? shared.metricExporter(exporter, config)
            : exporter);
    customizer.addTracerProviderCustomizer(
        (builder, config) -> {
          OtelAnalytics analytics = shared.analytics(config);
          if (analytics != null) {
            builder.addSpanProcessor(analytics.spanProcessor());
          }
          return builder;
        });
  }

  /** The one {@link OtelAnalytics} of this SDK (or none), created on first use. */
  private static final class Shared {
    private final AtomicReference<Resource> resource;
    private boolean decided;
    private OtelAnalytics analytics;
    private UsageReportOptions reportOptions;

    Shared(AtomicReference<Resource> resource) {
      this.resource = resource;
    }

    synchronized OtelAnalytics analytics(ConfigProperties config) {
      if (!decided) {
        decided = true;
        AnalyticsSetup.Started started = AnalyticsSetup.start(
            config::getString, name -> environment(config, name), serviceName(resource.get(), config), System.err);
        if (started != null) {
          analytics = started.analytics;
          reportOptions = started.reportOptions;
        }
      }
      return analytics;
    }

    /** The real usage-report exporter, or {@code placeholder} (exports nothing) when analytics is off. */
    MetricExporter metricExporter(MetricExporter placeholder, ConfigProperties config) {
      OtelAnalytics running = analytics(config);
      if (running == null) {
        return placeholder;
      }
      return running.metricExporter(reportOptions);
    }
  }

  private static String serviceName(Resource resource, ConfigProperties config) {
    String name = resource == null ? null : resource.getAttribute(SERVICE_NAME);
    if (name == null) {
      name = config.getString("otel.service.name");
    }
    return name == null ? "unknown_service:java" : name;
  }

  /** OpenTelemetry's config holds every environment variable under its dotted lower-case name. */
  private static String environment(ConfigProperties config, String variable) {
    String value = config.getString(AnalyticsSetup.propertyNameOf(variable));
    return value != null ? value : System.getenv(variable);
  }
}
