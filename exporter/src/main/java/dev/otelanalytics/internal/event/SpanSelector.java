package dev.otelanalytics.internal.event;

import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, on the app thread and cheaply, whether a finished span becomes an analytics event:
 * it is a local root span (when {@code local-root} is selected) or its name matches one of the
 * globs ({@code *} any run of characters, {@code ?} one character).
 */
public final class SpanSelector {
  private final boolean localRoots;
  private final NameMatcher names;

  private SpanSelector(List<String> selectors) {
    List<String> namesOrGlobs = new ArrayList<>();
    for (String selector : selectors) {
      if (!selector.equals(PrivacyPolicy.LOCAL_ROOT)) {
        namesOrGlobs.add(selector);
      }
    }
    this.localRoots = namesOrGlobs.size() < selectors.size();
    this.names = new NameMatcher(namesOrGlobs);
  }

  /** A selector for {@link PrivacyPolicy#spanSelectors()}-style entries. */
  public static SpanSelector of(List<String> selectors) {
    return new SpanSelector(selectors);
  }

  /** True when {@code span} becomes an event. */
  public boolean isSelected(ReadableSpan span) {
    if (localRoots && isLocalRoot(span.getParentSpanContext())) {
      return true;
    }
    return !names.isEmpty() && names.matches(span.getName());
  }

  static boolean isLocalRoot(SpanContext parent) {
    return !parent.isValid() || parent.isRemote();
  }
}
