package dev.otelanalytics.internal.event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Matches names against exact names and globs ({@code *} any run of characters, {@code ?} one character). */
final class NameMatcher {
  private final Set<String> exactNames = new HashSet<>();
  private final List<Pattern> globs = new ArrayList<>();

  NameMatcher(Collection<String> namesOrGlobs) {
    for (String entry : namesOrGlobs) {
      if (entry.indexOf('*') < 0 && entry.indexOf('?') < 0) {
        exactNames.add(entry);
      } else {
        globs.add(globToPattern(entry));
      }
    }
  }

  boolean isEmpty() {
    return exactNames.isEmpty() && globs.isEmpty();
  }

  boolean matches(String name) {
    if (exactNames.contains(name)) {
      return true;
    }
    for (Pattern glob : globs) {
      if (glob.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  static Pattern globToPattern(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
