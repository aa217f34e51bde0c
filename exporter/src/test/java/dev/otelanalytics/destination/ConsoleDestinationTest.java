package dev.otelanalytics.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import dev.otelanalytics.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleDestinationTest {
  private static final String PREFIX = "[otel-analytics] event: ";

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

  private String printed() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsThePrefixFollowedByIndentedJson() throws Exception {
    AnalyticsEvent event = Events.at("2026-11-23T10:15:30.123Z", "inspect", Map.of("cli.command", "inspect"));

    ConsoleDestination.create(out).send(List.of(event));

    String text = printed();
    assertThat(text).startsWith(PREFIX + "{").endsWith("}" + System.lineSeparator());
    String json = text.substring(PREFIX.length());
    assertThat(json).contains("\n  \"event\"");
    assertThat(Json.object(json.trim()))
        .containsEntry("event", "inspect")
        .containsEntry("distinct_id", Events.DISTINCT_ID)
        .containsEntry("timestamp", "2026-11-23T10:15:30.123Z")
        .containsEntry("uuid", event.uuid())
        .containsEntry("properties", Map.of("cli.command", "inspect"));
  }

  @Test
  void printsEachEventInOrder() throws Exception {
    AnalyticsEvent first = Events.at("2026-11-23T10:15:30Z", "first");
    AnalyticsEvent second = Events.at("2026-11-23T10:15:31Z", "second");

    ConsoleDestination.create(out).send(List.of(first, second));

    String[] parts = printed().split("\\Q" + PREFIX + "\\E", -1);
    assertThat(parts).hasSize(3);
    assertThat(parts[0]).isEmpty();
    assertThat(Json.object(parts[1].trim())).containsEntry("event", "first");
    assertThat(Json.object(parts[2].trim())).containsEntry("event", "second");
  }

  @Test
  void anEmptyBatchPrintsNothing() throws Exception {
    ConsoleDestination.create(out).send(List.of());

    assertThat(printed()).isEmpty();
  }

  @Test
  void itIsAPrintingDestinationNamedConsole() {
    ConsoleDestination destination = ConsoleDestination.create(out);

    assertThat(destination.printsEvents()).isTrue();
    assertThat(destination.name()).isEqualTo("console");
    assertThat(ConsoleDestination.create().printsEvents()).isTrue();
  }

  @Test
  void aNullStreamIsRejected() {
    assertThatThrownBy(() -> ConsoleDestination.create(null)).isInstanceOf(NullPointerException.class);
  }
}
