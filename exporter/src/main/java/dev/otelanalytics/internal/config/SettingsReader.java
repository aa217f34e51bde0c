package dev.otelanalytics.internal.config;

import dev.otelanalytics.internal.DurationParser;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates single settings, for every group of settings ({@link AnalyticsConfig},
 * {@link ControlSettings}, {@link MetricsConfig}, the destinations'). Each
 * {@code OTEL_ANALYTICS_FOO_BAR} environment variable is also the system property
 * {@code otel.analytics.foo.bar}; a bad value is an {@link InvalidSettingException} with one line
 * naming both, the value and what is accepted.
 */
public final class SettingsReader {
  private static final Pattern SIZE = Pattern.compile("0*(\\d{1,19})\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);
  private static final long MIN_BYTES = 1024;
  private static final long MAX_BYTES = 1024L * 1024 * 1024 * 1024;

  private final Function<String, String> properties;

  /** @param properties looks a setting up by its property name (e.g. {@code ConfigProperties::getString}) */
  public SettingsReader(Function<String, String> properties) {
    this.properties = properties;
  }

  public String raw(String property) {
    String value = properties.apply(property);
    return value == null || value.trim().isEmpty() ? null : value.trim();
  }

  public boolean bool(String property, boolean defaultValue) throws InvalidSettingException {
    String value = raw(property);
    if (value == null) {
      return defaultValue;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw InvalidSettingException.badValue(property, value, "true or false");
  }

  public List<String> list(String property) {
    String value = raw(property);
    if (value == null) {
      return Collections.emptyList();
    }
    List<String> out = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.trim().isEmpty()) {
        out.add(item.trim());
      }
    }
    return Collections.unmodifiableList(out);
  }

  public int integer(String property, int defaultValue, int min, int max) throws InvalidSettingException {
    String value = raw(property);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InvalidSettingException.badValue(property, value,
        "a whole number from " + min + " to " + max + ", e.g. " + defaultValue + " (the default)");
  }

  /** A duration from {@code min} to {@code max}; {@code defaultValue} (within them) when unset, and the example given. */
  public Duration duration(String property, Duration defaultValue, Duration min, Duration max) throws InvalidSettingException {
    Duration value = optionalDuration(property, min, max, human(defaultValue) + " (the default)");
    return value == null ? defaultValue : value;
  }

  /**
   * A duration from {@code min} to {@code max}; null when unset.
   *
   * @param example a valid value for the error message, e.g. {@code 10s}
   */
  public Duration optionalDuration(String property, Duration min, Duration max, String example) throws InvalidSettingException {
    String value = raw(property);
    if (value == null) {
      return null;
    }
    Duration parsed = DurationParser.parse(value);
    if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
      throw InvalidSettingException.badValue(property, value,
          DurationParser.ACCEPTED + ", from " + human(min) + " to " + human(max) + ", e.g. " + example);
    }
    return parsed;
  }

  public Path path(String property, String expected) throws InvalidSettingException {
    String value = raw(property);
    if (value == null) {
      return null;
    }
    try {
      return Paths.get(value);
    } catch (InvalidPathException e) {
      throw InvalidSettingException.badValue(property, value, expected);
    }
  }

  /**
   * A size from 1 KiB to 1 TiB: a whole number of bytes, or with a unit {@code KB}, {@code MB},
   * {@code GB}, {@code TB} (powers of 1000) or {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}
   * (powers of 1024). A number too large for its bytes to be counted is out of range, never wrapped.
   */
  public long byteSize(String property, long defaultValue) throws InvalidSettingException {
    String value = raw(property);
    if (value == null) {
      return defaultValue;
    }
    Matcher m = SIZE.matcher(value);
    if (m.matches()) {
      try {
        long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unitBytes(m.group(2)));
        if (bytes >= MIN_BYTES && bytes <= MAX_BYTES) {
          return bytes;
        }
      } catch (NumberFormatException | ArithmeticException e) {
        // more than a long holds: out of range, reported below
      }
    }
    throw InvalidSettingException.badValue(property, value, "a size from 1KiB to 1TiB, e.g. 10MiB, 500KiB or 1GB");
  }

  private static long unitBytes(String unit) {
    switch (unit == null ? "b" : unit.toLowerCase(Locale.ROOT)) {
      case "kb": return 1000L;
      case "kib": return 1024L;
      case "mb": return 1000L * 1000;
      case "mib": return 1024L * 1024;
      case "gb": return 1000L * 1000 * 1000;
      case "gib": return 1024L * 1024 * 1024;
      case "tb": return 1000L * 1000 * 1000 * 1000;
      case "tib": return 1024L * 1024 * 1024 * 1024;
      default: return 1L;
    }
  }

  /** A comma list without repeated items. */
  public List<String> distinctList(String property) {
    List<String> out = new ArrayList<>();
    for (String item : list(property)) {
      if (!out.contains(item)) {
        out.add(item);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** A number above 0 and at most {@code max}; null when unset. */
  public Double positiveNumber(String property, double max, String examples) throws InvalidSettingException {
    String value = raw(property);
    if (value == null) {
      return null;
    }
    try {
      double parsed = Double.parseDouble(value);
      // Double.parseDouble also takes "NaN", "Infinity" and hex floats: the range check refuses the first two.
      if (parsed > 0 && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InvalidSettingException.badValue(property, value, "a number above 0 and at most " + format(max) + ", e.g. " + examples);
  }

  /** Runs {@code change} (a builder's setter); its {@code IllegalArgumentException} becomes this setting's error. */
  public static void apply(String property, Runnable change) throws InvalidSettingException {
    try {
      change.run();
    } catch (IllegalArgumentException e) {
      throw InvalidSettingException.problem(property, e.getMessage());
    }
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** {@code d} as a setting would be written: the largest whole unit of d, h, m, s, ms. */
  static String human(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
      return d.toDays() + "d";
    }
    if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
      return d.toHours() + "h";
    }
    if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
      return d.toMinutes() + "m";
    }
    if (d.getSeconds() > 0 && d.equals(Duration.ofSeconds(d.getSeconds()))) {
      return d.getSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }
}
