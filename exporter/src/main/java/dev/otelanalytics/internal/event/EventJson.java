package dev.otelanalytics.internal.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.otelanalytics.event.AnalyticsEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
    g.writeStringField("timestamp", EventTimestamps.format(event.timestampEpochNanos()));
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

  /** Writes one property value (string, long, double, boolean or a list of those). */
  public static void writeValue(JsonGenerator g, Object value) throws IOException {
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
   * Reads back one event written by {@link #write}. Returns null for a line that is not a
   * complete event (a corrupt or truncated line), so the caller can skip and count it.
   */
  public static AnalyticsEvent parse(String line) {
    try {
      return parse(JSON.createParser(line));
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Reads back one event written by {@link #write} from UTF-8 bytes (checked to be valid UTF-8
   * by the caller); null as for {@link #parse(String)}.
   */
  public static AnalyticsEvent parse(byte[] utf8, int offset, int length) {
    try {
      return parse(JSON.createParser(utf8, offset, length));
    } catch (IOException e) {
      return null;
    }
  }

  private static AnalyticsEvent parse(JsonParser parser) {
    try (JsonParser p = parser) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String name = null;
      String distinctId = null;
      String timestamp = null;
      String uuid = null;
      Map<String, Object> properties = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("properties") && value == JsonToken.START_OBJECT) {
          properties = readProperties(p);
        } else if (value == JsonToken.VALUE_STRING) {
          switch (field) {
            case "event":
              name = p.getText();
              break;
            case "distinct_id":
              distinctId = p.getText();
              break;
            case "timestamp":
              timestamp = p.getText();
              break;
            case "uuid":
              uuid = p.getText();
              break;
            default:
              break;
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null
          || name == null || distinctId == null || timestamp == null || uuid == null || properties == null) {
        return null;
      }
      return AnalyticsEvent.create(name, distinctId, EventTimestamps.parse(timestamp), uuid, properties);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Map<String, Object> readProperties(JsonParser p) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken token = p.nextToken();
      if (token == JsonToken.START_ARRAY) {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          Object element = scalar(p);
          if (element != null) {
            list.add(element);
          }
        }
        out.put(key, list);
      } else {
        Object value = scalar(p);
        if (value != null) {
          out.put(key, value);
        }
      }
    }
    return out;
  }

  /**
   * The scalar at the parser's current token (string, long, double, boolean), or null (after
   * skipping it) for anything else.
   */
  public static Object scalar(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      default:
        p.skipChildren();
        return null;
    }
  }

  /**
   * Encodes a throw-away event in memory, so that the classes the encoder needs are loaded on
   * the calling (worker) thread while the app works, not when the first real event is due.
   */
  public static void warmUp() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("s", "v");
    properties.put("n", 1L);
    properties.put("b", true);
    toJsonLines(Collections.singletonList(AnalyticsEvent.create("warm-up", "-", 0L, "-", properties)));
  }

  /**
   * {@code events} as JSON Lines, UTF-8, each line ending in {@code \n}. For {@link EncodedEvents}
   * their encoding, made once and shared: the caller must not change the array.
   */
  public static byte[] toJsonLines(List<AnalyticsEvent> events) {
    if (events instanceof EncodedEvents) {
      return ((EncodedEvents) events).jsonLines();
    }
    return encodeJsonLines(events);
  }

  static byte[] encodeJsonLines(List<AnalyticsEvent> events) {
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
