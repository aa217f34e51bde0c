package dev.otelanalytics.internal.guard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regular expression compiled on its first use. Most values never get past the guards' cheap
 * pre-checks to most of their seventy patterns, and compiling all of them when the guards load
 * was the larger part of their 30 to 40 ms of start-up, which a CLI run pays before it exits.
 * Thread-safe: two threads may both compile it once; either result is the same pattern.
 */
final class LazyPattern {
  private final String regex;
  private final int flags;
  private volatile Pattern compiled;

  private LazyPattern(String regex, int flags) {
    this.regex = regex;
    this.flags = flags;
  }

  static LazyPattern of(String regex) {
    return new LazyPattern(regex, 0);
  }

  static LazyPattern of(String regex, int flags) {
    return new LazyPattern(regex, flags);
  }

  /** The compiled pattern, compiled now if it was not yet. */
  Pattern pattern() {
    Pattern p = compiled;
    if (p == null) {
      p = Pattern.compile(regex, flags);
      compiled = p;
    }
    return p;
  }

  Matcher matcher(CharSequence input) {
    return pattern().matcher(input);
  }
}
