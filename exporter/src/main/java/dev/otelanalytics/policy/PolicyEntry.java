package dev.otelanalytics.policy;

import java.util.Objects;

/**
 * One key a policy names, with the reason it is collected (which becomes the privacy statement)
 * and, for an allowed attribute, the {@link AttributeType type} of value it may hold.
 */
public final class PolicyEntry {
  private final String key;
  private final String why;
  private final AttributeType type;

  private PolicyEntry(String key, String why, AttributeType type) {
    this.key = Objects.requireNonNull(key, "key");
    this.why = why == null ? "" : why;
    this.type = Objects.requireNonNull(type, "type");
  }

  /**
   * Creates an entry of type {@link AttributeType#token()}; {@code why} may be empty for entries
   * configured without a reason.
   *
   * @param key the attribute key or metric name, not null
   * @param why why it is collected; null counts as empty
   * @return the entry
   */
  public static PolicyEntry of(String key, String why) {
    return new PolicyEntry(key, why, AttributeType.token());
  }

  /**
   * Creates an entry whose values must be of {@code type}.
   *
   * @param key the attribute key, not null
   * @param why why it is collected; null counts as empty
   * @param type what the values may be, not null
   * @return the entry
   */
  public static PolicyEntry of(String key, String why, AttributeType type) {
    return new PolicyEntry(key, why, type);
  }

  /**
   * The attribute key or metric name the entry is about.
   *
   * @return the key, exactly as the policy names it
   */
  public String key() {
    return key;
  }

  /**
   * The stated reason; empty when none was given.
   *
   * @return the reason, never null
   */
  public String why() {
    return why;
  }

  /**
   * What the values may be. Meaningful for allowed span and resource attributes; hashed
   * attributes are sent as hashes and metric names have no values, so theirs is {@code token}.
   *
   * @return the type, never null
   */
  public AttributeType type() {
    return type;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PolicyEntry)) {
      return false;
    }
    PolicyEntry other = (PolicyEntry) o;
    return other.key.equals(key) && other.why.equals(why) && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return (key.hashCode() * 31 + why.hashCode()) * 31 + type.hashCode();
  }

  @Override
  public String toString() {
    return key + ": " + type + (why.isEmpty() ? "" : " (" + why + ")");
  }
}
