package dev.otelanalytics.internal.event;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.policy.AttributeType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Maps a finished span to scrubbed {@link AnalyticsEvent}s: one for the span, plus one for each
 * of its span events that the policy names.
 *
 * <p>Span event properties, in order: {@code duration_ms}, {@code success} (status is not
 * ERROR), {@code error_type} (exception class simple name, else the semantic-convention
 * {@code error.type} reduced to a simple name, else {@code 4xx}/{@code 5xx} from the HTTP
 * status; never a message), the allowlisted and hashed span attributes, the allowlisted
 * resource attributes. Runs on the delivery worker, never on the app thread.
 */
public final class SpanEventMapper {
  /** The span event whose {@code exception.type} attribute gives an event its {@code error_type}. */
  public static final String EXCEPTION_EVENT = "exception";

  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<Long> HTTP_STATUS_OLD = AttributeKey.longKey("http.status_code");
  static final AttributeKey<String> EVENT_NAME = AttributeKey.stringKey(EventNames.EVENT_NAME_ATTRIBUTE);

  /**
   * Span attributes the mapping reads whatever the policy lists, to name the event and tell its
   * outcome; each becomes a property only where the policy allows it. (A Collector in front of the
   * relay must let them through.)
   */
  public static final List<String> SPAN_ATTRIBUTES_READ = Collections.unmodifiableList(Arrays.asList(
      EVENT_NAME.getKey(), ERROR_TYPE.getKey(), HTTP_STATUS.getKey(), HTTP_STATUS_OLD.getKey()));

  /** Attributes of the {@link #EXCEPTION_EVENT} span event the mapping reads whatever the policy lists. */
  public static final List<String> EXCEPTION_EVENT_ATTRIBUTES_READ = Collections.singletonList(EXCEPTION_TYPE.getKey());

  private static final String[] ERROR_ENDINGS = {
    "exception", "error", "failure", "fault", "timeout", "cancelled", "canceled", "refused", "unavailable", "_other"
  };
  private static final Pattern CLASS_NAME =
      Pattern.compile("(?:[A-Za-z_][A-Za-z0-9_]*[.$])*[A-Za-z_][A-Za-z0-9_]{0,99}");

  private final AttributeScrubber scrubber;
  private final String distinctId;
  private final String prefix;
  private final Set<String> spanEvents;
  /** The policy's {@code events.names}; empty when every name the name rule keeps may be sent. */
  private final NameMatcher listedNames;
  private final EventIds ids = new EventIds();

  /**
   * @param scrubber applies the privacy policy
   * @param distinctId the random install (or deployment) id that identifies the sender
   * @param prefix put in front of every event name; may be empty
   */
  public SpanEventMapper(AttributeScrubber scrubber, String distinctId, String prefix) {
    this.scrubber = scrubber;
    this.distinctId = distinctId;
    this.prefix = prefix == null ? "" : prefix;
    this.spanEvents = new HashSet<>(scrubber.policy().spanEvents());
    this.listedNames = new NameMatcher(scrubber.policy().eventNames());
  }

  /** The scrubber applying the policy (for its counters). */
  public AttributeScrubber scrubber() {
    return scrubber;
  }

  /** Passes the events made from {@code span} to {@code sink}. */
  public void map(SpanData span, Consumer<AnalyticsEvent> sink) {
    Attributes attributes = span.getAttributes();
    boolean success = span.getStatus().getStatusCode() != StatusCode.ERROR;

    // Scrubbed straight into the event's properties, after the three the mapping sets: the
    // scrubber never replaces a key already there, so they win, and span attributes win over
    // resource attributes. Span events need the span's and the resource's part apart.
    Map<String, Object> properties = new LinkedHashMap<>((attributes.size() + span.getResource().getAttributes().size() + 3) * 4 / 3 + 1);
    properties.put("duration_ms", Math.max(0, (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000_000L));
    properties.put("success", success);
    String errorType = errorType(span, success);
    if (errorType != null) {
      properties.put("error_type", errorType);
    }
    Map<String, Object> spanProperties = null;
    Map<String, Object> resourceProperties = null;
    if (spanEvents.isEmpty()) {
      scrubber.scrubSpanAttributes(attributes, properties);
      scrubber.scrubResourceAttributes(span.getResource().getAttributes(), properties);
    } else {
      spanProperties = new LinkedHashMap<>();
      scrubber.scrubSpanAttributes(attributes, spanProperties);
      resourceProperties = new LinkedHashMap<>();
      scrubber.scrubResourceAttributes(span.getResource().getAttributes(), resourceProperties);
      putAbsent(properties, spanProperties);
      putAbsent(properties, resourceProperties);
    }

    String explicitName = attributes.get(EVENT_NAME);
    String rawName = explicitName != null && !explicitName.trim().isEmpty() ? explicitName : span.getName();
    sink.accept(event(prefix + listedOrOther(EventNames.safeName(rawName, "", scrubber)), span.getEndEpochNanos(), properties));

    if (spanEvents.isEmpty()) {
      return;
    }
    for (EventData spanEvent : span.getEvents()) {
      if (!spanEvents.contains(spanEvent.getName())) {
        continue;
      }
      Map<String, Object> eventProperties = new LinkedHashMap<>();
      scrubber.scrubSpanAttributes(spanEvent.getAttributes(), eventProperties);
      putAbsent(eventProperties, spanProperties);
      putAbsent(eventProperties, resourceProperties);
      sink.accept(event(EventNames.safeName(spanEvent.getName(), prefix, scrubber), spanEvent.getEpochNanos(), eventProperties));
    }
  }

  /**
   * The name when the policy lists it (or lists none), else {@code other}. Span events are not
   * matched: {@code events.span_events} names each of them already.
   */
  private String listedOrOther(String safeName) {
    if (listedNames.isEmpty() || listedNames.matches(safeName)) {
      return safeName;
    }
    scrubber.recordNameNotListed();
    return AttributeType.OTHER;
  }

  private AnalyticsEvent event(String name, long epochNanos, Map<String, Object> properties) {
    return AnalyticsEvent.create(name, distinctId, epochNanos, ids.next(), properties);
  }

  private String errorType(SpanData span, boolean success) {
    for (EventData event : span.getEvents()) {
      if (event.getName().equals(EXCEPTION_EVENT)) {
        String type = simpleClassName(event.getAttributes().get(EXCEPTION_TYPE));
        if (type != null) {
          return type;
        }
      }
    }
    Attributes attributes = span.getAttributes();
    String declared = declaredErrorType(attributes.get(ERROR_TYPE));
    if (declared != null) {
      return declared;
    }
    Long status = attributes.get(HTTP_STATUS);
    if (status == null) {
      status = attributes.get(HTTP_STATUS_OLD);
    }
    if (status != null && status >= 400 && status < 600) {
      return status >= 500 ? "5xx" : "4xx";
    }
    return success ? null : "error";
  }

  /**
   * The semantic conventions' {@code error.type}: a class name ({@code java.net.UnknownHostException}),
   * an HTTP-like code ({@code 500}) or a low-cardinality word such as {@code timeout}. Free-form
   * identifiers ({@code alice_smith}) are not trusted: only names that end like an error are kept.
   */
  private String declaredErrorType(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.matches("\\d{3}")) {
      return v;
    }
    String simple = simpleClassName(v);
    if (simple == null) {
      return null;
    }
    String lower = simple.toLowerCase(Locale.ROOT);
    for (String ending : ERROR_ENDINGS) {
      if (lower.endsWith(ending)) {
        return simple;
      }
    }
    return v.indexOf('.') > 0 && Character.isUpperCase(simple.charAt(0)) ? simple : null;
  }

  /** {@code com.acme.Foo$BarException} → {@code BarException}; anything not shaped like a class name → null. */
  private String simpleClassName(String type) {
    if (type == null || type.length() > 500) {
      return null;
    }
    String name = type.trim();
    if (!CLASS_NAME.matcher(name).matches()) {
      return null;
    }
    String simple = name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
    return scrubber.guardText(simple);
  }

  private static void putAbsent(Map<String, Object> target, Map<String, Object> source) {
    for (Map.Entry<String, Object> e : source.entrySet()) {
      target.putIfAbsent(e.getKey(), e.getValue());
    }
  }
}
