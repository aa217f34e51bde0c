package dev.otelanalytics.internal.collector;

import dev.otelanalytics.internal.event.SpanEventMapper;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The filter processor's conditions, in OTTL: each is true for what the policy does <em>not</em>
 * turn into events, because the filter processor drops what its conditions match.
 */
final class FilterConditions {
  /**
   * A local root span: no parent, or a parent in another process. OTLP says which in the span's
   * flags: bit 0x200 (IS_REMOTE) when bit 0x100 (HAS_IS_REMOTE) is set. When the sender does not
   * say, a SERVER or CONSUMER span counts as having a remote parent, as the relay counts it. OTTL
   * has no bit operators, so each bit is computed with integer division.
   */
  static final String LOCAL_ROOT = "IsRootSpan()"
      + " or (" + bit(8) + " == 1 and " + bit(9) + " == 1)"
      + " or (" + bit(8) + " == 0 and (span.kind == SPAN_KIND_SERVER or span.kind == SPAN_KIND_CONSUMER))";

  private FilterConditions() {}

  /**
   * True for spans that {@code SpanSelector} does not select: not a local root (when {@code
   * local-root} is selected), and not named by a selector or glob.
   */
  static String spansNotSelected(PrivacyPolicy policy) {
    List<String> selected = new ArrayList<>();
    for (String selector : policy.spanSelectors()) {
      if (selector.equals(PrivacyPolicy.LOCAL_ROOT)) {
        selected.add(LOCAL_ROOT);
      } else if (selector.indexOf('*') < 0 && selector.indexOf('?') < 0) {
        selected.add("span.name == " + Ottl.string(selector));
      } else {
        selected.add("IsMatch(span.name, " + Ottl.string(Ottl.glob(selector)) + ")");
      }
    }
    return "not (" + String.join(" or ", selected) + ")";
  }

  /**
   * True for span events the mapping never reads: any but those the policy names and the
   * {@code exception} events, whose {@code exception.type} gives an event its {@code error_type}.
   */
  static String spanEventsNotUsed(PrivacyPolicy policy) {
    List<String> names = new ArrayList<>();
    names.add(SpanEventMapper.EXCEPTION_EVENT);
    for (String name : policy.spanEvents()) {
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    List<String> unequal = new ArrayList<>();
    for (String name : names) {
      unequal.add("spanevent.name != " + Ottl.string(name));
    }
    return String.join(" and ", unequal);
  }

  /** Bit {@code n} of the span's flags, 0 or 1, in OTTL arithmetic. */
  private static String bit(int n) {
    return "span.flags / " + (1 << n) + " - span.flags / " + (1 << (n + 1)) + " * 2";
  }

  /** True for metrics the policy does not allow (for every metric when it allows none). */
  static String metricsNotAllowed(PrivacyPolicy policy) {
    if (policy.allowedMetrics().isEmpty()) {
      return "true";
    }
    List<String> allowed = new ArrayList<>();
    for (String name : policy.allowedMetrics().keySet()) {
      allowed.add("metric.name == " + Ottl.string(name));
    }
    return "not (" + String.join(" or ", allowed) + ")";
  }
}
