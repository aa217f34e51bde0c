package dev.otelanalytics.internal.config;

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
        envName(property) + " (-D" + property + ") is '" + printable(value) + "': expected " + expected);
  }

  static InvalidSettingException problem(String property, String problem) {
    return new InvalidSettingException(property, envName(property) + " (-D" + property + "): " + printable(problem));
  }

  /** Keeps the message on one line and short, whatever the value held (no forged log lines). */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 300));
    for (int i = 0; i < text.length() && out.length() < 300; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return text.length() > 300 ? out + "…" : out.toString();
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
