package dev.otelanalytics.internal.activation;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.util.function.Function;

/**
 * Which program analytics runs for: its {@code service.name}. The SDK, the builder and the
 * {@code telemetry} command must agree on it, because it names the state directory where the
 * person's {@code level off} is stored. One rule for all of them: the name the settings give
 * ({@code OTEL_SERVICE_NAME}, else {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES}, as
 * the SDK autoconfigure reads them), else the name the code gives. The SDK's own fallback,
 * {@code unknown_service:java}, is no name at all: analytics stays off for it, because a
 * {@code telemetry} command could never find the choices stored under it.
 */
public final class ServiceIdentity {
  /** The OpenTelemetry setting for the service name. */
  public static final String SERVICE_NAME_SETTING = "otel.service.name";
  /** The OpenTelemetry setting for resource attributes ({@code key=value,...}). */
  public static final String RESOURCE_ATTRIBUTES_SETTING = "otel.resource.attributes";
  /** What the SDK calls a program that has no name; the prefix of every such name. */
  public static final String UNKNOWN_SERVICE = "unknown_service";

  private ServiceIdentity() {}

  /**
   * The service name the settings give, or null.
   *
   * @param settings looks a setting up by property name
   */
  public static String fromSettings(Function<String, String> settings) {
    String name = trimmed(settings.apply(SERVICE_NAME_SETTING));
    if (name != null) {
      return name;
    }
    String resource = settings.apply(RESOURCE_ATTRIBUTES_SETTING);
    if (resource == null) {
      return null;
    }
    for (String pair : resource.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals("service.name")) {
        return trimmed(decode(pair.substring(eq + 1)));
      }
    }
    return null;
  }

  /** The name in force: the settings' name, else {@code codeName} (which may be null). */
  public static String inForce(Function<String, String> settings, String codeName) {
    String configured = fromSettings(settings);
    return configured != null ? configured : trimmed(codeName);
  }

  /** True unless {@code name} is missing or the SDK's fallback ({@code unknown_service:java}). */
  public static boolean isNamed(String name) {
    return name != null && !name.trim().isEmpty() && !name.trim().startsWith(UNKNOWN_SERVICE);
  }

  /** Why analytics is off for a program without a name, in plain words (a status reason and a log line). */
  public static String unnamedReason(String name) {
    return "this program has no service.name (the OpenTelemetry SDK calls it "
        + (name == null || name.trim().isEmpty() ? UNKNOWN_SERVICE + ":java" : name.trim())
        + "), so its telemetry command could not find the choices stored for it; set OTEL_SERVICE_NAME"
        + " (-Dotel.service.name) to the name the program's telemetry command uses";
  }

  // OTEL_RESOURCE_ATTRIBUTES values are percent-encoded, as the SDK autoconfigure decodes them.
  private static String decode(String value) {
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), "UTF-8");
    } catch (UnsupportedEncodingException | IllegalArgumentException e) {
      return value;
    }
  }

  private static String trimmed(String s) {
    return s == null || s.trim().isEmpty() ? null : s.trim();
  }
}
