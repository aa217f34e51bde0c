package dev.otelanalytics.autoconfigure;

import dev.otelanalytics.OtelAnalytics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The SDK autoconfigure (and Java agent) entry point. When {@code OTEL_ANALYTICS_ENABLED=true}
 * and this service is selected, adds the analytics span processor beside the user's own
 * processors and exporters; otherwise adds nothing at all.
 */
public final class AnalyticsCustomizerProvider implements AutoConfigurationCustomizerProvider {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    // The resource is configured before the tracer provider; remember its service.name.
    AtomicReference<Resource> resource = new AtomicReference<>();
    customizer.addResourceCustomizer(
        (r, config) -> {
          resource.set(r);
          return r;
        });
    customizer.addTracerProviderCustomizer(
        (builder, config) -> {
          OtelAnalytics analytics = AnalyticsSetup.create(config::getString, name -> environment(config, name), serviceName(resource.get(), config));
          if (analytics != null) {
            builder.addSpanProcessor(analytics.spanProcessor());
          }
          return builder;
        });
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
