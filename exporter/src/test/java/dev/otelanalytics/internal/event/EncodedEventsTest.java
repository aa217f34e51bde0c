package dev.otelanalytics.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodedEventsTest {
  private static List<AnalyticsEvent> events() {
    List<AnalyticsEvent> out = new ArrayList<>();
    out.add(Events.at("2026-11-29T10:15:30.123Z", "inspect", Map.of("cli.command", "inspect", "duration_ms", 42L)));
    out.add(Events.at("2026-11-29T10:15:31Z", "version"));
    out.add(Events.at("2026-11-29T23:59:59.999999999Z", "ünïcödé", Map.of("note", "✓ \"quoted\"\n")));
    return out;
  }

  @Test
  void holdsACopyAndEncodesItOnceExactlyAsEachEventAlone() {
    List<AnalyticsEvent> source = events();
    List<AnalyticsEvent> expected = new ArrayList<>(source);
    EncodedEvents encoded = EncodedEvents.of(source);
    source.clear();
    assertThat(encoded).hasSize(3).containsExactlyElementsOf(expected);
    byte[] lines = EventJson.toJsonLines(encoded);
    assertThat(lines).isEqualTo(EventJson.toJsonLines(new ArrayList<>(encoded)));
    assertThat(EventJson.toJsonLines(encoded)).as("made once, then shared").isSameAs(lines);
    // Each line reads back as its event.
    String[] text = new String(lines, java.nio.charset.StandardCharsets.UTF_8).split("\n");
    assertThat(text).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(EventJson.parse(text[i])).isEqualTo(encoded.get(i));
    }
  }
}
