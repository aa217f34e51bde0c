package dev.otelanalytics.relay.internal;

import dev.otelanalytics.internal.event.SpanEventMapper;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What of a received span the relay keeps while it waits in the queue: only what the policy could
 * turn into a property or the event mapping reads, so that a queued span costs a bounded amount of
 * memory whatever the sender put in it (a stack trace of megabytes, thousands of attributes). The
 * mapping and scrubbing that follow are the library's own; this only drops earlier what they would
 * drop anyway. A string longer than {@link #MAX_STRING_CHARS} is left out: the library keeps at most
 * 256 characters of a value, and checks the whole value first, so the relay leaves out what it would
 * not check whole.
 */
public final class KeptKeys {
  /** Longest string value, span name or event name kept from a received span. */
  public static final int MAX_STRING_CHARS = 1024;
  /** Most attributes kept of one span, event or resource. */
  static final int MAX_ATTRIBUTES = 128;
  /** Most span events kept of one span. */
  static final int MAX_EVENTS = 32;
  /** Most elements of an array value kept. */
  static final int MAX_ARRAY_VALUES = 64;

  private final Set<String> span = new HashSet<>();
  private final Set<String> event = new HashSet<>();
  private final Set<String> eventNames = new HashSet<>();
  private final Set<String> resource = new HashSet<>();

  private KeptKeys(PrivacyPolicy policy) {
    span.addAll(policy.allowedAttributes().keySet());
    span.addAll(policy.hashedAttributes().keySet());
    event.addAll(span);
    span.addAll(SpanEventMapper.SPAN_ATTRIBUTES_READ);
    event.addAll(SpanEventMapper.EXCEPTION_EVENT_ATTRIBUTES_READ);
    eventNames.addAll(policy.spanEvents());
    eventNames.add(SpanEventMapper.EXCEPTION_EVENT);
    resource.addAll(policy.allowedResourceAttributes().keySet());
  }

  /** The keys {@code policy} (with its settings) could keep or the mapping reads. */
  public static KeptKeys of(PrivacyPolicy policy) {
    return new KeptKeys(policy);
  }

  /** Resource attribute keys kept. */
  public Set<String> resource() {
    return Collections.unmodifiableSet(resource);
  }

  /**
   * {@code proto} without what nothing downstream reads: other attributes, other events, links,
   * the status message, the trace state, and values too long to check whole. The result is a new
   * message, so the request's own bytes are not held by the queue.
   */
  public Span slim(Span proto) {
    Span.Builder out = Span.newBuilder()
        .setTraceId(proto.getTraceId())
        .setSpanId(proto.getSpanId())
        .setParentSpanId(proto.getParentSpanId())
        .setFlags(proto.getFlags())
        .setName(cut(proto.getName()))
        .setKind(proto.getKind())
        .setStartTimeUnixNano(proto.getStartTimeUnixNano())
        .setEndTimeUnixNano(proto.getEndTimeUnixNano())
        .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder().setCode(proto.getStatus().getCode()))
        .addAllAttributes(keep(proto.getAttributesList(), span));
    int events = 0;
    for (Span.Event e : proto.getEventsList()) {
      if (events < MAX_EVENTS && eventNames.contains(e.getName())) {
        out.addEvents(Span.Event.newBuilder().setName(e.getName()).setTimeUnixNano(e.getTimeUnixNano())
            .addAllAttributes(keep(e.getAttributesList(), event)));
        events++;
      }
    }
    return out.build();
  }

  /** The attributes among {@code attributes} whose key is in {@code keys} and whose value is small enough to check whole. */
  static List<KeyValue> keep(List<KeyValue> attributes, Set<String> keys) {
    List<KeyValue> out = new java.util.ArrayList<>();
    for (KeyValue kv : attributes) {
      if (out.size() < MAX_ATTRIBUTES && keys.contains(kv.getKey()) && small(kv.getValue())) {
        out.add(kv);
      }
    }
    return out;
  }

  private static boolean small(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue().length() <= MAX_STRING_CHARS;
      case ARRAY_VALUE:
        if (value.getArrayValue().getValuesCount() > MAX_ARRAY_VALUES) {
          return false;
        }
        for (AnyValue v : value.getArrayValue().getValuesList()) {
          if (!small(v)) {
            return false;
          }
        }
        return true;
      case BOOL_VALUE:
      case INT_VALUE:
      case DOUBLE_VALUE:
        return true;
      default:
        return false; // key-value lists and bytes have no SDK attribute type: never kept
    }
  }

  private static String cut(String text) {
    if (text.length() <= MAX_STRING_CHARS) {
      return text;
    }
    int end = MAX_STRING_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
