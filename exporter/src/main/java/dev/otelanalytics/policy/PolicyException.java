package dev.otelanalytics.policy;

/** A policy file that cannot be used; the message names the file, the line and the key. */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the file, the line and the key
   */
  public PolicyException(String message) {
    super(message);
  }

  /**
   * Creates the exception for a policy that could not be read or parsed.
   *
   * @param message what is wrong, naming the file and, when known, the line
   * @param cause the underlying I/O or YAML error
   */
  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
