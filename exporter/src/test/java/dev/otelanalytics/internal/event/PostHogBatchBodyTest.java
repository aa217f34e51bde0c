package dev.otelanalytics.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One encoder serves body after body: each body is exactly what a fresh encoder makes of its events. */
class PostHogBatchBodyTest {
  private static final String KEY = "phc_test";

  private static byte[] fresh(List<AnalyticsEvent> events, int max) {
    return new PostHogBatchBody().encode(KEY, events, max).bytes();
  }

  @Test
  void aReusedEncoderLeavesNothingOfAnEarlierBodyInALaterOne() throws IOException {
    AnalyticsEvent big = Events.at("2026-11-29T10:00:00Z", "big", Map.of("pad", "x".repeat(PostHogBatchBody.KEEP_AT_MOST + 10)));
    AnalyticsEvent a = Events.at("2026-11-29T10:00:01Z", "a", Map.of("cli.command", "inspect", "$set", "dropped"));
    AnalyticsEvent b = Events.at("2026-11-29T10:00:02.5Z", "b");
    List<List<AnalyticsEvent>> bodies = List.of(List.of(a, big, b), List.of(b), List.of(a, b), List.of(big), List.of(a));
    PostHogBatchBody encoder = new PostHogBatchBody();
    for (List<AnalyticsEvent> events : bodies) {
      PostHogBatchBody body = encoder.encode(KEY, events, Integer.MAX_VALUE);
      byte[] bytes = body.bytes();
      assertThat(bytes).isEqualTo(fresh(events, Integer.MAX_VALUE));
      assertThat(body.length()).isEqualTo(bytes.length);
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      body.writeTo(written);
      assertThat(written.toByteArray()).isEqualTo(bytes);
      JsonNode json = new ObjectMapper().readTree(bytes);
      assertThat(json.get("api_key").asText()).isEqualTo(KEY);
      assertThat(json.get("batch")).hasSize(events.size());
      assertThat(body.events()).isEqualTo(events.size());
      assertThat(body.oversize()).isZero();
    }
    // Over the per-event limit: left out and counted; the others still in.
    PostHogBatchBody limited = encoder.encode(KEY, List.of(a, big, b), 4096);
    assertThat(limited.events()).isEqualTo(2);
    assertThat(limited.oversize()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(limited.bytes());
    assertThat(json.get("batch").get(0).get("event").asText()).isEqualTo("a");
    assertThat(json.get("batch").get(1).get("event").asText()).isEqualTo("b");
    assertThat(json.get("batch").get(0).get("properties").has("$set")).as("'$' names are never sent").isFalse();
    assertThat(json.get("batch").get(0).get("properties").get("$process_person_profile").asBoolean()).isFalse();
  }
}
