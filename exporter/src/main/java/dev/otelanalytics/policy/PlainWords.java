package dev.otelanalytics.policy;

import dev.otelanalytics.internal.guard.GuardReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A policy in plain words, for people: the status command and the privacy statement. */
final class PlainWords {
  /** What every event holds whatever the policy says. */
  static final String ALWAYS = "the name of each command or request, how long it took, whether it succeeded,"
      + " and the class of error when it failed (never the error message)";

  private PlainWords() {}

  /** One line per collected item: what the policy keeps as it is, and why. */
  static List<String> collected(PrivacyPolicy policy) {
    List<String> lines = new ArrayList<>();
    lines.add(ALWAYS);
    addEntries(lines, policy.allowedAttributes());
    addEntries(lines, policy.allowedResourceAttributes());
    return lines;
  }

  /** One line per hashed item. */
  static List<String> hashed(PrivacyPolicy policy) {
    List<String> lines = new ArrayList<>();
    addEntries(lines, policy.hashedAttributes());
    return lines;
  }

  /** One line per metric instrument a usage report may include. */
  static List<String> reported(PrivacyPolicy policy) {
    List<String> lines = new ArrayList<>();
    addEntries(lines, policy.allowedMetrics());
    return lines;
  }

  /** A report interval in words: "day", "7 days", "hour", "30 minutes". */
  static String period(java.time.Duration d) {
    long seconds = d.getSeconds();
    if (seconds % 86400 == 0) {
      return unit(seconds / 86400, "day");
    }
    if (seconds % 3600 == 0) {
      return unit(seconds / 3600, "hour");
    }
    if (seconds % 60 == 0) {
      return unit(seconds / 60, "minute");
    }
    return unit(Math.max(1, seconds), "second");
  }

  private static String unit(long n, String unit) {
    return n == 1 ? unit : n + " " + unit + "s";
  }

  /** The value guards, in plain words. */
  static List<String> guarded() {
    List<String> lines = new ArrayList<>();
    for (GuardReason reason : GuardReason.values()) {
      lines.add(reason.description());
    }
    return lines;
  }

  private static void addEntries(List<String> lines, Map<String, PolicyEntry> entries) {
    for (PolicyEntry entry : entries.values()) {
      lines.add(entry.key() + (entry.why().isEmpty() ? "" : ": " + entry.why()));
    }
  }
}
