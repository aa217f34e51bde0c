package dev.otelanalytics.testing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.Map;

/** Builds an SDK through the real autoconfigure, with our SPI found on the class path. */
public final class AutoConfigured {
  private AutoConfigured() {}

  /** An SDK configured by {@code properties} (no exporters unless the properties name them). */
  public static OpenTelemetrySdk sdk(Map<String, String> properties) {
    return sdk(properties, Resource.empty());
  }

  /** As {@link #sdk(Map)}, with {@code extraResource} merged into the configured resource. */
  public static OpenTelemetrySdk sdk(Map<String, String> properties, Resource extraResource) {
    Map<String, String> all = new HashMap<>();
    all.put("otel.traces.exporter", "none");
    all.put("otel.metrics.exporter", "none");
    all.put("otel.logs.exporter", "none");
    all.putAll(properties);
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> all)
        .addResourceCustomizer((resource, config) -> resource.merge(extraResource))
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }
}
