package dev.otelanalytics.internal;

import java.io.IOException;

/**
 * A state directory, or a file in it, that is refused: a link, not owned by the user running
 * this process, or open to others. Its message is one line in this project's own words (the
 * path as {@link LogText#path} shows it, what is wrong and the fix), never the file's content,
 * so it can be logged as it is.
 */
public final class UntrustedPathException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param message the path, what is wrong with it and how to fix it, on one line */
  public UntrustedPathException(String message) {
    super(message);
  }
}
