package dev.otelanalytics.internal.collector;

import dev.otelanalytics.internal.HiddenCharacters;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses policies whose keys or names a Collector configuration could not carry as written:
 * control characters, line and paragraph separators, invisible format characters (zero-width
 * spaces, byte-order marks) and broken surrogate pairs. Such a key is almost always a mistake, and
 * in YAML or OTTL it would arrive changed, or hide what the configuration says.
 */
final class PolicyText {
  private PolicyText() {}

  /**
   * Checks every selector, span event name, attribute key and metric name of {@code policy}.
   *
   * @throws IllegalArgumentException naming the first offending text and character
   */
  static void check(PrivacyPolicy policy) {
    List<String[]> texts = new ArrayList<>();
    for (String s : policy.spanSelectors()) {
      texts.add(new String[] {"events.spans", s});
    }
    for (String s : policy.spanEvents()) {
      texts.add(new String[] {"events.span_events", s});
    }
    for (String s : policy.allowedAttributes().keySet()) {
      texts.add(new String[] {"attributes.allow", s});
    }
    for (String s : policy.hashedAttributes().keySet()) {
      texts.add(new String[] {"attributes.hash", s});
    }
    for (String s : policy.allowedResourceAttributes().keySet()) {
      texts.add(new String[] {"resource.allow", s});
    }
    for (String s : policy.allowedMetrics().keySet()) {
      texts.add(new String[] {"metrics.allow", s});
    }
    for (String[] t : texts) {
      int bad = HiddenCharacters.first(t[1]);
      if (bad >= 0) {
        throw new IllegalArgumentException(t[0] + " entry '" + HiddenCharacters.escape(t[1]) + "' holds the invisible or control character "
            + String.format(Locale.ROOT, "U+%04X", (int) t[1].charAt(bad))
            + ", which a Collector configuration cannot carry as written; remove it from the policy");
      }
    }
  }
}
