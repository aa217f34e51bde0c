package dev.otelanalytics.relay.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelanalytics.DeliveryStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The {@code /v1/stats} document: how requests were answered, what became of their spans and
 * points, and the analytics pipeline's own counts (selected spans queued, dropped by reason,
 * events delivered). Counts only: nothing from a request.
 */
public final class StatsJson {
  private static final JsonFactory JSON = new JsonFactory();

  private StatsJson() {}

  public static byte[] render(RelayCounters relay, DeliveryStats analytics, int streams) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeObjectFieldStart("requests");
      for (Outcome outcome : Outcome.values()) {
        json.writeNumberField(outcome.key(), relay.requests(outcome));
      }
      json.writeEndObject();
      json.writeObjectFieldStart("spans");
      json.writeNumberField("received", relay.spansReceived.sum());
      json.writeNumberField("rejected_invalid", relay.spansRejected.sum());
      json.writeNumberField("refused_retry_later", relay.spansRefused.sum());
      json.writeEndObject();
      json.writeObjectFieldStart("data_points");
      json.writeNumberField("received", relay.pointsReceived.sum());
      json.writeNumberField("rejected_invalid", relay.pointsRejected.sum());
      json.writeNumberField("baseline_only", relay.pointsBaseline.sum());
      json.writeNumberField("streams_tracked", streams);
      json.writeNumberField("streams_forgotten", relay.streamsEvicted.sum());
      json.writeEndObject();
      json.writeObjectFieldStart("analytics");
      json.writeNumberField("accepted", analytics.accepted());
      json.writeNumberField("queued", analytics.queued());
      json.writeObjectFieldStart("dropped");
      json.writeNumberField("queue_full", analytics.droppedQueueFull());
      json.writeNumberField("after_shutdown", analytics.droppedAfterShutdown());
      json.writeNumberField("processor_error", analytics.droppedProcessorError());
      json.writeNumberField("mapping_failed", analytics.mappingFailures());
      json.writeNumberField("rejected_by_destination", analytics.droppedRejected());
      json.writeNumberField("oversize", analytics.droppedOversize());
      json.writeNumberField("too_old", analytics.droppedTooOld());
      json.writeNumberField("outbox_full", analytics.droppedOutboxFull());
      json.writeNumberField("corrupt", analytics.droppedCorrupt());
      json.writeEndObject();
      json.writeNumberField("events_delivered", analytics.eventsDelivered());
      json.writeNumberField("events_failed", analytics.eventsFailed());
      json.writeNumberField("retries", analytics.retries());
      json.writeNumberField("outbox_bytes", analytics.outboxSize());
      json.writeObjectFieldStart("values_redacted");
      for (Map.Entry<String, Long> e : analytics.valuesRedacted().entrySet()) {
        json.writeNumberField(e.getKey(), e.getValue());
      }
      json.writeEndObject();
      json.writeNumberField("attributes_not_allowed", analytics.attributesNotAllowed());
      json.writeNumberField("values_not_of_type", analytics.valuesNotOfType());
      json.writeNumberField("values_outside_enum", analytics.valuesOutsideEnum());
      json.writeNumberField("event_names_not_listed", analytics.eventNamesNotListed());
      if (analytics.stoppedReason() != null) {
        json.writeStringField("sending_stopped", analytics.stoppedReason());
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
