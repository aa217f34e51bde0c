package dev.otelanalytics.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This library's version, from a resource Maven fills in at build time. */
public final class LibraryVersion {
  /** The library's name as destinations report it ({@code $lib}). */
  public static final String NAME = "otel-analytics";
  private static final String VERSION = load();

  private LibraryVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = LibraryVersion.class.getResourceAsStream("/dev/otelanalytics/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isEmpty() && !v.startsWith("$")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown";
  }
}
