package dev.otelanalytics.internal.collector;

import dev.otelanalytics.internal.HiddenCharacters;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes YAML for the Collector line by line, so that comments sit where they help and the same
 * calls always give the same bytes. Scalars are quoted unless plainly safe; every {@code $} in
 * a quoted or plain scalar is doubled, because the Collector reads {@code $$} as one {@code $}
 * and expands {@code ${...}}, so that a pattern or a name from the policy arrives as written.
 * Only {@link #raw} writes a value as it is (environment references such as
 * {@code ${env:OTEL_ANALYTICS_RELAY_URL}}).
 */
final class YamlWriter {
  private static final int WIDTH = 100;
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]*");
  private static final List<String> RESERVED = Arrays.asList("true", "false", "null", "yes", "no", "on", "off",
      "y", "n");

  private final StringBuilder out = new StringBuilder();
  private final Deque<Integer> levels = new ArrayDeque<>();
  private int indent;
  private boolean dash;

  /**
   * A comment at the current indentation, wrapped at about 100 characters; a line break or other
   * control character in it (a file name can hold one) is written as a backslash-u escape with four
   * hex digits (a line break as {@code \\u000a}), so it cannot end the comment.
   */
  YamlWriter comment(String text) {
    text = HiddenCharacters.escape(text);
    String prefix = spaces(indent) + "# ";
    int lead = 0;
    while (lead < text.length() && text.charAt(lead) == ' ') {
      lead++;
    }
    // Continuation lines hang two spaces in from where the text (or a "- " item's text) starts.
    String hanging = prefix + spaces(lead + 2);
    StringBuilder line = new StringBuilder(prefix);
    boolean empty = true;
    for (String word : text.split(" ")) {
      if (!empty && line.length() + 1 + word.length() > WIDTH) {
        out.append(line).append('\n');
        line.setLength(0);
        line.append(hanging);
        empty = true;
      }
      if (!empty) {
        line.append(' ');
      }
      line.append(word);
      empty = false;
    }
    out.append(stripEnd(line)).append('\n');
    return this;
  }

  /** A comment on one line however long, for what must stay whole, such as a command to copy. */
  YamlWriter commentLine(String text) {
    out.append(spaces(indent)).append("# ").append(HiddenCharacters.escape(text)).append('\n');
    return this;
  }

  /** An empty line. */
  YamlWriter blank() {
    out.append('\n');
    return this;
  }

  /** {@code key:} followed by a nested mapping or list, until {@link #close}. */
  YamlWriter open(String key) {
    line(key + ":");
    levels.push(indent);
    indent += 2;
    return this;
  }

  /** Starts a mapping that is an item of the list being written, until {@link #close}. */
  YamlWriter openItem() {
    levels.push(indent);
    indent += 2;
    dash = true;
    return this;
  }

  /** Ends what the last {@link #open} or {@link #openItem} started. */
  YamlWriter close() {
    indent = levels.pop();
    return this;
  }

  /** {@code key: value}, quoted as needed. */
  YamlWriter value(String key, String value) {
    return line(key + ": " + scalar(value));
  }

  /** {@code key: value} with the value as it is: numbers, booleans, {@code {}}, environment references. */
  YamlWriter raw(String key, String value) {
    return line(key + ": " + value);
  }

  /** A list item of the list being written, quoted as needed. */
  YamlWriter item(String value) {
    return line("- " + scalar(value));
  }

  /** {@code key: [a, b]} for names that need no quotes; or a block list of quoted items. */
  YamlWriter list(String key, List<String> values) {
    if (values.isEmpty()) {
      return line(key + ": []");
    }
    open(key);
    for (String v : values) {
      item(v);
    }
    return close();
  }

  /** {@code key: [a, b, c]}: a short list of component names. */
  YamlWriter flowList(String key, List<String> names) {
    StringBuilder s = new StringBuilder();
    for (String name : names) {
      s.append(s.length() == 0 ? "" : ", ").append(scalar(name));
    }
    return line(key + ": [" + s + "]");
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** The value as a YAML scalar: plain when it is a simple name, else single-quoted; {@code $} doubled. */
  static String scalar(String value) {
    if (PLAIN.matcher(value).matches() && !RESERVED.contains(value.toLowerCase(Locale.ROOT))) {
      return value;
    }
    return "'" + value.replace("'", "''").replace("$", "$$") + "'";
  }

  private YamlWriter line(String content) {
    if (dash) {
      out.append(spaces(indent - 2)).append("- ");
      dash = false;
    } else {
      out.append(spaces(indent));
    }
    out.append(content).append('\n');
    return this;
  }

  private static String spaces(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append(' ');
    }
    return s.toString();
  }

  private static String stripEnd(StringBuilder line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      end--;
    }
    return line.substring(0, end);
  }
}
