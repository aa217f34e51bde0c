package dev.otelanalytics.internal.event;

import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides, on the app thread and cheaply, whether a finished span becomes an analytics event:
 * it is a local root span (when {@code local-root} is selected) or its name matches one of the
 * globs ({@code *} any run of characters, {@code ?} one character).
 */
public final class SpanSelector {
  private final boolean localRoots;
  private final Set<String> exactNames = new HashSet<>();
  private final List<Pattern> globs = new ArrayList<>();

  private SpanSelector(List<String> selectors) {
    boolean roots = false;
    for (String selector : selectors) {
      if (selector.equals(PrivacyPolicy.LOCAL_ROOT)) {
        roots = true;
      } else if (selector.indexOf('*') < 0 && selector.indexOf('?') < 0) {
        exactNames.add(selector);
      } else {
        globs.add(globToPattern(selector));
      }
    }
    this.localRoots = roots;
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
    if (exactNames.isEmpty() && globs.isEmpty()) {
      return false;
    }
    String name = span.getName();
    if (exactNames.contains(name)) {
      return true;
    }
    for (Pattern glob : globs) {
      if (glob.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  static boolean isLocalRoot(SpanContext parent) {
    return !parent.isValid() || parent.isRemote();
  }

  static Pattern globToPattern(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
