package dev.otelanalytics.event;

import java.time.Instant;
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
    this.properties = new PropertyMap(properties);
  }

  /**
   * Creates an event. Property values are {@code String}, {@code Long}, {@code Double},
   * {@code Boolean} or lists of those, and must already have passed the privacy policy.
   *
   * @param name the event name
   * @param distinctId the random install (or deployment) id that identifies the sender
   * @param timestampEpochNanos when it happened, in nanoseconds since 1970-01-01T00:00:00Z
   * @param uuid a random id that stays the same when the event is sent again
   * @param properties the scrubbed properties, copied in their iteration order
   * @return the event
   */
  public static AnalyticsEvent create(
      String name, String distinctId, long timestampEpochNanos, String uuid, Map<String, Object> properties) {
    return new AnalyticsEvent(name, distinctId, timestampEpochNanos, uuid, properties);
  }

  /**
   * The event name: the command or request the span stood for, a span event's name, or
   * {@code usage_report}, after the event prefix if there is one.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Who sent the event: a random install (or deployment) id, never a person.
   *
   * @return the id
   */
  public String distinctId() {
    return distinctId;
  }

  /**
   * When the event happened (for a span, when it ended).
   *
   * @return nanoseconds since 1970-01-01T00:00:00Z
   */
  public long timestampEpochNanos() {
    return timestampEpochNanos;
  }

  /**
   * When the event happened, as an {@link Instant}.
   *
   * @return the same time as {@link #timestampEpochNanos()}
   */
  public Instant timestamp() {
    return Instant.ofEpochSecond(0, timestampEpochNanos);
  }

  /**
   * The random id fixed when the event was made; a destination uses it to drop a duplicate
   * sent again after a retry.
   *
   * @return the id
   */
  public String uuid() {
    return uuid;
  }

  /**
   * Scrubbed properties in a stable order.
   *
   * @return an unmodifiable map from property name to value ({@code String}, {@code Long},
   *     {@code Double}, {@code Boolean} or an unmodifiable list of those)
   */
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
