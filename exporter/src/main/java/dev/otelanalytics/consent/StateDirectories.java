package dev.otelanalytics.consent;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.function.Function;

/**
 * The default state directory: {@code $XDG_STATE_HOME} or {@code ~/.local/state} on Linux and
 * other Unix systems, {@code ~/Library/Application Support} on macOS, {@code %LOCALAPPDATA%}
 * on Windows; then {@code otel-analytics/<service.name>}.
 */
public final class StateDirectories {
  private StateDirectories() {}

  /** The default for this JVM's platform and environment. */
  public static Path defaultFor(String serviceName) {
    return defaultFor(serviceName, System::getenv, System.getProperty("os.name", ""), System.getProperty("user.home", "."));
  }

  static Path defaultFor(String serviceName, Function<String, String> env, String osName, String userHome) {
    String os = osName.toLowerCase(Locale.ROOT);
    Path base;
    if (os.startsWith("windows")) {
      String localAppData = env.apply("LOCALAPPDATA");
      base = notBlank(localAppData) ? Paths.get(localAppData) : Paths.get(userHome, "AppData", "Local");
    } else if (os.startsWith("mac") || os.startsWith("darwin")) {
      base = Paths.get(userHome, "Library", "Application Support");
    } else {
      String xdg = env.apply("XDG_STATE_HOME");
      // The XDG spec says a relative value must be ignored.
      base = notBlank(xdg) && Paths.get(xdg).isAbsolute() ? Paths.get(xdg) : Paths.get(userHome, ".local", "state");
    }
    return base.resolve("otel-analytics").resolve(safeDirectoryName(serviceName));
  }

  /** {@code service.name} made safe as one directory name. */
  static String safeDirectoryName(String serviceName) {
    String name = serviceName == null ? "" : serviceName.trim();
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length() && out.length() < 100; i++) {
      char c = name.charAt(i);
      out.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ? c : '_');
    }
    String safe = out.toString();
    return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "unknown_service" : safe;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.trim().isEmpty();
  }
}
