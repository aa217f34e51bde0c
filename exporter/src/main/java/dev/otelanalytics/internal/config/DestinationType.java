package dev.otelanalytics.internal.config;

/** The destinations this build can send to, as named in {@code OTEL_ANALYTICS_DESTINATION}. */
public enum DestinationType {
  /** The local JSONL store in the state directory (the default). */
  FILE("file"),
  /** Indented JSON on standard error. */
  CONSOLE("console"),
  /** PostHog's batch API, through the outbox. */
  POSTHOG("posthog"),
  /** Google Analytics 4 Measurement Protocol, through the outbox. */
  GA4("ga4");

  private final String settingValue;

  DestinationType(String settingValue) {
    this.settingValue = settingValue;
  }

  public String settingValue() {
    return settingValue;
  }
}
