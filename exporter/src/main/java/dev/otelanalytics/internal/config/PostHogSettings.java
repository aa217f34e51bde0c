package dev.otelanalytics.internal.config;

import static dev.otelanalytics.internal.config.AnalyticsConfig.POSTHOG_API_KEY;
import static dev.otelanalytics.internal.config.AnalyticsConfig.POSTHOG_COMPRESSION;
import static dev.otelanalytics.internal.config.AnalyticsConfig.POSTHOG_ENDPOINT;

import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.destination.PostHogDestinationBuilder;
import java.time.Duration;

/**
 * The {@code OTEL_EXPORTER_POSTHOG_*} settings applied to a {@link PostHogDestinationBuilder}, as
 * OpenTelemetry's autoconfigure configures its exporters: a setter is called only for a setting
 * that is set, so every default stays in the builder. The builder's own refusal becomes the
 * setting's one-line error.
 */
final class PostHogSettings {
  private PostHogSettings() {}

  static PostHogDestination read(SettingsReader r, Duration timeout) throws InvalidSettingException {
    PostHogDestinationBuilder builder = PostHogDestination.builder();
    if (timeout != null) {
      builder.setTimeout(timeout);
    }
    String key = r.raw(POSTHOG_API_KEY);
    if (key == null) {
      throw InvalidSettingException.notSet(POSTHOG_API_KEY,
          "the posthog destination needs your project API key (phc_…, in PostHog under Project settings)");
    }
    try {
      builder.setApiKey(key);
    } catch (IllegalArgumentException e) {
      throw InvalidSettingException.problem(POSTHOG_API_KEY, e.getMessage());
    }
    String endpoint = r.raw(POSTHOG_ENDPOINT);
    if (endpoint != null) {
      try {
        builder.setEndpoint(endpoint);
      } catch (IllegalArgumentException e) {
        throw InvalidSettingException.problem(POSTHOG_ENDPOINT, e.getMessage());
      }
    }
    String compression = r.raw(POSTHOG_COMPRESSION);
    if (compression != null) {
      try {
        builder.setCompression(compression);
      } catch (IllegalArgumentException e) {
        throw InvalidSettingException.badValue(POSTHOG_COMPRESSION, compression, "gzip or none");
      }
    }
    return builder.build();
  }
}
