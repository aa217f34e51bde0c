package dev.otelanalytics.internal.event;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.policy.PolicyEntry;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One event of each shape a policy produces, with placeholder values: what the GA4 {@code validate} command posts. */
public final class SampleEvents {
  private static final String SAMPLE_ID = "00000000-0000-4000-8000-000000000000";

  private SampleEvents() {}

  /** The sample events for {@code policy}. */
  public static List<AnalyticsEvent> of(PrivacyPolicy policy) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("duration_ms", 42L);
    properties.put("success", false);
    properties.put("error_type", "SampleException");
    for (PolicyEntry entry : policy.allowedAttributes().values()) {
      properties.put(entry.key(), sample(entry.type()));
    }
    for (String key : policy.hashedAttributes().keySet()) {
      properties.put(key, "0123456789abcdef0123456789abcdef");
    }
    for (PolicyEntry entry : policy.allowedResourceAttributes().values()) {
      properties.put(entry.key(), sample(entry.type()));
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    List<AnalyticsEvent> events = new ArrayList<>();
    events.add(AnalyticsEvent.create("sample_command", SAMPLE_ID, now, UUID.randomUUID().toString(), properties));
    for (String spanEvent : policy.spanEvents()) {
      events.add(AnalyticsEvent.create(spanEvent, SAMPLE_ID, now, UUID.randomUUID().toString(), properties));
    }
    return events;
  }

  /** A value of {@code type} as an event would carry it. */
  static Object sample(AttributeType type) {
    if (!type.bucketLabels().isEmpty()) {
      return type.bucketLabels().get(type.bucketLabels().size() / 2);
    }
    switch (type.kind()) {
      case ENUM:
        return type.values().get(0);
      case INT:
        return 42L;
      case NUMBER:
        return 1.5;
      case BOOL:
        return true;
      case ROUTE:
        return "/sample/{id}";
      case VERSION:
        return "1.2.3";
      default:
        return "sample";
    }
  }
}
