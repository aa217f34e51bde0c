package dev.otelanalytics.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One analytics event, already scrubbed: a name, who (a random install id, never a person),
 * when, a random {@code uuid} that lets a destination drop duplicates after a retry, and
 * ordered properties. Immutable.
 */
public final class AnalyticsEvent {
  private final String name;
  private final String distinctId;
  private final long timestampEpochNanos;
  private final String uuid;
  private final Map<String, Object> properties;

  private AnalyticsEvent(String name, String distinctId, long timestampEpochNanos, String uuid, Map<String, Object> properties) {
    this.name = Objects.requireNonNull(name, "name");
    this.distinctId = Objects.requireNonNull(distinctId, "distinctId");
    this.timestampEpochNanos = timestampEpochNanos;
    this.uuid = Objects.requireNonNull(uuid, "uuid");
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : properties.entrySet()) {
      Object value = e.getValue();
      copy.put(e.getKey(), value instanceof List ? Collections.unmodifiableList(new ArrayList<>((List<?>) value)) : value);
    }
    this.properties = Collections.unmodifiableMap(copy);
  }

  /**
   * Creates an event. Property values are {@code String}, {@code Long}, {@code Double},
   * {@code Boolean} or lists of those, and must already have passed the privacy policy.
   */
  public static AnalyticsEvent create(
      String name, String distinctId, long timestampEpochNanos, String uuid, Map<String, Object> properties) {
    return new AnalyticsEvent(name, distinctId, timestampEpochNanos, uuid, properties);
  }

  public String name() {
    return name;
  }

  public String distinctId() {
    return distinctId;
  }

  public long timestampEpochNanos() {
    return timestampEpochNanos;
  }

  public Instant timestamp() {
    return Instant.ofEpochSecond(0, timestampEpochNanos);
  }

  public String uuid() {
    return uuid;
  }

  /** Scrubbed properties in a stable order. */
  public Map<String, Object> properties() {
    return properties;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AnalyticsEvent)) {
      return false;
    }
    AnalyticsEvent e = (AnalyticsEvent) o;
    return name.equals(e.name) && distinctId.equals(e.distinctId) && timestampEpochNanos == e.timestampEpochNanos
        && uuid.equals(e.uuid) && properties.equals(e.properties);
  }

  @Override
  public int hashCode() {
    return uuid.hashCode();
  }

  /** Names the event and its property keys, never their values (this text may reach a log). */
  @Override
  public String toString() {
    return "AnalyticsEvent{name=" + name + ", uuid=" + uuid + ", properties=" + properties.keySet() + "}";
  }
}
