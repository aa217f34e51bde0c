package dev.otelanalytics.policy;

import java.util.Objects;

/** One key a policy names, with the reason it is collected (which becomes the privacy statement). */
public final class PolicyEntry {
  private final String key;
  private final String why;

  private PolicyEntry(String key, String why) {
    this.key = Objects.requireNonNull(key, "key");
    this.why = why == null ? "" : why;
  }

  /**
   * Creates an entry; {@code why} may be empty for entries configured without a reason.
   *
   * @param key the attribute key or metric name, not null
   * @param why why it is collected; null counts as empty
   * @return the entry
   */
  public static PolicyEntry of(String key, String why) {
    return new PolicyEntry(key, why);
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

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyEntry && ((PolicyEntry) o).key.equals(key) && ((PolicyEntry) o).why.equals(why);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + why.hashCode();
  }

  @Override
  public String toString() {
    return why.isEmpty() ? key : key + " (" + why + ")";
  }
}
