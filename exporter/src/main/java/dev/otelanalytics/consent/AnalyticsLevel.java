package dev.otelanalytics.consent;

import java.util.Locale;

/** How much analytics may do, from most to least private. */
public enum AnalyticsLevel {
  /** Nothing at all, not even local files. */
  OFF,
  /** Scrubbed events are kept in the local store only; nothing leaves the machine. */
  LOCAL,
  /** Scrubbed, anonymous events go to the configured destination. */
  ANONYMOUS;

  /**
   * The value as written in settings: {@code off}, {@code local}, {@code anonymous}.
   *
   * @return the constant's name in lower case
   */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a setting value; returns null when it is none of {@code off|local|anonymous}.
   *
   * @param text the value; case and surrounding spaces are ignored; may be null
   * @return the level, or null when {@code text} is null or names no level
   */
  public static AnalyticsLevel parse(String text) {
    if (text == null) {
      return null;
    }
    String value = text.trim().toLowerCase(Locale.ROOT);
    for (AnalyticsLevel level : values()) {
      if (level.settingValue().equals(value)) {
        return level;
      }
    }
    return null;
  }

  /**
   * The more private of this level and {@code other}.
   *
   * @param other the level to compare with, not null
   * @return whichever of the two allows less ({@link #OFF} is the most private)
   */
  public AnalyticsLevel mostPrivate(AnalyticsLevel other) {
    return ordinal() <= other.ordinal() ? this : other;
  }
}
