package dev.otelanalytics.internal;

import java.nio.file.Path;

/** Text for log lines: a path inside the user's home directory is shown from {@code ~}, so no user name is logged. */
public final class LogText {
  private static final String HOME = System.getProperty("user.home", "");

  private LogText() {}

  /** {@code /home/alice/.local/state/x} → {@code ~/.local/state/x}; other paths unchanged. */
  public static String path(Object path) {
    if (path == null) {
      return "(none)";
    }
    String text = path instanceof Path ? ((Path) path).toAbsolutePath().toString() : path.toString();
    return HOME.length() > 1 && text.startsWith(HOME) ? "~" + text.substring(HOME.length()) : text;
  }
}
