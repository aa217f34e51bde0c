package dev.otelanalytics.internal.config;

import java.util.Map;
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
  private final Map<String, String> senderProcessSettings;
  private final Runnable onStarted;

  public SdkSettings(Function<String, String> config) {
    this(config, null, null);
  }

  /**
   * @param senderProcessSettings the destination's settings, handed to a sender process, when
   *     {@code OTEL_ANALYTICS_SENDER=process}; null when a thread sends
   * @param onStarted run on the worker thread once analytics has started (keeping the compiled
   *     policy), or null
   */
  public SdkSettings(Function<String, String> config, Map<String, String> senderProcessSettings, Runnable onStarted) {
    this.config = Objects.requireNonNull(config, "config");
    this.senderProcessSettings = senderProcessSettings;
    this.onStarted = onStarted;
  }

  /** Work for the worker thread once analytics has started, or null: never run when analytics stays off. */
  public Runnable onStarted() {
    return onStarted;
  }

  /** The destination's settings for a sender process ({@code OTEL_ANALYTICS_SENDER=process}), or null. */
  public Map<String, String> senderProcessSettings() {
    return senderProcessSettings;
  }

  @Override
  public String apply(String property) {
    return config.apply(property);
  }
}
