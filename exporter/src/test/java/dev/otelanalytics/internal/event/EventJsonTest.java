package dev.otelanalytics.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import dev.otelanalytics.testing.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonTest {

  private static List<String> lines(byte[] jsonLines) {
    String text = new String(jsonLines, StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    return Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
  }

  @Test
  void oneObjectPerLineWithTheFiveTopLevelKeysInOrder() {
    AnalyticsEvent event = AnalyticsEvent.create("inspect", "install-1", Events.nanos(Instant.parse("2026-11-23T10:15:30.123Z")),
        "uuid-1", Map.of("cli.command", "inspect"));

    List<String> lines = lines(EventJson.toJsonLines(List.of(event)));

    assertThat(lines).hasSize(1);
    Map<String, Object> json = Json.object(lines.get(0));
    assertThat(json).containsOnlyKeys("event", "distinct_id", "timestamp", "uuid", "properties");
    assertThat(new ArrayList<>(json.keySet())).containsExactly("event", "distinct_id", "timestamp", "uuid", "properties");
    assertThat(json).containsEntry("event", "inspect")
        .containsEntry("distinct_id", "install-1")
        .containsEntry("timestamp", "2026-11-23T10:15:30.123Z")
        .containsEntry("uuid", "uuid-1")
        .containsEntry("properties", Map.of("cli.command", "inspect"));
  }

  @Test
  void emptyListGivesNoBytes() {
    assertThat(EventJson.toJsonLines(List.of())).isEmpty();
  }

  @Test
  void manyEventsGiveManyLinesInOrder() {
    List<AnalyticsEvent> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.add(Events.at("2026-01-01T00:00:00Z", "e" + i, Map.of("i", (long) i)));
    }

    List<String> lines = lines(EventJson.toJsonLines(events));

    assertThat(lines).hasSize(50);
    for (int i = 0; i < 50; i++) {
      Map<String, Object> json = Json.object(lines.get(i));
      assertThat(json).containsEntry("event", "e" + i).containsEntry("uuid", events.get(i).uuid());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "2026-11-23T10:15:30Z",
    "2026-11-23T10:15:30.123Z",
    "2026-11-23T10:15:30.123456Z",
    "2026-11-23T10:15:30.123456789Z",
    "1970-01-01T00:00:00Z",
    "2099-12-31T23:59:59.999999999Z",
  })
  void timestampIsIso8601InUtcEndingInZ(String instant) {
    AnalyticsEvent event = Events.at(instant, "e");

    String timestamp = (String) Json.object(lines(EventJson.toJsonLines(List.of(event))).get(0)).get("timestamp");

    assertThat(timestamp).endsWith("Z").isEqualTo(instant);
    assertThat(Instant.parse(timestamp)).isEqualTo(event.timestamp());
  }

  @Test
  void propertyTypesRoundTrip() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("string", "hello");
    props.put("empty", "");
    props.put("long", 42L);
    props.put("negative", -7L);
    props.put("max", Long.MAX_VALUE);
    props.put("min", Long.MIN_VALUE);
    props.put("int", 5);
    props.put("double", 1.5);
    props.put("tenth", 0.1);
    props.put("tiny", 1e-300);
    props.put("true", true);
    props.put("false", false);
    props.put("strings", List.of("a", "b"));
    props.put("longs", List.of(1L, 2L));
    props.put("doubles", List.of(0.25, -3.5));
    props.put("booleans", List.of(true, false));
    props.put("emptyList", List.of());

    Map<String, Object> json = Json.object(lines(EventJson.toJsonLines(List.of(Events.at("2026-01-01T00:00:00Z", "e", props)))).get(0));

    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) json.get("properties");
    Map<String, Object> expected = new LinkedHashMap<>(props);
    expected.put("int", 5L);
    assertThat(properties).isEqualTo(expected);
    assertThat(new ArrayList<>(properties.keySet())).as("order kept").containsExactlyElementsOf(props.keySet());
  }

  @Test
  void nanAndInfinityBecomeNull() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("nan", Double.NaN);
    props.put("inf", Double.POSITIVE_INFINITY);
    props.put("minusInf", Double.NEGATIVE_INFINITY);
    props.put("list", List.of(1.0, Double.NaN));

    String line = lines(EventJson.toJsonLines(List.of(Events.at("2026-01-01T00:00:00Z", "e", props)))).get(0);

    assertThat(line).doesNotContain("NaN").doesNotContain("Infinity");
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) Json.object(line).get("properties");
    assertThat(properties).containsEntry("nan", null).containsEntry("inf", null).containsEntry("minusInf", null);
    assertThat(properties.get("list")).isEqualTo(Arrays.asList(1.0, null));
  }

  @Test
  void unsupportedValueTypesBecomeNullNotToString() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("object", new Object() {
      @Override
      public String toString() {
        return "leaked-by-toString";
      }
    });

    String line = lines(EventJson.toJsonLines(List.of(Events.at("2026-01-01T00:00:00Z", "e", props)))).get(0);

    assertThat(line).doesNotContain("leaked-by-toString");
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) Json.object(line).get("properties");
    assertThat(properties).containsEntry("object", null);
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(strings = {
    "say \"hi\"",
    "back\\slash",
    "line1\nline2",
    "cr\r\nlf",
    "tab\there",
    "nul\u0000ctl\u0001\u001f",
    "caf\u00e9 \u00fc\u00df \u4e2d\u6587",
    "emoji \ud83d\ude00",
    "separators \u2028 \u2029",
    "</script><script>",
    "{\"nested\":\"json\"}",
  })
  void specialCharactersAreEscapedAndRoundTrip(String text) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put(text, text);
    props.put("list", List.of(text));
    AnalyticsEvent event = AnalyticsEvent.create(text, text, 0L, text, props);

    byte[] bytes = EventJson.toJsonLines(List.of(event, event));
    List<String> lines = lines(bytes);

    assertThat(lines).as("a newline in a value never splits a line").hasSize(2);
    for (String line : lines) {
      assertThat(line).doesNotContain("\n").doesNotContain("\r");
      Map<String, Object> json = Json.object(line);
      assertThat(json).containsEntry("event", text).containsEntry("distinct_id", text).containsEntry("uuid", text);
      assertThat(json.get("properties")).isEqualTo(props);
    }
    Map<String, Object> pretty = Json.object(EventJson.toPrettyJson(event));
    assertThat(pretty).isEqualTo(Json.object(lines.get(0)));
  }

  @Test
  void jsonLinesAreUtf8() {
    AnalyticsEvent event = Events.at("2026-01-01T00:00:00Z", "caf\u00e9", Map.of("k", "\u4e2d"));

    byte[] bytes = EventJson.toJsonLines(List.of(event));

    assertThat(Json.object(new String(bytes, StandardCharsets.UTF_8).trim())).containsEntry("event", "caf\u00e9");
  }

  @Test
  void prettyJsonIsIndentedAndHoldsTheSameData() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("cli.command", "inspect");
    props.put("duration_ms", 12L);
    AnalyticsEvent event = Events.at("2026-11-23T10:15:30.123Z", "inspect", props);

    String pretty = EventJson.toPrettyJson(event);

    assertThat(pretty).contains("\n").contains("  \"event\"");
    assertThat(pretty.lines().count()).isGreaterThan(5);
    assertThat(Json.object(pretty)).isEqualTo(Json.object(lines(EventJson.toJsonLines(List.of(event))).get(0)));
  }
}
