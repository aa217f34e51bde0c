package dev.otelanalytics.config;

import java.util.Locale;

/**
 * A setting with a value that cannot be used. The message is one line naming the environment
 * variable, its system property, the bad value and what is accepted.
 */
public final class InvalidSettingException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String property;

  InvalidSettingException(String property, String message) {
    super(message);
    this.property = property;
  }

  /** Builds the standard message: {@code OTEL_X (otel.x) is 'v': expected ...}. */
  static InvalidSettingException badValue(String property, String value, String expected) {
    return new InvalidSettingException(property,
        envName(property) + " (-D" + property + ") is '" + value + "': expected " + expected);
  }

  static InvalidSettingException problem(String property, String problem) {
    return new InvalidSettingException(property, envName(property) + " (-D" + property + "): " + problem);
  }

  /** The system-property name of the setting, e.g. {@code otel.analytics.queue.size}. */
  public String property() {
    return property;
  }

  /** {@code otel.analytics.queue.size} → {@code OTEL_ANALYTICS_QUEUE_SIZE}. */
  public static String envName(String property) {
    return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
