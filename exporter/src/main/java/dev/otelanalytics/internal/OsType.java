package dev.otelanalytics.internal;

import java.util.Locale;

/**
 * This machine's operating system as OpenTelemetry's {@code os.type} names it ({@code linux},
 * {@code windows}, {@code darwin}, …), for events whose SDK resource does not say. The SDK only
 * sets {@code os.type} when a resource detector is installed, so most apps never have it.
 */
public final class OsType {
  private OsType() {}

  /** {@code os.type} for this JVM, or null when its {@code os.name} is not one OpenTelemetry names. */
  public static String current() {
    return of(System.getProperty("os.name", ""));
  }

  /** {@code os.type} for an {@code os.name} value, or null. */
  static String of(String osName) {
    String os = osName.toLowerCase(Locale.ROOT).replace(" ", "");
    if (os.startsWith("windows")) {
      return "windows";
    }
    if (os.startsWith("linux")) {
      return "linux";
    }
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return "darwin";
    }
    String[][] others = {
      {"freebsd", "freebsd"}, {"netbsd", "netbsd"}, {"openbsd", "openbsd"}, {"dragonfly", "dragonflybsd"},
      {"hp-ux", "hpux"}, {"aix", "aix"}, {"sunos", "solaris"}, {"solaris", "solaris"}, {"z/os", "z_os"}
    };
    for (String[] other : others) {
      if (os.startsWith(other[0])) {
        return other[1];
      }
    }
    return null;
  }
}
