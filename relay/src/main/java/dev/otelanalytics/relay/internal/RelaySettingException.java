package dev.otelanalytics.relay.internal;

/**
 * A relay setting with a value that cannot be used. The message is one line naming the
 * environment variable, its system property, and what is accepted; never a secret's value.
 */
public final class RelaySettingException extends Exception {
  private static final long serialVersionUID = 1L;

  public RelaySettingException(String message) {
    super(message);
  }
}
