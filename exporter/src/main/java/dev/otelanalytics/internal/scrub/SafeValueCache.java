package dev.otelanalytics.internal.scrub;

/**
 * Remembers short values the value guards let through, so that the values analytics sees over and
 * over (commands, routes, versions, flags) are checked once, not once per event. Only values that
 * passed are kept: they are what events carry anyway, never a value the guards refused.
 *
 * <p>A fixed table indexed by the string's hash: one slot per index, a newer value replaces an
 * older one. Lock-free and race-tolerant: a slot holds a whole {@code String} (immutable, safely
 * published through its final fields) or null, so a reader sees either value or none, and a lost
 * update only costs one more check. Memory is bounded by {@value #SLOTS} values of at most
 * {@value #MAX_LENGTH} characters.
 */
final class SafeValueCache {
  static final int SLOTS = 1024;
  static final int MAX_LENGTH = 128;

  private final String[] slots = new String[SLOTS];

  /** True when {@code value} is known to have passed the guards; a long value is never looked up (nor hashed). */
  boolean isKnownSafe(String value) {
    if (value.length() > MAX_LENGTH) {
      return false;
    }
    String held = slots[index(value)];
    return held != null && held.equals(value);
  }

  /** Remembers that {@code value} passed the guards, when it is short enough to keep. */
  void rememberSafe(String value) {
    if (value.length() <= MAX_LENGTH) {
      slots[index(value)] = value;
    }
  }

  private static int index(String value) {
    int h = value.hashCode();
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
