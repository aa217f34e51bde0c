package dev.otelanalytics.policy;

import dev.otelanalytics.internal.guard.NeverKeptKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What may leave the process, and why. Fails closed: an attribute that is not named here is
 * dropped, a named one still passes the value guards (e-mail and IP addresses, home paths,
 * secrets, card numbers), and the never-kept keys (exception messages, full URLs, queries, client
 * addresses, headers, user agents and the like) can not be named at all.
 *
 * <p>Immutable; build one with {@link #builder()}, load one with {@link PolicyLoader}, or start
 * from {@link #defaultPolicy()}.
 */
public final class PrivacyPolicy {
  /** The span selector that means "each local root span" (a CLI command, an HTTP request). */
  public static final String LOCAL_ROOT = "local-root";

  /** Report interval used when a policy does not name one. */
  public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofHours(24);

  private final List<String> spanSelectors;
  private final List<String> spanEvents;
  private final List<String> eventNames;
  private final Map<String, PolicyEntry> allowedAttributes;
  private final Map<String, PolicyEntry> hashedAttributes;
  private final Map<String, PolicyEntry> allowedResourceAttributes;
  private final Map<String, PolicyEntry> allowedMetrics;
  private final Duration reportInterval;

  private PrivacyPolicy(Builder b) {
    this.spanSelectors = Collections.unmodifiableList(new ArrayList<>(b.spanSelectors));
    this.spanEvents = Collections.unmodifiableList(new ArrayList<>(b.spanEvents));
    this.eventNames = Collections.unmodifiableList(new ArrayList<>(b.eventNames));
    this.allowedAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.allowedAttributes));
    this.hashedAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.hashedAttributes));
    this.allowedResourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.allowedResource));
    this.allowedMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(b.allowedMetrics));
    this.reportInterval = b.reportInterval;
  }

  /**
   * The built-in policy: event name, timing, success, error class, {@code service.name} and
   * {@code service.version}, nothing else.
   *
   * @return the built-in policy
   */
  public static PrivacyPolicy defaultPolicy() {
    return builder()
        .allowResourceAttribute("service.name", "which of your services or tools sent the event")
        .allowResourceAttribute("service.version", "which version is in use, to know when old versions can be retired")
        .build();
  }

  /**
   * Starts a policy that selects local root spans and keeps no attribute, resource attribute or
   * metric (unlike {@link #defaultPolicy()}).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding a copy of this policy, to add to it.
   *
   * @return a new builder; changing it does not change this policy
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.spanSelectors.clear();
    b.spanSelectors.addAll(spanSelectors);
    b.spanEvents.addAll(spanEvents);
    b.eventNames.addAll(eventNames);
    b.allowedAttributes.putAll(allowedAttributes);
    b.hashedAttributes.putAll(hashedAttributes);
    b.allowedResource.putAll(allowedResourceAttributes);
    b.allowedMetrics.putAll(allowedMetrics);
    b.reportInterval = reportInterval;
    return b;
  }

  /**
   * Span selectors: {@link #LOCAL_ROOT} and/or span-name globs ({@code *}, {@code ?}).
   *
   * @return the selectors, unmodifiable; never empty
   */
  public List<String> spanSelectors() {
    return spanSelectors;
  }

  /**
   * Names of span events that become analytics events of their own.
   *
   * @return the names, unmodifiable; empty when there are none
   */
  public List<String> spanEvents() {
    return spanEvents;
  }

  /**
   * The event names that may be sent as they are: names or globs ({@code *} any run of
   * characters, {@code ?} one character) matched against the name after the name rule; any
   * other name is sent as {@value AttributeType#OTHER}.
   *
   * @return the names, unmodifiable; empty when every name the name rule keeps may be sent
   */
  public List<String> eventNames() {
    return eventNames;
  }

  /**
   * Span attributes kept if their values fit the entry's {@link PolicyEntry#type() type}, by key.
   *
   * @return an unmodifiable map from key to entry, in the order they were added
   */
  public Map<String, PolicyEntry> allowedAttributes() {
    return allowedAttributes;
  }

  /**
   * Span attributes kept only as keyed hashes, by key.
   *
   * @return an unmodifiable map from key to entry, in the order they were added
   */
  public Map<String, PolicyEntry> hashedAttributes() {
    return hashedAttributes;
  }

  /**
   * Resource attributes kept if their values fit the entry's {@link PolicyEntry#type() type}, by key.
   *
   * @return an unmodifiable map from key to entry, in the order they were added
   */
  public Map<String, PolicyEntry> allowedResourceAttributes() {
    return allowedResourceAttributes;
  }

  /**
   * Metric instruments a usage report may include, by name.
   *
   * @return an unmodifiable map from instrument name to entry, in the order they were added
   */
  public Map<String, PolicyEntry> allowedMetrics() {
    return allowedMetrics;
  }

  /**
   * How often a usage report is sent.
   *
   * @return the interval, at least 1 s; {@link #DEFAULT_REPORT_INTERVAL} (24 h) unless set
   */
  public Duration reportInterval() {
    return reportInterval;
  }

  @Override
  public String toString() {
    return "PrivacyPolicy{spans=" + spanSelectors + ", spanEvents=" + spanEvents
        + (eventNames.isEmpty() ? "" : ", eventNames=" + eventNames)
        + ", allow=" + allowedAttributes.values() + ", hash=" + hashedAttributes.keySet()
        + ", resource=" + allowedResourceAttributes.values() + ", metrics=" + allowedMetrics.keySet()
        + ", reportInterval=" + reportInterval + "}";
  }

  /** Builds a {@link PrivacyPolicy}; every setter validates and says what is wrong. */
  public static final class Builder {
    private final List<String> spanSelectors = new ArrayList<>(Collections.singletonList(LOCAL_ROOT));
    private final List<String> spanEvents = new ArrayList<>();
    private final List<String> eventNames = new ArrayList<>();
    private final Map<String, PolicyEntry> allowedAttributes = new LinkedHashMap<>();
    private final Map<String, PolicyEntry> hashedAttributes = new LinkedHashMap<>();
    private final Map<String, PolicyEntry> allowedResource = new LinkedHashMap<>();
    private final Map<String, PolicyEntry> allowedMetrics = new LinkedHashMap<>();
    private Duration reportInterval = DEFAULT_REPORT_INTERVAL;

    private Builder() {}

    /**
     * Which spans become events: {@link #LOCAL_ROOT} and/or span-name globs. Replaces the
     * current selection (default: local root spans only).
     *
     * @param selectors the selectors; surrounding spaces are trimmed
     * @return this builder
     * @throws IllegalArgumentException when {@code selectors} is empty or holds an empty selector
     */
    public Builder setSpanSelectors(Collection<String> selectors) {
      if (selectors.isEmpty()) {
        throw new IllegalArgumentException("the span selection is empty: name 'local-root' or at least one span-name glob");
      }
      for (String s : selectors) {
        if (s == null || s.trim().isEmpty()) {
          throw new IllegalArgumentException("a span selector is empty: use 'local-root' or a span-name glob such as 'cli.*'");
        }
      }
      spanSelectors.clear();
      for (String s : selectors) {
        spanSelectors.add(s.trim());
      }
      return this;
    }

    /**
     * A span event name that becomes an analytics event of its own. Adding a name twice has no effect.
     *
     * @param name the span event's name, exactly as the span records it
     * @return this builder
     * @throws IllegalArgumentException when {@code name} is empty or has leading or trailing spaces
     */
    public Builder addSpanEvent(String name) {
      requireKey(name, "span event name");
      if (!spanEvents.contains(name)) {
        spanEvents.add(name);
      }
      return this;
    }

    /**
     * The event names that may be sent as they are (names or globs); any other is sent as
     * {@value AttributeType#OTHER}. Replaces the current list; an empty list lets every name the
     * name rule keeps through (the default).
     *
     * @param names the names or globs; surrounding spaces are trimmed
     * @return this builder
     * @throws IllegalArgumentException when a name is empty or longer than 200 characters
     */
    public Builder setEventNames(Collection<String> names) {
      List<String> checked = new ArrayList<>();
      for (String name : names) {
        if (name == null || name.trim().isEmpty()) {
          throw new IllegalArgumentException("an event name is empty: list names such as 'inspect' or globs such as 'GET /api/*'");
        }
        if (name.trim().length() > 200) {
          throw new IllegalArgumentException("event name '" + name.trim().substring(0, 40) + "...' is longer than 200 characters");
        }
        if (!checked.contains(name.trim())) {
          checked.add(name.trim());
        }
      }
      eventNames.clear();
      eventNames.addAll(checked);
      return this;
    }

    /**
     * Keeps span attribute {@code key} when its value is a {@link AttributeType#token() token}
     * (one word that passes the value guards).
     *
     * @param key the attribute key
     * @param why why it is collected, for the privacy statement; may be empty
     * @return this builder
     * @throws IllegalArgumentException when {@code key} is empty, has leading or trailing spaces, starts
     *     with {@code $}, can never be collected, or is already listed to hash
     */
    public Builder allowAttribute(String key, String why) {
      return allowAttribute(key, why, AttributeType.token());
    }

    /**
     * Keeps span attribute {@code key} when its value fits {@code type}. The same entry applies to
     * the attributes of span events and of the data points a usage report includes.
     *
     * @param key the attribute key
     * @param why why it is collected, for the privacy statement; may be empty
     * @param type what the value may be
     * @return this builder
     * @throws IllegalArgumentException when {@code key} is empty, has leading or trailing spaces, starts
     *     with {@code $}, can never be collected, or is already listed to hash
     */
    public Builder allowAttribute(String key, String why, AttributeType type) {
      checkCollectable(key);
      if (hashedAttributes.containsKey(key)) {
        throw new IllegalArgumentException("attribute '" + key + "' is listed both to allow and to hash: keep it in one list");
      }
      allowedAttributes.put(key, PolicyEntry.of(key, why, type));
      return this;
    }

    /**
     * Keeps span attribute {@code key} only as a keyed hash of its value.
     *
     * @param key the attribute key
     * @param why why it is collected, for the privacy statement; may be empty
     * @return this builder
     * @throws IllegalArgumentException when {@code key} is empty, has leading or trailing spaces, starts
     *     with {@code $}, can never be collected, or is already listed to allow
     */
    public Builder hashAttribute(String key, String why) {
      checkCollectable(key);
      if (allowedAttributes.containsKey(key)) {
        throw new IllegalArgumentException("attribute '" + key + "' is listed both to allow and to hash: keep it in one list");
      }
      hashedAttributes.put(key, PolicyEntry.of(key, why));
      return this;
    }

    /**
     * Keeps resource attribute {@code key} when its value is a {@link AttributeType#token() token}.
     *
     * @param key the resource attribute key
     * @param why why it is collected, for the privacy statement; may be empty
     * @return this builder
     * @throws IllegalArgumentException when {@code key} is empty, has leading or trailing spaces, starts
     *     with {@code $}, or can never be collected
     */
    public Builder allowResourceAttribute(String key, String why) {
      return allowResourceAttribute(key, why, AttributeType.token());
    }

    /**
     * Keeps resource attribute {@code key} when its value fits {@code type}.
     *
     * @param key the resource attribute key
     * @param why why it is collected, for the privacy statement; may be empty
     * @param type what the value may be
     * @return this builder
     * @throws IllegalArgumentException when {@code key} is empty, has leading or trailing spaces, starts
     *     with {@code $}, or can never be collected
     */
    public Builder allowResourceAttribute(String key, String why, AttributeType type) {
      checkCollectable(key);
      allowedResource.put(key, PolicyEntry.of(key, why, type));
      return this;
    }

    /**
     * Lets usage reports include metric instrument {@code name}.
     *
     * @param name the instrument name
     * @param why why it is reported, for the privacy statement; may be empty
     * @return this builder
     * @throws IllegalArgumentException when {@code name} is empty or has leading or trailing spaces
     */
    public Builder allowMetric(String name, String why) {
      requireKey(name, "metric name");
      allowedMetrics.put(name, PolicyEntry.of(name, why));
      return this;
    }

    /**
     * How often a usage report is sent; at least one second.
     *
     * @param interval the interval; default {@link #DEFAULT_REPORT_INTERVAL} (24 h)
     * @return this builder
     * @throws IllegalArgumentException when {@code interval} is null or shorter than 1 s
     */
    public Builder setReportInterval(Duration interval) {
      // The same range as OTEL_ANALYTICS_METRICS_REPORT_INTERVAL.
      if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofDays(366)) > 0) {
        throw new IllegalArgumentException("report interval must be from 1s to 366d, e.g. 24h");
      }
      reportInterval = interval;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return an immutable policy; later changes to this builder do not affect it
     */
    public PrivacyPolicy build() {
      return new PrivacyPolicy(this);
    }

    private static void checkCollectable(String key) {
      requireKey(key, "attribute key");
      if (key.startsWith("$")) {
        throw new IllegalArgumentException("attribute '" + key + "' starts with '$', which destinations reserve for"
            + " their own controls (PostHog: $set, $ip, $process_person_profile); rename it");
      }
      if (NeverKeptKeys.isNeverKept(key)) {
        String alternative = NeverKeptKeys.alternativeTo(key);
        throw new IllegalArgumentException(alternative != null
            ? "attribute '" + key + "' can never be collected, not even as a hash (it identifies a person); " + alternative
            : "attribute '" + key + "' can never be collected (it carries free text, addresses or headers);"
                + " remove it from the policy");
      }
    }

    private static void requireKey(String key, String what) {
      if (key == null || key.trim().isEmpty()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
      if (!key.equals(key.trim())) {
        throw new IllegalArgumentException(what + " '" + key + "' has leading or trailing spaces");
      }
    }
  }
}
