package dev.otelanalytics.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An event's properties behave as an unmodifiable, ordered copy of the map it was made from. */
class PropertyMapTest {
  private static Map<String, Object> source() {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("cli.command", "inspect");
    source.put("duration_ms", 42L);
    source.put("success", true);
    source.put("ratio", 0.5);
    source.put("tags", new ArrayList<>(List.of("a", "b")));
    source.put("nothing", null);
    return source;
  }

  @Test
  void isAnOrderedCopyEqualToTheSourceWithTheSameHashCode() {
    Map<String, Object> source = source();
    Map<String, Object> properties = AnalyticsEvent.create("e", "d", 0L, "u", source).properties();
    assertThat(properties).isEqualTo(source).hasSameHashCodeAs(source);
    assertThat(source).isEqualTo(properties);
    assertThat(new HashMap<>(source)).isEqualTo(properties);
    assertThat(properties.keySet()).containsExactly("cli.command", "duration_ms", "success", "ratio", "tags", "nothing");
    assertThat(properties.get("duration_ms")).isEqualTo(42L);
    assertThat(properties.get("missing")).isNull();
    assertThat(properties.get(null)).isNull();
    assertThat(properties.containsKey("nothing")).isTrue();
    assertThat(properties.containsKey("missing")).isFalse();
    assertThat(properties.containsValue(0.5)).isTrue();
    assertThat(properties).hasSize(6);
    assertThat(properties.toString()).isEqualTo(source.toString());
  }

  @Test
  void changesToTheSourceDoNotReachTheEvent() {
    Map<String, Object> source = source();
    @SuppressWarnings("unchecked")
    List<String> tags = (List<String>) source.get("tags");
    Map<String, Object> properties = AnalyticsEvent.create("e", "d", 0L, "u", source).properties();
    source.put("added", "later");
    source.remove("cli.command");
    tags.add("c");
    assertThat(properties).containsKey("cli.command").doesNotContainKey("added");
    assertThat(properties.get("tags")).isEqualTo(List.of("a", "b"));
  }

  @Test
  void cannotBeChangedThroughAnyView() {
    Map<String, Object> properties = AnalyticsEvent.create("e", "d", 0L, "u", source()).properties();
    assertThatThrownBy(() -> properties.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> properties.remove("cli.command")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(properties::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> properties.entrySet().iterator().next().setValue("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    Iterator<Map.Entry<String, Object>> entries = properties.entrySet().iterator();
    entries.next();
    assertThatThrownBy(entries::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> properties.keySet().remove("success")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> properties.values().clear()).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> tags = (List<Object>) properties.get("tags");
    assertThatThrownBy(() -> tags.add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(properties).hasSize(6);
  }

  @Test
  void eventsWithEqualPropertiesAreEqual() {
    AnalyticsEvent a = AnalyticsEvent.create("e", "d", 7L, "u", source());
    AnalyticsEvent b = AnalyticsEvent.create("e", "d", 7L, "u", new HashMap<>(source()));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }
}
