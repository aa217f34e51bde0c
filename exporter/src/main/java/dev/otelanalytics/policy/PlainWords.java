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

  /** One line per collected item: what the policy keeps, what it may hold, and why. */
  static List<String> collected(PrivacyPolicy policy) {
    List<String> lines = new ArrayList<>();
    lines.add(ALWAYS);
    addTypedEntries(lines, policy.allowedAttributes());
    addTypedEntries(lines, policy.allowedResourceAttributes());
    return lines;
  }

  /** The keys of allowed attributes of type {@code text}: free text, the policy's weak spot. */
  static List<String> freeText(PrivacyPolicy policy) {
    List<String> keys = new ArrayList<>();
    for (PolicyEntry entry : policy.allowedAttributes().values()) {
      if (entry.type().kind() == AttributeType.Kind.TEXT) {
        keys.add(entry.key());
      }
    }
    for (PolicyEntry entry : policy.allowedResourceAttributes().values()) {
      if (entry.type().kind() == AttributeType.Kind.TEXT) {
        keys.add(entry.key());
      }
    }
    return keys;
  }

  /** The event names a policy lists, in words; null when it lists none. */
  static String eventNames(PrivacyPolicy policy) {
    if (policy.eventNames().isEmpty()) {
      return null;
    }
    boolean globs = false;
    for (String name : policy.eventNames()) {
      globs |= name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
    }
    return "Events are named only " + String.join(", ", policy.eventNames())
        + (globs ? " (* stands for any run of characters, ? for one character)" : "")
        + "; any other name is sent as " + AttributeType.OTHER + ".";
  }

  /** The warning about free-text attributes; null when the policy has none. */
  static String freeTextWarning(PrivacyPolicy policy) {
    List<String> keys = freeText(policy);
    if (keys.isEmpty()) {
      return null;
    }
    return "Weak spot: " + String.join(", ", keys) + (keys.size() == 1 ? " is" : " are")
        + " free text, checked by heuristic guards only. They drop the shapes listed below, but cannot"
        + " recognise every way personal data can be written; a narrower type would make it a promise.";
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

  private static void addTypedEntries(List<String> lines, Map<String, PolicyEntry> entries) {
    for (PolicyEntry entry : entries.values()) {
      lines.add(entry.key() + " (" + entry.type().describe() + ")" + (entry.why().isEmpty() ? "" : ": " + entry.why()));
    }
  }

  private static void addEntries(List<String> lines, Map<String, PolicyEntry> entries) {
    for (PolicyEntry entry : entries.values()) {
      lines.add(entry.key() + (entry.why().isEmpty() ? "" : ": " + entry.why()));
    }
  }
}
