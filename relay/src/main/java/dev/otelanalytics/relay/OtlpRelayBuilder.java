package dev.otelanalytics.relay;

import dev.otelanalytics.AnalyticsControl;
import dev.otelanalytics.relay.internal.RelaySettingException;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds and starts an {@link OtlpRelay}. Every setting comes from the same {@code OTEL_ANALYTICS_*}
 * and {@code OTEL_EXPORTER_*} variables as the Java library, plus the relay's own
 * ({@code OTEL_ANALYTICS_RELAY_ENDPOINT}, {@code _TOKEN}, {@code _MAX_BODY_SIZE}); see docs/relay.md.
 */
public final class OtlpRelayBuilder {
  /** The service name the relay runs under when {@code OTEL_SERVICE_NAME} is not set. */
  public static final String DEFAULT_SERVICE_NAME = "otel-analytics-relay";

  private Function<String, String> settings = AnalyticsControl::systemSetting;
  private boolean codeSuppliesSettings;
  private String serviceName = DEFAULT_SERVICE_NAME;

  OtlpRelayBuilder() {}

  /**
   * Where settings are read, by property name ({@code otel.analytics.relay.endpoint}). Default:
   * the system property, else the environment variable. This process's own opt-outs
   * ({@code DO_NOT_TRACK}, {@code OTEL_ANALYTICS_ENABLED=false}...) still apply on top.
   *
   * @param settings looks a setting up by its property name; returns null when it is not set
   * @return this builder
   */
  public OtlpRelayBuilder setSettings(Function<String, String> settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.codeSuppliesSettings = true;
    return this;
  }

  /**
   * The name the relay's own state directory and usage reports go by, when {@code OTEL_SERVICE_NAME}
   * is not set. Default {@value #DEFAULT_SERVICE_NAME}. Events from spans keep their own services' names.
   *
   * @param serviceName the name, not empty
   * @return this builder
   */
  public OtlpRelayBuilder setServiceName(String serviceName) {
    if (serviceName == null || serviceName.trim().isEmpty()) {
      throw new IllegalArgumentException("serviceName must not be empty");
    }
    this.serviceName = serviceName;
    return this;
  }

  /**
   * Reads and checks the settings, starts analytics and listens.
   *
   * @return the running relay
   * @throws IllegalArgumentException with one line naming the setting that is wrong (or why analytics is off)
   * @throws IOException when the endpoint cannot be listened on (say, the port is taken)
   */
  public OtlpRelay start() throws IOException {
    try {
      return OtlpRelay.start(settings, codeSuppliesSettings, serviceName);
    } catch (RelaySettingException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
