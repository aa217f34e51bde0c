package dev.otelanalytics.internal.collector;

import dev.otelanalytics.internal.event.SpanEventMapper;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which attribute keys the gateway keeps, in each place an attribute can be: what the policy
 * lists there, and what the event mapping reads to name an event and tell its outcome (which the
 * relay turns into properties only where the policy allows them). Lists are in policy order,
 * without repeats.
 */
final class GatewayKeys {
  private final List<String> span;
  private final List<String> exceptionEvent;
  private final List<String> listedEvents;
  private final List<String> resource;
  private final List<String> dataPoint;
  private final List<String> hashed;
  private final List<String> all;

  private GatewayKeys(PrivacyPolicy policy) {
    List<String> spanAttributes = union(policy.allowedAttributes().keySet(), policy.hashedAttributes().keySet());
    span = union(spanAttributes, SpanEventMapper.SPAN_ATTRIBUTES_READ);
    exceptionEvent = policy.spanEvents().contains(SpanEventMapper.EXCEPTION_EVENT)
        ? union(SpanEventMapper.EXCEPTION_EVENT_ATTRIBUTES_READ, spanAttributes)
        : SpanEventMapper.EXCEPTION_EVENT_ATTRIBUTES_READ;
    listedEvents = spanAttributes;
    resource = union(policy.allowedResourceAttributes().keySet());
    // Usage reports keep the allowed attributes of a data point, never a hashed one: a series per
    // hashed identifier would count each person (AttributeScrubber.scrubMetricAttributes).
    dataPoint = union(policy.allowedAttributes().keySet());
    hashed = union(policy.hashedAttributes().keySet());
    all = union(span, exceptionEvent, resource, dataPoint);
  }

  static GatewayKeys of(PrivacyPolicy policy) {
    return new GatewayKeys(policy);
  }

  /** Keys kept on spans. */
  List<String> span() {
    return span;
  }

  /** Keys kept on {@code exception} span events. */
  List<String> exceptionEvent() {
    return exceptionEvent;
  }

  /** Keys kept on the span events the policy names (other than {@code exception}). */
  List<String> listedEvents() {
    return listedEvents;
  }

  /** Keys kept on span events of any name. */
  List<String> anyEvent() {
    return union(exceptionEvent, listedEvents);
  }

  /** Keys kept on resources. */
  List<String> resource() {
    return resource;
  }

  /** Keys kept on metric data points. */
  List<String> dataPoint() {
    return dataPoint;
  }

  /** Keys kept only as keyed hashes. */
  List<String> hashed() {
    return hashed;
  }

  /** Every key kept anywhere: the redaction processor's allow list. */
  List<String> all() {
    return all;
  }

  @SafeVarargs
  private static List<String> union(Collection<String>... lists) {
    Set<String> out = new LinkedHashSet<>();
    for (Collection<String> list : lists) {
      out.addAll(list);
    }
    return Collections.unmodifiableList(new ArrayList<>(out));
  }
}
