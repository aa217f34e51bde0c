package dev.otelanalytics.internal.event;

import dev.otelanalytics.event.AnalyticsEvent;
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
    for (String key : policy.allowedAttributes().keySet()) {
      properties.put(key, "sample");
    }
    for (String key : policy.hashedAttributes().keySet()) {
      properties.put(key, "0123456789abcdef0123456789abcdef");
    }
    for (String key : policy.allowedResourceAttributes().keySet()) {
      properties.put(key, "sample");
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    List<AnalyticsEvent> events = new ArrayList<>();
    events.add(AnalyticsEvent.create("sample_command", SAMPLE_ID, now, UUID.randomUUID().toString(), properties));
    for (String spanEvent : policy.spanEvents()) {
      events.add(AnalyticsEvent.create(spanEvent, SAMPLE_ID, now, UUID.randomUUID().toString(), properties));
    }
    return events;
  }
}
