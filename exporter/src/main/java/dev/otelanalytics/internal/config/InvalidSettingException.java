package dev.otelanalytics.internal.config;

import java.util.Locale;

/**
 * A setting with a value that cannot be used. The message is one line naming the environment
 * variable, its system property, the bad value and what is accepted: for a setting with a range,
 * the range and an example inside it.
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

  /** {@code OTEL_X (-Dx) is not set; <need>}. */
  static InvalidSettingException notSet(String property, String need) {
    return predicate(property, "is not set; " + need);
  }

  /**
   * {@code OTEL_X (-Dx) <predicate>}: the message goes on from the setting's name, e.g.
   * {@code is set, but noise is off; ...}.
   */
  static InvalidSettingException predicate(String property, String predicate) {
    return new InvalidSettingException(property, envName(property) + " (-D" + property + ") " + printable(predicate));
  }

  /**
   * {@code OTEL_X (-Dx): <problem>}, for a whole clause about the setting's value, such as a
   * builder's or the policy loader's message. A message that goes on from the setting's name
   * ("is not set") takes {@link #notSet} or {@link #predicate} instead.
   */
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
