package dev.otelanalytics.event;

import dev.otelanalytics.policy.AttributeScrubber;
import dev.otelanalytics.policy.ValueGuards;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a span name (or the span's {@code analytics.event} attribute) into an event name
 * that cannot carry personal data.
 *
 * <p>Span names sometimes hold arguments ({@code "inspect /home/alice/app"}). A name that
 * passes the value guards is kept; otherwise only its leading words that pass are kept
 * ({@code "inspect"}), and a name with no such word becomes {@value #UNNAMED}.
 */
public final class EventNames {
  /** Span attribute that names the event explicitly, overriding the span name. */
  public static final String EVENT_NAME_ATTRIBUTE = "analytics.event";
  /** Name used when nothing of the span name can be kept. */
  public static final String UNNAMED = "unnamed";
  /** Longest event name kept. */
  public static final int MAX_LENGTH = 200;

  private EventNames() {}

  /** The safe event name for {@code rawName}, with {@code prefix} (may be empty) in front. */
  public static String safeName(String rawName, String prefix, AttributeScrubber scrubber) {
    String trimmed = rawName == null ? "" : rawName.trim();
    String name = trimmed.isEmpty() ? null : scrubber.guardText(trimmed);
    if (name == null) {
      name = leadingSafeWords(trimmed);
    }
    name = AttributeScrubber.cut(name, MAX_LENGTH);
    return prefix.isEmpty() ? name : prefix + name;
  }

  private static String leadingSafeWords(String text) {
    String[] words = text.split("\\s+");
    List<String> kept = new ArrayList<>();
    for (String word : words) {
      if (word.isEmpty() || ValueGuards.check(word) != null) {
        break;
      }
      kept.add(word);
    }
    // Words that pass alone can still fail together ("Bearer" + a short token): shrink until it passes.
    while (!kept.isEmpty()) {
      String candidate = String.join(" ", kept);
      if (ValueGuards.check(candidate) == null) {
        return candidate;
      }
      kept.remove(kept.size() - 1);
    }
    return UNNAMED;
  }
}
