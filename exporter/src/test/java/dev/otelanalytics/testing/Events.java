package dev.otelanalytics.testing;

import dev.otelanalytics.event.AnalyticsEvent;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Builds events for the destination tests. */
public final class Events {
  public static final String DISTINCT_ID = "5f0c6a2e-4c1b-4f43-9d6c-2b0a7e9e1d11";

  private Events() {}

  public static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  public static AnalyticsEvent at(String isoInstant, String name, Map<String, Object> properties) {
    return AnalyticsEvent.create(name, DISTINCT_ID, nanos(Instant.parse(isoInstant)), UUID.randomUUID().toString(), properties);
  }

  public static AnalyticsEvent at(String isoInstant, String name) {
    return at(isoInstant, name, Map.of());
  }
}
