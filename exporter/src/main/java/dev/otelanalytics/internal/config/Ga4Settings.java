package dev.otelanalytics.internal.config;

import static dev.otelanalytics.internal.config.AnalyticsConfig.GA4_API_SECRET;
import static dev.otelanalytics.internal.config.AnalyticsConfig.GA4_ENDPOINT;
import static dev.otelanalytics.internal.config.AnalyticsConfig.GA4_MEASUREMENT_ID;

import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.destination.Ga4DestinationBuilder;
import java.time.Duration;

/**
 * The {@code OTEL_EXPORTER_GA4_*} settings applied to a {@link Ga4DestinationBuilder}: a setter is
 * called only for a setting that is set, so every default stays in the builder.
 */
final class Ga4Settings {
  private Ga4Settings() {}

  static Ga4Destination read(SettingsReader r, Duration timeout) throws InvalidSettingException {
    Ga4DestinationBuilder builder = Ga4Destination.builder();
    if (timeout != null) {
      builder.setTimeout(timeout);
    }
    String id = r.raw(GA4_MEASUREMENT_ID);
    if (id == null) {
      throw InvalidSettingException.notSet(GA4_MEASUREMENT_ID,
          "the ga4 destination needs the data stream's measurement id (G-…, under Admin > Data streams)");
    }
    String secret = r.raw(GA4_API_SECRET);
    if (secret == null) {
      throw InvalidSettingException.notSet(GA4_API_SECRET, "create one under Admin > Data streams >"
          + " your stream > Measurement Protocol API secrets");
    }
    try {
      builder.setMeasurementId(id);
    } catch (IllegalArgumentException e) {
      throw InvalidSettingException.badValue(GA4_MEASUREMENT_ID, id, "a measurement id such as G-3K2P9QW7LM");
    }
    try {
      builder.setApiSecret(secret);
    } catch (IllegalArgumentException e) {
      throw InvalidSettingException.problem(GA4_API_SECRET, e.getMessage());
    }
    String endpoint = r.raw(GA4_ENDPOINT);
    if (endpoint != null) {
      try {
        builder.setEndpoint(endpoint);
      } catch (IllegalArgumentException e) {
        throw InvalidSettingException.problem(GA4_ENDPOINT, e.getMessage());
      }
    }
    return builder.build();
  }
}
