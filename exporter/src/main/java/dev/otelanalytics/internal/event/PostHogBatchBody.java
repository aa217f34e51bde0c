package dev.otelanalytics.internal.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.LibraryVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Encodes events as the body of one PostHog {@code /batch/} request:
 * {@code {"api_key": ..., "batch": [{"event", "distinct_id", "properties", "timestamp", "uuid"}]}}.
 * Each event is written once into a buffer reused for the whole batch and copied into the body
 * when it is within the per-event limit; an event over it is left out and counted.
 */
public final class PostHogBatchBody {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] BATCH_START = ",\"batch\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final byte[] bytes;
  private final int events;
  private final int oversize;

  private PostHogBatchBody(byte[] bytes, int events, int oversize) {
    this.bytes = bytes;
    this.events = events;
    this.oversize = oversize;
  }

  /**
   * The body for {@code events}.
   *
   * @param maxEventBytes an event whose JSON is longer is left out and counted in {@link #oversize()}
   */
  public static PostHogBatchBody encode(String apiKey, List<AnalyticsEvent> events, int maxEventBytes) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 + apiKey.length() + events.size() * 512);
    ByteArrayOutputStream event = new ByteArrayOutputStream(1024);
    int written = 0;
    int oversize = 0;
    try {
      try (JsonGenerator g = JSON.createGenerator(body)) {
        // The rest of the envelope is written as bytes around the events: the object stays open.
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
        g.writeStartObject();
        g.writeStringField("api_key", apiKey);
      }
      body.write(BATCH_START);
      // One generator for every event: it writes each into the event buffer, which is measured
      // against the limit before it is copied into the body.
      try (JsonGenerator g = JSON.createGenerator(event)) {
        g.setRootValueSeparator(null);
        for (AnalyticsEvent e : events) {
          event.reset();
          writeEvent(e, g);
          g.flush();
          if (event.size() > maxEventBytes) {
            oversize++;
            continue;
          }
          if (written++ > 0) {
            body.write(',');
          }
          event.writeTo(body);
        }
      }
      body.write(']');
      body.write('}');
    } catch (IOException e) {
      throw new IllegalStateException("in-memory JSON encoding failed", e);
    }
    return new PostHogBatchBody(body.toByteArray(), written, oversize);
  }

  private static void writeEvent(AnalyticsEvent event, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("event", event.name());
    g.writeStringField("distinct_id", event.distinctId());
    g.writeFieldName("properties");
    g.writeStartObject();
    for (Map.Entry<String, Object> p : event.properties().entrySet()) {
      // '$' names are PostHog controls; only the ones below, with these values, may be sent.
      if (!p.getKey().startsWith("$")) {
        g.writeFieldName(p.getKey());
        EventJson.writeValue(g, p.getValue());
      }
    }
    g.writeStringField("$lib", LibraryVersion.NAME);
    g.writeStringField("$lib_version", LibraryVersion.get());
    g.writeBooleanField("$process_person_profile", false);
    g.writeBooleanField("$geoip_disable", true);
    g.writeEndObject();
    g.writeStringField("timestamp", EventTimestamps.format(event.timestampEpochNanos()));
    g.writeStringField("uuid", event.uuid());
    g.writeEndObject();
  }

  /** The body, UTF-8 JSON. */
  public byte[] bytes() {
    return bytes;
  }

  /** Events in the body. */
  public int events() {
    return events;
  }

  /** Events left out because their JSON was over the limit. */
  public int oversize() {
    return oversize;
  }
}
