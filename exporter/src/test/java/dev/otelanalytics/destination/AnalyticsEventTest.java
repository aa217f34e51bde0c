package dev.otelanalytics.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Canaries;
import dev.otelanalytics.testing.Events;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link AnalyticsEvent} (package dev.otelanalytics.event), as the destinations see it. */
class AnalyticsEventTest {

  @Test
  void createKeepsWhatItIsGiven() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("b", "2");
    props.put("a", 1L);
    props.put("c", true);
    long nanos = Events.nanos(Instant.parse("2026-11-23T10:15:30.123456789Z"));

    AnalyticsEvent event = AnalyticsEvent.create("inspect", "install-1", nanos, "uuid-1", props);

    assertThat(event.name()).isEqualTo("inspect");
    assertThat(event.distinctId()).isEqualTo("install-1");
    assertThat(event.timestampEpochNanos()).isEqualTo(nanos);
    assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123456789Z"));
    assertThat(event.uuid()).isEqualTo("uuid-1");
    assertThat(event.properties()).isEqualTo(props);
    assertThat(new ArrayList<>(event.properties().keySet())).containsExactly("b", "a", "c");
  }

  @Test
  void propertiesAreACopyAndUnmodifiable() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("k", "v");
    AnalyticsEvent event = AnalyticsEvent.create("e", "id", 0L, "u", props);

    props.put("added", "later");

    assertThat(event.properties()).containsOnlyKeys("k");
    assertThatThrownBy(() -> event.properties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void listPropertyValuesAreCopied() {
    List<String> targets = new ArrayList<>(List.of("a"));
    AnalyticsEvent event = AnalyticsEvent.create("e", "id", 0L, "u", Map.of("targets", targets));

    targets.add(Canaries.EMAIL);

    assertThat(event.properties().get("targets")).isEqualTo(List.of("a"));
  }

  @Test
  void requiredFieldsAreChecked() {
    assertThatThrownBy(() -> AnalyticsEvent.create(null, "id", 0L, "u", Map.of())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AnalyticsEvent.create("e", null, 0L, "u", Map.of())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AnalyticsEvent.create("e", "id", 0L, null, Map.of())).isInstanceOf(NullPointerException.class);
  }

  @Test
  void equalsComparesEverything() {
    AnalyticsEvent a = AnalyticsEvent.create("e", "id", 1L, "u", Map.of("k", "v"));

    assertThat(a).isEqualTo(AnalyticsEvent.create("e", "id", 1L, "u", Map.of("k", "v")));
    assertThat(a).hasSameHashCodeAs(AnalyticsEvent.create("e", "id", 1L, "u", Map.of("k", "v")));
    assertThat(a).isNotEqualTo(AnalyticsEvent.create("f", "id", 1L, "u", Map.of("k", "v")));
    assertThat(a).isNotEqualTo(AnalyticsEvent.create("e", "id2", 1L, "u", Map.of("k", "v")));
    assertThat(a).isNotEqualTo(AnalyticsEvent.create("e", "id", 2L, "u", Map.of("k", "v")));
    assertThat(a).isNotEqualTo(AnalyticsEvent.create("e", "id", 1L, "u2", Map.of("k", "v")));
    assertThat(a).isNotEqualTo(AnalyticsEvent.create("e", "id", 1L, "u", Map.of("k", "w")));
  }

  @Test
  void toStringNamesKeysButNeverPropertyValues() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("user.email", Canaries.EMAIL);
    props.put("home", Canaries.UNIX_HOME);
    props.put("token", Canaries.BEARER);
    props.put("paths", List.of(Canaries.WINDOWS_HOME, Canaries.IPV4));
    props.put("jwt", Canaries.JWT);
    props.put("count", 4242424242L);
    props.put("ratio", 0.8675309);

    String text = AnalyticsEvent.create("inspect", "install-1", 0L, "uuid-1", props).toString();

    Canaries.assertNoCanary(text);
    assertThat(text).doesNotContain("4242424242").doesNotContain("8675309");
    assertThat(text).contains("inspect").contains("user.email").contains("paths").contains("count");
  }
}
