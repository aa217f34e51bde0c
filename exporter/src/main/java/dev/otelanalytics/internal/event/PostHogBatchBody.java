package dev.otelanalytics.internal.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.LibraryVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Encodes events as the body of one PostHog {@code /batch/} request:
 * {@code {"api_key": ..., "batch": [{"event", "distinct_id", "properties", "timestamp", "uuid"}]}}.
 * Each event is written once into an event buffer and copied into the body when it is within the
 * per-event limit; an event over it is left out and counted.
 *
 * <p>An instance keeps its two buffers from one body to the next, so that a sender making body
 * after body allocates nothing for them once they have grown (a new array per body was a third of
 * the bytes allocated per event). Not thread-safe: one body at a time, read before the next
 * {@link #encode}. A buffer that grew past {@value #KEEP_AT_MOST} bytes is let go after its body.
 */
public final class PostHogBatchBody {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] BATCH_START = ",\"batch\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  /** Largest buffer kept for the next body: a batch of 100 events is 60 to 300 KB. */
  static final int KEEP_AT_MOST = 1 << 20;

  private Buffer body = new Buffer(16 * 1024);
  private Buffer event = new Buffer(1024);
  private int events;
  private int oversize;

  /**
   * Replaces what this body held by the body for {@code events}.
   *
   * @param maxEventBytes an event whose JSON is longer is left out and counted in {@link #oversize()}
   * @return this body
   */
  public PostHogBatchBody encode(String apiKey, List<AnalyticsEvent> events, int maxEventBytes) {
    if (body.capacity() > KEEP_AT_MOST) {
      body = new Buffer(16 * 1024);
    }
    if (event.capacity() > KEEP_AT_MOST) {
      event = new Buffer(1024);
    }
    body.reset();
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
    this.events = written;
    this.oversize = oversize;
    return this;
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

  /** The body's length in bytes. */
  public int length() {
    return body.size();
  }

  /** The body, UTF-8 JSON: a copy. */
  public byte[] bytes() {
    return body.toByteArray();
  }

  /** Writes the body to {@code out}, without a copy. */
  public void writeTo(OutputStream out) throws IOException {
    body.writeTo(out);
  }

  /** Events in the body. */
  public int events() {
    return events;
  }

  /** Events left out because their JSON was over the limit. */
  public int oversize() {
    return oversize;
  }

  /** A byte buffer that tells its capacity. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    int capacity() {
      return buf.length;
    }
  }
}
