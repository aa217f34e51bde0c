package dev.otelanalytics.internal.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The open report window: when it started, the series counted so far, and the allowlisted
 * resource attributes of the service. Holds only what already passed the policy, so its file
 * ({@code usage-window.json}) holds nothing a report would not. Not thread-safe.
 *
 * <p>File format, version 1:
 * <pre>{@code
 * {"format":1,"window_start":"2026-11-23T10:15:30.123Z","remote":false,
 *  "resource":{"service.name":"cli-app","service.version":"0.1.0"},
 *  "series":[
 *   {"metric":"cli.items.inspected","kind":"sum","monotonic":true,"attributes":{"cli.command":"inspect"},"value":42},
 *   {"metric":"http.server.request.duration","kind":"histogram","attributes":{},"count":17,"sum":1234.5},
 *   {"metric":"queue.depth","kind":"gauge","attributes":{},"value":3,"at":"2026-11-23T11:00:00.000000001Z"}],
 *  "reports":["{\"event\":\"usage_report\",…}"],
 *  "taken":["s-0123456789abcdef.json"]}
 * }</pre>
 * A whole number is a long and a number with a fraction or exponent a double, so a long sum
 * stays exact across restarts.
 *
 * <p>{@code reports} (only when there are any) holds closed windows' reports that were not yet
 * handed to delivery, each as the outbox writes an event: a window is reset in the same write
 * that stores its report, so a crash or a refusal in between loses nothing, and a report handed
 * over again keeps its uuid and content. {@code taken} (only when not empty) names the files of
 * counts kept by runs that could not have the lock (see {@link UsageWindowStore}) whose counts
 * are already in this window, so that such a file left behind by a crash is never added twice.
 */
final class UsageWindow {
  /** The version of the file format written. */
  static final int FORMAT = 1;
  /** Most series with attributes per instrument; more points count in the series without attributes. */
  static final int MAX_SERIES_PER_METRIC = 100;

  /** In a holder: making the usage-report exporter, at the SDK's start, loads no part of Jackson. */
  private static final class Json {
    static final JsonFactory FACTORY = new JsonFactory();
  }

  private Instant start;
  private boolean remote;
  private final Map<String, Object> resource = new LinkedHashMap<>();
  private final SortedMap<SeriesKey, SeriesValue> series = new TreeMap<>();
  private final Map<String, Integer> attributedSeries = new HashMap<>();
  private long kindConflicts;
  private final List<AnalyticsEvent> reports = new ArrayList<>();
  private final Set<String> taken = new TreeSet<>();

  UsageWindow(Instant start) {
    this.start = start;
  }

  /** When the window opened; null for the pending points of one exporter. */
  Instant start() {
    return start;
  }

  void setStart(Instant start) {
    this.start = start;
  }

  /**
   * Whether the counts were collected while reports leave the machine. Counts collected while
   * they stay on it (level local, a first-run notice, a local destination) are never sent later.
   */
  boolean remote() {
    return remote;
  }

  void setRemote(boolean remote) {
    this.remote = remote;
  }

  boolean isEmpty() {
    return series.isEmpty();
  }

  SortedMap<SeriesKey, SeriesValue> series() {
    return Collections.unmodifiableSortedMap(series);
  }

  /** Allowlisted resource attributes (already guarded). */
  Map<String, Object> resource() {
    return Collections.unmodifiableMap(resource);
  }

  /** Points dropped because their instrument name was seen before as another kind (a sum, then a gauge). */
  long kindConflicts() {
    return kindConflicts;
  }

  void setResource(Map<String, Object> attributes) {
    if (!attributes.isEmpty()) {
      resource.clear();
      resource.putAll(attributes);
    }
  }

  /**
   * Adds {@code value} to series {@code key}. A series beyond {@link #MAX_SERIES_PER_METRIC}
   * for its instrument goes to the series without attributes instead.
   */
  void add(SeriesKey key, SeriesValue value) {
    SeriesValue existing = series.get(key);
    if (existing == null) {
      SeriesValue other = kindOf(key.metric());
      if (other != null && other.kind != value.kind) {
        kindConflicts++;
        return;
      }
      if (!key.attributes().isEmpty()) {
        int count = attributedSeries.getOrDefault(key.metric(), 0);
        if (count >= MAX_SERIES_PER_METRIC) {
          key = key.withoutAttributes();
          existing = series.get(key);
        } else {
          attributedSeries.put(key.metric(), count + 1);
        }
      }
    }
    if (existing == null) {
      series.put(key, value.copy());
    } else if (!existing.add(value)) {
      kindConflicts++;
    }
  }

  /** Reports of closed windows not yet handed to delivery, oldest first. */
  List<AnalyticsEvent> reports() {
    return Collections.unmodifiableList(reports);
  }

  void addReport(AnalyticsEvent report) {
    reports.add(report);
  }

  void setReports(Collection<AnalyticsEvent> pending) {
    reports.clear();
    reports.addAll(pending);
  }

  /** Names of kept-counts files whose counts this window already holds. */
  Set<String> taken() {
    return Collections.unmodifiableSet(taken);
  }

  void setTaken(Collection<String> names) {
    taken.clear();
    taken.addAll(names);
  }

  /** A copy that shares nothing mutable with this window. */
  UsageWindow copy() {
    UsageWindow copy = new UsageWindow(start);
    copy.remote = remote;
    copy.resource.putAll(resource);
    for (Map.Entry<SeriesKey, SeriesValue> e : series.entrySet()) {
      copy.series.put(e.getKey(), e.getValue().copy());
    }
    copy.attributedSeries.putAll(attributedSeries);
    copy.kindConflicts = kindConflicts;
    copy.reports.addAll(reports);
    copy.taken.addAll(taken);
    return copy;
  }

  /** Adds every series and the resource of {@code other}. */
  void addAll(UsageWindow other) {
    for (Map.Entry<SeriesKey, SeriesValue> e : other.series.entrySet()) {
      add(e.getKey(), e.getValue());
    }
    setResource(other.resource);
  }

  private SeriesValue kindOf(String metric) {
    SortedMap<SeriesKey, SeriesValue> tail = series.tailMap(SeriesKey.of(metric));
    if (tail.isEmpty()) {
      return null;
    }
    Map.Entry<SeriesKey, SeriesValue> first = tail.entrySet().iterator().next();
    return first.getKey().metric().equals(metric) ? first.getValue() : null;
  }

  // ---------------------------------------------------------------------------------------------
  // The file

  byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + series.size() * 128);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      g.writeStringField("window_start", DateTimeFormatter.ISO_INSTANT.format(start));
      g.writeBooleanField("remote", remote);
      g.writeObjectFieldStart("resource");
      for (Map.Entry<String, Object> e : resource.entrySet()) {
        g.writeFieldName(e.getKey());
        writeScalar(g, e.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("series");
      for (Map.Entry<SeriesKey, SeriesValue> e : series.entrySet()) {
        SeriesValue v = e.getValue();
        g.writeStartObject();
        g.writeStringField("metric", e.getKey().metric());
        g.writeStringField("kind", v.kind.text);
        if (v.kind == SeriesValue.Kind.SUM) {
          g.writeBooleanField("monotonic", v.monotonic);
        }
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> a : e.getKey().attributes().entrySet()) {
          g.writeStringField(a.getKey(), a.getValue());
        }
        g.writeEndObject();
        if (v.kind == SeriesValue.Kind.HISTOGRAM) {
          g.writeNumberField("count", v.count);
          writeDouble(g, "sum", v.sum);
        } else if (v.isDouble) {
          writeDouble(g, "value", v.doubleValue);
        } else {
          g.writeNumberField("value", v.longValue);
        }
        if (v.kind == SeriesValue.Kind.GAUGE) {
          g.writeStringField("at", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(0, v.atEpochNanos)));
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      if (!reports.isEmpty()) {
        g.writeArrayFieldStart("reports");
        for (AnalyticsEvent report : reports) {
          g.writeString(eventLine(report));
        }
        g.writeEndArray();
      }
      if (!taken.isEmpty()) {
        g.writeArrayFieldStart("taken");
        for (String name : taken) {
          g.writeString(name);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JSON encoding failed", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** The event as the outbox writes it (one line, no newline). */
  private static String eventLine(AnalyticsEvent event) {
    byte[] line = EventJson.toJsonLines(Collections.singletonList(event));
    int length = line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1 : line.length;
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  private static void writeDouble(JsonGenerator g, String field, double value) throws IOException {
    // Always with a fraction or exponent, so that it reads back as a double; never NaN or infinite.
    g.writeFieldName(field);
    g.writeNumber(Double.isNaN(value) || Double.isInfinite(value) ? 0.0 : value);
  }

  private static void writeScalar(JsonGenerator g, Object value) throws IOException {
    if (value instanceof Boolean) {
      g.writeBoolean((Boolean) value);
    } else if (value instanceof Long) {
      g.writeNumber((Long) value);
    } else if (value instanceof Double) {
      g.writeNumber(Double.isNaN((Double) value) || Double.isInfinite((Double) value) ? 0.0 : (Double) value);
    } else {
      g.writeString(String.valueOf(value));
    }
  }

  /** Reads a window written by {@link #toJson()}; anything else is {@link CorruptWindowException}. */
  static UsageWindow parse(byte[] bytes) throws CorruptWindowException {
    try (JsonParser p = Json.FACTORY.createParser(bytes)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
      Integer format = null;
      Instant start = null;
      boolean remote = false;
      Map<String, Object> resource = new LinkedHashMap<>();
      UsageWindow window = new UsageWindow(null);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken token = p.nextToken();
        switch (field) {
          case "format":
            expect(token == JsonToken.VALUE_NUMBER_INT, "format is not a number");
            format = p.getIntValue();
            expect(format == FORMAT, "unknown format " + format);
            break;
          case "window_start":
            start = instant(p, token, "window_start");
            break;
          case "remote":
            expect(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, "remote is not a boolean");
            remote = token == JsonToken.VALUE_TRUE;
            break;
          case "resource":
            expect(token == JsonToken.START_OBJECT, "resource is not an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String key = p.currentName();
              resource.put(key, scalar(p, p.nextToken()));
            }
            break;
          case "series":
            expect(token == JsonToken.START_ARRAY, "series is not a list");
            while (p.nextToken() == JsonToken.START_OBJECT) {
              readSeries(p, window);
            }
            expect(p.currentToken() == JsonToken.END_ARRAY, "series holds something else than objects");
            break;
          case "reports":
            expect(token == JsonToken.START_ARRAY, "reports is not a list");
            while (p.nextToken() == JsonToken.VALUE_STRING) {
              AnalyticsEvent report = EventJson.parse(p.getText());
              expect(report != null, "a report is not an event");
              window.addReport(report);
            }
            expect(p.currentToken() == JsonToken.END_ARRAY, "reports holds something else than events");
            break;
          case "taken":
            expect(token == JsonToken.START_ARRAY, "taken is not a list");
            while (p.nextToken() == JsonToken.VALUE_STRING) {
              window.taken.add(p.getText());
            }
            expect(p.currentToken() == JsonToken.END_ARRAY, "taken holds something else than names");
            break;
          default:
            p.skipChildren();
            break;
        }
      }
      expect(p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null, "trailing content");
      expect(format != null && start != null, "format or window_start missing");
      window.setStart(start);
      window.setRemote(remote);
      window.setResource(resource);
      return window;
    } catch (IOException | RuntimeException e) {
      if (e instanceof CorruptWindowException) {
        throw (CorruptWindowException) e;
      }
      throw new CorruptWindowException(e.getClass().getSimpleName());
    }
  }

  private static void readSeries(JsonParser p, UsageWindow window) throws IOException {
    String metric = null;
    SeriesValue.Kind kind = null;
    boolean monotonic = false;
    Map<String, String> attributes = new HashMap<>();
    Number value = null;
    Long count = null;
    Double sum = null;
    Instant at = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken token = p.nextToken();
      switch (field) {
        case "metric":
          expect(token == JsonToken.VALUE_STRING && !p.getText().isEmpty(), "metric is not a name");
          metric = p.getText();
          break;
        case "kind":
          expect(token == JsonToken.VALUE_STRING, "kind is not a string");
          kind = SeriesValue.Kind.parse(p.getText());
          expect(kind != null, "unknown kind");
          break;
        case "monotonic":
          expect(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, "monotonic is not a boolean");
          monotonic = token == JsonToken.VALUE_TRUE;
          break;
        case "attributes":
          expect(token == JsonToken.START_OBJECT, "attributes is not an object");
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            expect(p.nextToken() == JsonToken.VALUE_STRING, "an attribute value is not a string");
            attributes.put(key, p.getText());
          }
          break;
        case "value":
          value = number(p, token, "value");
          break;
        case "count":
          expect(token == JsonToken.VALUE_NUMBER_INT, "count is not a whole number");
          count = p.getLongValue();
          break;
        case "sum":
          sum = number(p, token, "sum").doubleValue();
          break;
        case "at":
          at = instant(p, token, "at");
          break;
        default:
          p.skipChildren();
          break;
      }
    }
    expect(metric != null && kind != null, "a series without metric or kind");
    SeriesValue v;
    switch (kind) {
      case SUM:
        expect(value != null, "a sum without value");
        v = SeriesValue.sum(monotonic);
        if (value instanceof Double) {
          v.addDouble(value.doubleValue());
        } else {
          v.addLong(value.longValue());
        }
        break;
      case HISTOGRAM:
        expect(count != null && count >= 0 && sum != null, "a histogram without count or sum");
        v = SeriesValue.histogram();
        v.addHistogram(count, sum);
        break;
      default:
        expect(value != null && at != null, "a gauge without value or time");
        v = SeriesValue.gauge();
        v.setGauge(value, at.getEpochSecond() * 1_000_000_000L + at.getNano());
        break;
    }
    window.add(new SeriesKey(metric, attributes), v);
  }

  private static Number number(JsonParser p, JsonToken token, String field) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    expect(token == JsonToken.VALUE_NUMBER_FLOAT, field + " is not a number");
    double d = p.getDoubleValue();
    expect(!Double.isNaN(d) && !Double.isInfinite(d), field + " is not finite");
    return d;
  }

  private static Object scalar(JsonParser p, JsonToken token) throws IOException {
    Object value = token == null ? null : EventJson.scalar(p);
    if (value == null) {
      throw new CorruptWindowException("a resource value is not a scalar");
    }
    return value;
  }


  private static Instant instant(JsonParser p, JsonToken token, String field) throws IOException {
    expect(token == JsonToken.VALUE_STRING, field + " is not a time");
    try {
      return Instant.parse(p.getText());
    } catch (DateTimeParseException e) {
      throw new CorruptWindowException(field + " is not a time");
    }
  }

  private static void expect(boolean condition, String problem) throws CorruptWindowException {
    if (!condition) {
      throw new CorruptWindowException(problem);
    }
  }

  /** The window file cannot be read back; the message says why without quoting its content. */
  static final class CorruptWindowException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptWindowException(String problem) {
      super(problem);
    }
  }
}
