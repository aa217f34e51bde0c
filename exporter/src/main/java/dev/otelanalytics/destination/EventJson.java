package dev.otelanalytics.destination;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelanalytics.event.AnalyticsEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Encodes events as JSON with Jackson's streaming generator (no object mapping on the hot path):
 * <pre>{@code {"event":"inspect","distinct_id":"…","timestamp":"2026-11-23T10:15:30.123Z","uuid":"…","properties":{…}}}</pre>
 */
public final class EventJson {
  private static final JsonFactory JSON = new JsonFactory();

  private EventJson() {}

  /** Writes {@code event} as one JSON object. */
  public static void write(JsonGenerator g, AnalyticsEvent event) throws IOException {
    g.writeStartObject();
    g.writeStringField("event", event.name());
    g.writeStringField("distinct_id", event.distinctId());
    g.writeStringField("timestamp", DateTimeFormatter.ISO_INSTANT.format(event.timestamp()));
    g.writeStringField("uuid", event.uuid());
    g.writeFieldName("properties");
    writeProperties(g, event.properties());
    g.writeEndObject();
  }

  /** Writes a property map; values are strings, longs, doubles, booleans or lists of those. */
  public static void writeProperties(JsonGenerator g, Map<String, Object> properties) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Object> e : properties.entrySet()) {
      g.writeFieldName(e.getKey());
      writeValue(g, e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    if (value instanceof String) {
      g.writeString((String) value);
    } else if (value instanceof Long || value instanceof Integer) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double) {
      double d = (Double) value;
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        g.writeNull();
      } else {
        g.writeNumber(d);
      }
    } else if (value instanceof Boolean) {
      g.writeBoolean((Boolean) value);
    } else if (value instanceof List) {
      g.writeStartArray();
      for (Object element : (List<?>) value) {
        writeValue(g, element);
      }
      g.writeEndArray();
    } else {
      g.writeNull();
    }
  }

  /**
   * Encodes a throw-away event in memory, so that the classes the encoder needs are loaded on
   * the calling (worker) thread while the app works, not when the first real event is due.
   */
  public static void warmUp() {
    Map<String, Object> properties = new java.util.LinkedHashMap<>();
    properties.put("s", "v");
    properties.put("n", 1L);
    properties.put("b", true);
    toJsonLines(java.util.Collections.singletonList(AnalyticsEvent.create("warm-up", "-", 0L, "-", properties)));
  }

  /** {@code events} as JSON Lines, UTF-8, each line ending in {@code \n}. */
  public static byte[] toJsonLines(List<AnalyticsEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * events.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setRootValueSeparator(null);
      for (AnalyticsEvent event : events) {
        write(g, event);
        g.flush();
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JSON encoding failed", e);
    }
    return out.toByteArray();
  }

  /** {@code event} as indented JSON, for people to read. */
  public static String toPrettyJson(AnalyticsEvent event) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      write(g, event);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JSON encoding failed", e);
    }
    return out.toString();
  }
}
