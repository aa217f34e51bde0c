package dev.otelanalytics.internal;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Reads the {@code yyyy-MM-dd} dates this library writes (in file names and state files) without
 * {@code LocalDate.parse}: its formatter machinery costs a process about 15 ms the first time,
 * and a CLI pays that before it exits.
 */
public final class IsoDate {
  private IsoDate() {}

  /** The date {@code text} is, written {@code yyyy-MM-dd} with a year of four digits; null for anything else. */
  public static LocalDate parse(String text) {
    if (text == null || text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    if (year < 0 || month < 0 || day < 0) {
      return null;
    }
    try {
      return LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      return null;   // 2026-02-30, month 13
    }
  }

  /** The decimal number written by the {@code count} ASCII digits at {@code start}; -1 when one of them is not a digit. */
  public static int digits(String text, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
