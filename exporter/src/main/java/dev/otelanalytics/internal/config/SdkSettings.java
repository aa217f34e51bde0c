package dev.otelanalytics.internal.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * The settings as the OpenTelemetry SDK autoconfigure (or the Java agent) hands them over: its
 * configuration, which already holds this process's system properties and environment variables.
 * Handing the builder this type, rather than any function, tells it that analytics was asked for
 * by the settings and not by the app's code, which decides what an unset
 * {@code OTEL_ANALYTICS_ENABLED} means and what {@code telemetry status} reports.
 */
public final class SdkSettings implements Function<String, String> {
  private final Function<String, String> config;

  public SdkSettings(Function<String, String> config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public String apply(String property) {
    return config.apply(property);
  }
}
