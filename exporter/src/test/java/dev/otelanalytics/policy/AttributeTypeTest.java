package dev.otelanalytics.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeTypeTest {
  @Test
  void intBucketsAreWrittenAsClosedRanges() {
    AttributeType type = AttributeType.integer(List.of(1L, 10L, 100L));
    assertThat(type.bucketLabels()).containsExactly("<1", "1..9", "10..99", "100+");
    assertThat(AttributeType.integer(List.of(1L, 2L, 5L)).bucketLabels()).containsExactly("<1", "1", "2..4", "5+");
    assertThat(AttributeType.integer(List.of(-10L, 0L)).bucketLabels()).containsExactly("<-10", "-10..-1", "0+");
    assertThat(type.describe()).isEqualTo("a whole number, sent only as its range: <1, 1..9, 10..99, 100+");
    assertThat(type).hasToString("int buckets [1, 10, 100]");
  }

  @Test
  void numberBucketsAreWrittenAsHalfOpenRanges() {
    AttributeType type = AttributeType.number(List.of(0.5, 1.0, 2.5));
    assertThat(type.bucketLabels()).containsExactly("<0.5", "0.5..<1", "1..<2.5", "2.5+");
    assertThat(type).hasToString("number buckets [0.5, 1, 2.5]");
  }

  @Test
  void bucketsMustIncrease() {
    assertThatThrownBy(() -> AttributeType.integer(List.of(1L, 100L, 10L)))
        .hasMessage("buckets must be increasing, e.g. [1, 10, 100]; 10 comes after 100");
    assertThatThrownBy(() -> AttributeType.integer(List.of(5L, 5L))).hasMessageContaining("5 comes after 5");
    assertThatThrownBy(() -> AttributeType.integer(List.of())).hasMessageStartingWith("buckets is empty");
    assertThatThrownBy(() -> AttributeType.number(List.of(1.0, Double.NaN))).hasMessageContaining("finite");
    List<Long> tooMany = new ArrayList<>();
    for (long i = 0; i <= AttributeType.MAX_CHOICES; i++) {
      tooMany.add(i);
    }
    assertThatThrownBy(() -> AttributeType.integer(tooMany)).hasMessageContaining("at most 100");
  }

  @Test
  void enumValuesAreCheckedBecauseTheStatementPublishesThem() {
    AttributeType type = AttributeType.enumOf(List.of("text", "json"));
    assertThat(type.allows("json")).isTrue();
    assertThat(type.allows("JSON")).isFalse();
    assertThat(type.describe()).isEqualTo("one of: text, json; anything else is sent as other");
    assertThatThrownBy(() -> AttributeType.enumOf(List.of())).hasMessageStartingWith("type enum needs its values");
    assertThatThrownBy(() -> AttributeType.enumOf(List.of("a", "a"))).hasMessage("enum value 'a' is listed twice");
    assertThatThrownBy(() -> AttributeType.enumOf(List.of(" a"))).hasMessageContaining("leading or trailing spaces");
    assertThatThrownBy(() -> AttributeType.enumOf(List.of("a\u200bb"))).hasMessageContaining("a\\u200bb");
    assertThatThrownBy(() -> AttributeType.enumOf(List.of("alice@example.com")))
        .hasMessageStartingWith("enum value 'alice@example.com' looks like an e-mail address");
    assertThatThrownBy(() -> AttributeType.enumOf(List.of("x".repeat(65)))).hasMessageContaining("at most 64");
  }

  @Test
  void everyKindHasItsPolicyNameAndDescription() {
    for (AttributeType.Kind kind : AttributeType.Kind.values()) {
      assertThat(AttributeType.Kind.fromPolicyName(kind.policyName())).isSameAs(kind);
    }
    assertThat(AttributeType.Kind.fromPolicyName("string")).isNull();
    assertThat(AttributeType.Kind.policyNames()).isEqualTo("enum, int, number, bool, route, version, token, text");
    assertThat(AttributeType.text().describe()).isEqualTo("free text, checked by heuristic guards");
    assertThat(AttributeType.token()).isEqualTo(PolicyEntry.of("k", "w").type());
    assertThat(AttributeType.enumOf(List.of("a"))).isEqualTo(AttributeType.enumOf(List.of("a")))
        .isNotEqualTo(AttributeType.enumOf(List.of("b")));
  }
}
