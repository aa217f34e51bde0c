package dev.otelanalytics.internal.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One series of a usage report: an instrument name and the attributes that survived the policy
 * (allowlisted keys, values that passed the guards), as text. Immutable; ordered by name, then
 * attributes.
 */
final class SeriesKey implements Comparable<SeriesKey> {
  private final String metric;
  private final SortedMap<String, String> attributes;
  private final String label;

  SeriesKey(String metric, Map<String, String> attributes) {
    this.metric = Objects.requireNonNull(metric, "metric");
    this.attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    this.label = label(this.attributes);
  }

  static SeriesKey of(String metric) {
    return new SeriesKey(metric, Collections.<String, String>emptyMap());
  }

  String metric() {
    return metric;
  }

  SortedMap<String, String> attributes() {
    return attributes;
  }

  /** This series without its attributes: where a point goes whose attributes were all dropped. */
  SeriesKey withoutAttributes() {
    return attributes.isEmpty() ? this : of(metric);
  }

  /**
   * {@code {key=value,key2=value2}}, keys in order, with {@code \ , = { }} in keys and values
   * escaped by a backslash; empty for a series without attributes.
   */
  String label() {
    return label;
  }

  private static String label(SortedMap<String, String> attributes) {
    if (attributes.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      escape(e.getKey(), out);
      out.append('=');
      escape(e.getValue(), out);
    }
    return out.append('}').toString();
  }

  private static void escape(String text, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' || c == ',' || c == '=' || c == '{' || c == '}') {
        out.append('\\');
      }
      out.append(c);
    }
  }

  @Override
  public int compareTo(SeriesKey o) {
    int byName = metric.compareTo(o.metric);
    return byName != 0 ? byName : label.compareTo(o.label);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesKey && ((SeriesKey) o).metric.equals(metric) && ((SeriesKey) o).attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return metric.hashCode() * 31 + attributes.hashCode();
  }

  /** The instrument name and attribute keys only: this text may reach a log. */
  @Override
  public String toString() {
    return metric + attributes.keySet();
  }
}
