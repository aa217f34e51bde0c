package dev.otelanalytics.internal.scrub;

import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.guard.GuardReason;
import dev.otelanalytics.internal.guard.NeverKeptKeys;
import dev.otelanalytics.internal.guard.ValueGuards;
import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.policy.PolicyEntry;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

/**
 * Applies a {@link PrivacyPolicy} to attributes: keeps allowlisted keys whose values fit their
 * {@link AttributeType type} and pass the {@link ValueGuards}, replaces hashed keys' values by
 * their {@link KeyedHasher keyed hash}, and drops everything else. Counts what it drops.
 * Thread-safe.
 */
public final class AttributeScrubber {
  /** Longer kept string values are cut to this many characters. */
  public static final int MAX_VALUE_LENGTH = 256;
  /**
   * How far past the cut the guards read, so that an address or a key the cut goes through is seen
   * whole; nothing beyond it is ever kept, so nothing beyond it is read.
   */
  static final int GUARD_MARGIN = 128;
  static final int MAX_KEYS_TOLD = 32;
  private final ThrottledLogger log = ThrottledLogger.get(AttributeScrubber.class);

  private final PrivacyPolicy policy;
  private final KeyedHasher hasher;
  private final Map<String, String> resourceOverrides;
  private final Map<String, String> resourceDefaults;
  private final boolean keepHashes;
  private final Map<GuardReason, AtomicLong> guardDrops = new EnumMap<>(GuardReason.class);
  private final AtomicLong keysNotAllowed = new AtomicLong();
  private final AtomicLong valuesNotOfType = new AtomicLong();
  private final SafeValueCache safeValues = new SafeValueCache();
  private final SafeValueCache safeNames = new SafeValueCache();
  /** Versions that fitted the type and passed the guards: the same few versions come back in every event. */
  private final SafeValueCache knownVersions = new SafeValueCache();
  /** Keys whose misfit was logged: once each, and for at most {@value #MAX_KEYS_TOLD} keys. */
  private final Set<String> keysTold = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
  private final AtomicLong valuesOutsideEnum = new AtomicLong();
  private final AtomicLong namesShortened = new AtomicLong();
  private final AtomicLong namesNotListed = new AtomicLong();

  public AttributeScrubber(PrivacyPolicy policy, KeyedHasher hasher) {
    this(policy, hasher, Collections.<String, String>emptyMap(), Collections.<String, String>emptyMap());
  }

  /**
   * @param resourceOverrides resource attributes that replace the SDK resource's (the service
   *     name analytics runs under, so that events name the program its state directory is for)
   * @param resourceDefaults resource attributes used when the SDK resource has none ({@code os.type})
   */
  public AttributeScrubber(PrivacyPolicy policy, KeyedHasher hasher, Map<String, String> resourceOverrides,
      Map<String, String> resourceDefaults) {
    this(policy, hasher, resourceOverrides, resourceDefaults, false);
  }

  /**
   * @param keepHashes a value of a hashed key that a gateway Collector marked as its hash (see
   *     {@link KeyedHasher#gatewayHash}) is kept, without the mark: it was hashed upstream with the
   *     same key (the relay's forwarding mode). Any other value is hashed, including one that only
   *     looks like a hash.
   */
  public AttributeScrubber(PrivacyPolicy policy, KeyedHasher hasher, Map<String, String> resourceOverrides,
      Map<String, String> resourceDefaults, boolean keepHashes) {
    this.keepHashes = keepHashes;
    this.policy = policy;
    this.hasher = hasher;
    this.resourceOverrides = new HashMap<>(resourceOverrides);
    this.resourceDefaults = new HashMap<>(resourceDefaults);
    for (GuardReason reason : GuardReason.values()) {
      guardDrops.put(reason, new AtomicLong());
    }
  }

  public PrivacyPolicy policy() {
    return policy;
  }

  /** Adds the span attributes the policy keeps to {@code out}, without replacing keys already there. */
  public void scrubSpanAttributes(Attributes attributes, Map<String, Object> out) {
    attributes.forEach(
        (key, value) -> {
          String name = key.getKey();
          if (out.containsKey(name) || NeverKeptKeys.isNeverKept(name)) {
            keysNotAllowed.incrementAndGet();
            return;
          }
          PolicyEntry allowed = policy.allowedAttributes().get(name);
          if (allowed != null) {
            Object kept = keep(name, allowed.type(), value);
            if (kept != null) {
              out.put(name, kept);
            }
          } else if (policy.hashedAttributes().containsKey(name)) {
            String upstream = keepHashes ? KeyedHasher.gatewayHash(value) : null;
            out.put(name, upstream != null ? upstream : hasher.hash(hashInput(value)));
          } else {
            keysNotAllowed.incrementAndGet();
          }
        });
  }

  /**
   * Adds the attributes of a metric data point that the policy's {@code attributes.allow} lists to
   * {@code out}, values fitting their types and passing the guards. Hashed keys and array values
   * are not kept: a metric series per hashed identifier would count each person, which is what
   * aggregation is there to hide.
   */
  public void scrubMetricAttributes(Attributes attributes, Map<String, Object> out) {
    attributes.forEach(
        (key, value) -> {
          String name = key.getKey();
          PolicyEntry allowed = policy.allowedAttributes().get(name);
          if (out.containsKey(name) || NeverKeptKeys.isNeverKept(name) || allowed == null || value instanceof List) {
            keysNotAllowed.incrementAndGet();
            return;
          }
          Object kept = keepScalar(name, allowed.type(), value);
          if (kept != null) {
            out.put(name, kept);
          }
        });
  }

  /**
   * Adds the resource attributes the policy keeps to {@code out}, without replacing keys already
   * there: the overrides first, then the resource's own, then the defaults; every value passes the guards.
   */
  public void scrubResourceAttributes(Attributes attributes, Map<String, Object> out) {
    for (PolicyEntry entry : policy.allowedResourceAttributes().values()) {
      String name = entry.key();
      if (out.containsKey(name)) {
        continue;
      }
      Object value = resourceOverrides.get(name);
      if (value == null) {
        value = attributes.get(AttributeKey.stringKey(name));
      }
      if (value == null) {
        value = findAnyType(attributes, name);
      }
      if (value == null) {
        value = resourceDefaults.get(name);
      }
      if (value != null) {
        Object kept = keep(name, entry.type(), value);
        if (kept != null) {
          out.put(name, kept);
        }
      }
    }
  }

  /**
   * Returns {@code text} if every guard accepts it (cut to {@link #MAX_VALUE_LENGTH}), else
   * {@code null}, counting the drop.
   */
  public String guardText(String text) {
    if (safeValues.isKnownSafe(text)) {
      return text;
    }
    // Cut first, then check: the guards read at most MAX_VALUE_LENGTH + GUARD_MARGIN characters, so a
    // value of megabytes costs what a short one does (and no pattern's worst case grows with it).
    GuardReason reason = ValueGuards.check(cut(text, MAX_VALUE_LENGTH + GUARD_MARGIN));
    if (reason == null && text.length() > MAX_VALUE_LENGTH) {
      // Cutting can turn a rejected shape into an accepted one ("10.20.30.401" → "10.20.30.40"): check again.
      text = cut(text, MAX_VALUE_LENGTH);
      reason = ValueGuards.check(text);
    }
    if (reason != null) {
      guardDrops.get(reason).incrementAndGet();
      return null;
    }
    safeValues.rememberSafe(text);
    return text;
  }

  /**
   * Says once per key that its values do not fit its type, so that a policy that forgot a type
   * ({@code http.route} left a token) is found; the key is the policy's own text, never the value.
   */
  private void tellOnce(String key, AttributeType type) {
    if (keysTold.size() < MAX_KEYS_TOLD && keysTold.add(key)) {
      log.log(Level.INFO, "otel-analytics: a value of attribute '" + key + "' does not fit its type, " + type.kind().policyName()
          + ", and is dropped (counted in valuesNotOfType); if the attribute holds another kind of value, give it that type"
          + " in the policy (type: route, version, int, enum, ...; see docs/policy.md#types)");
    }
  }

  /** Cuts {@code text} to at most {@code max} chars without splitting a surrogate pair. */
  public static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end);
  }

  /** Values dropped by each guard since start. */
  public Map<GuardReason, Long> guardDrops() {
    Map<GuardReason, Long> out = new EnumMap<>(GuardReason.class);
    guardDrops.forEach((reason, count) -> out.put(reason, count.get()));
    return Collections.unmodifiableMap(out);
  }

  /** True when {@code rawName} was kept whole by the name rule before: it needs no second look. */
  public boolean isKnownSafeName(String rawName) {
    return safeNames.isKnownSafe(rawName);
  }

  /** Remembers a name the name rule kept whole (never one it cut: that one held something else). */
  public void rememberSafeName(String rawName) {
    safeNames.rememberSafe(rawName);
  }

  /** Counts an event name that was shortened to its safe leading words. */
  public void recordNameShortened() {
    namesShortened.incrementAndGet();
  }

  /** Counts an event name sent as {@code other} because the policy's {@code events.names} does not list it. */
  public void recordNameNotListed() {
    namesNotListed.incrementAndGet();
  }

  /** Event names sent as {@code other} since start. */
  public long namesNotListed() {
    return namesNotListed.get();
  }

  /** Event names shortened to their safe leading words since start. */
  public long namesShortened() {
    return namesShortened.get();
  }

  /** Attribute values dropped because their key is not in the policy (or never kept). */
  public long keysNotAllowed() {
    return keysNotAllowed.get();
  }

  /** Values of allowed keys dropped because they do not fit their key's type. */
  public long valuesNotOfType() {
    return valuesNotOfType.get();
  }

  /** Values of {@code enum} keys sent as {@value AttributeType#OTHER} because the policy does not list them. */
  public long valuesOutsideEnum() {
    return valuesOutsideEnum.get();
  }

  private Object keep(String key, AttributeType type, Object value) {
    if (value instanceof List) {
      // Attribute arrays hold scalars only; anything nested is dropped, never recursed into.
      List<Object> kept = new ArrayList<>();
      for (Object element : (List<?>) value) {
        Object k = element instanceof List ? null : keepScalar(key, type, element);
        if (k != null) {
          kept.add(k);
        }
      }
      return kept.isEmpty() ? null : Collections.unmodifiableList(kept);
    }
    return keepScalar(key, type, value);
  }

  /** The value as its type lets it be sent, after the guards; null (counted) when it does not fit or a guard objects. */
  private Object keepScalar(String key, AttributeType type, Object value) {
    Object fitted;
    switch (type.kind()) {
      case TEXT:
        return guardScalar(value);
      case ENUM:
        String listed = TypedValues.enumValue(type, value);
        if (listed == null) {
          valuesOutsideEnum.incrementAndGet();
          return AttributeType.OTHER;
        }
        return listed;
      case BOOL:
        fitted = TypedValues.bool(value);
        break;
      case INT:
      case NUMBER:
        // Digits written as text pass the text guards first: a phone or an account number is not a count.
        if (value instanceof String && guardText((String) value) == null) {
          return null;
        }
        fitted = type.kind() == AttributeType.Kind.INT ? TypedValues.integer(type, value) : TypedValues.number(type, value);
        break;
      case ROUTE:
        fitted = TypedValues.route(value);
        break;
      case VERSION:
        if (value instanceof String && knownVersions.isKnownSafe((String) value)) {
          return value;
        }
        fitted = TypedValues.version(value);
        if (fitted != null) {
          Object guarded = guardScalar(fitted);
          if (guarded != null) {
            knownVersions.rememberSafe((String) fitted);
          }
          return guarded;
        }
        break;
      default:
        fitted = TypedValues.token(value);
        break;
    }
    if (fitted == null) {
      valuesNotOfType.incrementAndGet();
      tellOnce(key, type);
      return null;
    }
    // A bucket label is the policy's own text; every other value still passes the guards.
    return fitted instanceof String && !type.buckets().isEmpty() ? fitted : guardScalar(fitted);
  }

  private Object guardScalar(Object value) {
    if (value instanceof String) {
      return guardText((String) value);
    }
    if (value instanceof Boolean) {
      return value;
    }
    GuardReason reason = null;
    if (value instanceof Long) {
      reason = ValueGuards.check((Long) value);
    } else if (value instanceof Double) {
      reason = ValueGuards.check((Double) value);
    } else {
      return null;
    }
    if (reason != null) {
      guardDrops.get(reason).incrementAndGet();
      return null;
    }
    return value;
  }

  private static String hashInput(Object value) {
    return String.valueOf(value);
  }

  private static Object findAnyType(Attributes attributes, String name) {
    Object[] found = new Object[1];
    attributes.forEach(
        (key, value) -> {
          if (found[0] == null && key.getKey().equals(name)) {
            found[0] = value;
          }
        });
    return found[0];
  }
}
