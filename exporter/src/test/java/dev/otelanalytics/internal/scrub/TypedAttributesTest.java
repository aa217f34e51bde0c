package dev.otelanalytics.internal.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.testing.LogCapture;
import java.util.logging.Level;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.internal.guard.GuardReason;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each {@link AttributeType} lets through, on span, span-event, resource and metric attributes. */
class TypedAttributesTest {
  private final PrivacyPolicy policy = PrivacyPolicy.builder()
      .allowAttribute("t.token", "w")
      .allowAttribute("t.enum", "w", AttributeType.enumOf(List.of("text", "json", "200", "true")))
      .allowAttribute("t.int", "w", AttributeType.integer())
      .allowAttribute("t.int_b", "w", AttributeType.integer(List.of(1L, 10L, 100L)))
      .allowAttribute("t.number", "w", AttributeType.number())
      .allowAttribute("t.number_b", "w", AttributeType.number(List.of(0.5, 1.0)))
      .allowAttribute("t.bool", "w", AttributeType.bool())
      .allowAttribute("t.route", "w", AttributeType.route())
      .allowAttribute("t.version", "w", AttributeType.version())
      .allowAttribute("t.text", "w", AttributeType.text())
      .allowResourceAttribute("service.version", "w", AttributeType.version())
      .allowResourceAttribute("os.type", "w", AttributeType.enumOf(List.of("linux", "darwin")))
      .build();
  private final AttributeScrubber scrubber =
      new AttributeScrubber(policy, new KeyedHasher("typed-test-key".getBytes(StandardCharsets.UTF_8)));

  private Object kept(String key, Object value) {
    Map<String, Object> out = new LinkedHashMap<>();
    scrubber.scrubSpanAttributes(attributes(key, value), out);
    return out.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Attributes attributes(String key, Object value) {
    if (value instanceof Long) {
      return Attributes.of(AttributeKey.longKey(key), (Long) value);
    }
    if (value instanceof Double) {
      return Attributes.of(AttributeKey.doubleKey(key), (Double) value);
    }
    if (value instanceof Boolean) {
      return Attributes.of(AttributeKey.booleanKey(key), (Boolean) value);
    }
    if (value instanceof List) {
      return Attributes.of(AttributeKey.stringArrayKey(key), (List<String>) value);
    }
    return Attributes.of(AttributeKey.stringKey(key), (String) value);
  }

  @Test
  void tokensAreOneShortWordWithFewDigits() {
    assertThat(kept("t.token", "report_json")).isEqualTo("report_json");
    assertThat(kept("t.token", "17.0.9+9")).isEqualTo("17.0.9+9");
    assertThat(kept("t.token", "HTTP_429")).isEqualTo("HTTP_429");
    assertThat(kept("t.token", 42L)).isEqualTo(42L);
    assertThat(kept("t.token", true)).isEqualTo(true);
    assertThat(kept("t.token", "two words")).isNull();
    assertThat(kept("t.token", "x".repeat(65))).isNull();
    assertThat(kept("t.token", "build-123456789")).as("nine digits: an id, not a word").isNull();
    assertThat(kept("t.token", 123_456_789L)).isNull();
    assertThat(scrubber.valuesNotOfType()).isEqualTo(4);
  }

  /** Shapes README.md promises to drop, each a single word a token could be: the guards still see them. */
  @ParameterizedTest
  @ValueSource(strings = {"alice@example.com", "alice%40example.com", "10.20.30.40", "fe80::1ff:fe23:4567:890a",
      "00:1a:2b:3c:4d:5e", "001a.2b3c.4d5e", "~alice", "C:\\Users\\bob", "/home/alice", "8E0D8D2D-8A90-4B4E-B62D-BACD5A8A6990",
      "f4031949-ec39-11f1-97cd-897b1646b672", "ghp_0123456789abcdefABCDEF0123456789abcd", "AKIAIOSFODNN7EXAMPLE",
      "4111-1111-1111-1111", "4111111111111111", "+14155552671", "555-867-5309", "078-05-1120", "9876543210",
      "https://user:pw@host/x", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "alice at example dot com", "alice @ example.com", "+44 20 7946 0958"})
  void noPromisedShapeSurvivesATokenOrAVersion(String canary) {
    assertThat(kept("t.token", canary)).as("token").isNull();
    assertThat(kept("t.version", canary)).as("version").isNull();
    assertThat(kept("t.int", canary)).as("int").isNull();
    assertThat(kept("t.enum", canary)).as("enum").isEqualTo("other");
    Object route = kept("t.route", canary);
    if (route != null) {
      assertThat(route.toString()).doesNotContain("alice", "bob", "example", "10.20", "4111", "ghp_", "user:pw");
    }
  }

  @Test
  void enumsSendListedValuesAndOtherForAnythingElse() {
    assertThat(kept("t.enum", "json")).isEqualTo("json");
    assertThat(kept("t.enum", 200L)).isEqualTo("200");
    assertThat(kept("t.enum", 200.0)).isEqualTo("200");
    assertThat(kept("t.enum", true)).isEqualTo("true");
    assertThat(kept("t.enum", "JSON")).isEqualTo("other");
    assertThat(kept("t.enum", "bob@example.com")).isEqualTo("other");
    assertThat(kept("t.enum", List.of("text", "yaml"))).isEqualTo(List.of("text", "other"));
    assertThat(scrubber.valuesOutsideEnum()).isEqualTo(3);
    assertThat(scrubber.valuesNotOfType()).isZero();
  }

  @Test
  void intsAndNumbersAreNumbersOrTheirBuckets() {
    assertThat(kept("t.int", 42L)).isEqualTo(42L);
    assertThat(kept("t.int", "42")).isEqualTo(42L);
    assertThat(kept("t.int", 42.0)).isEqualTo(42L);
    assertThat(kept("t.int", 42.5)).isNull();
    assertThat(kept("t.int", "42 items")).isNull();
    assertThat(kept("t.int", 4111111111111111L)).as("card-like number").isNull();
    assertThat(kept("t.int_b", 0L)).isEqualTo("<1");
    assertThat(kept("t.int_b", 1L)).isEqualTo("1..9");
    assertThat(kept("t.int_b", 99L)).isEqualTo("10..99");
    assertThat(kept("t.int_b", 4111111111111111L)).as("a bucket says nothing of the digits").isEqualTo("100+");
    assertThat(kept("t.number", 2.5)).isEqualTo(2.5);
    assertThat(kept("t.number", "2.5")).isEqualTo(2.5);
    assertThat(kept("t.number", 7L)).isEqualTo(7.0);
    assertThat(kept("t.number", Double.NaN)).isNull();
    assertThat(kept("t.number", "1e5")).isNull();
    assertThat(kept("t.number_b", 0.49)).isEqualTo("<0.5");
    assertThat(kept("t.number_b", 0.5)).isEqualTo("0.5..<1");
    assertThat(kept("t.number_b", 1.0)).isEqualTo("1+");
  }

  @Test
  void boolsAreTrueOrFalse() {
    assertThat(kept("t.bool", true)).isEqualTo(true);
    assertThat(kept("t.bool", "FALSE")).isEqualTo(false);
    assertThat(kept("t.bool", "yes")).isNull();
    assertThat(kept("t.bool", 1L)).isNull();
  }

  @Test
  void routesKeepTheirShapeOnly() {
    assertThat(kept("t.route", "/api/v1/items/{id}")).isEqualTo("/api/v1/items/{id}");
    assertThat(kept("t.route", "/users/42/orders/9f8e7d6c")).isEqualTo("/users/{id}/orders/{id}");
    assertThat(kept("t.route", "/users/bob.smith/orders")).isEqualTo("/users/{id}/orders");
    assertThat(kept("t.route", "/reset/aZkPqLmNoRtU")).isEqualTo("/reset/{id}");
    assertThat(kept("t.route", "/blob/deadbeefcafe")).isEqualTo("/blob/{id}");
    assertThat(kept("t.route", "/u/alice%40example.com/x")).isEqualTo("/u/{id}/x");
    assertThat(kept("t.route", "/u/8E0D8D2D-8A90-4B4E-B62D-BACD5A8A6990")).isEqualTo("/u/{id}");
    assertThat(kept("t.route", "/search?q=alice@example.com")).isEqualTo("/search");
    assertThat(kept("t.route", "/getUserById/static/*")).isEqualTo("/getUserById/static/*");
    assertThat(kept("t.route", "/home/alice/x")).as("a home path whose parts are words: the guard drops it").isNull();
    assertThat(kept("t.route", "https://example.com/x")).as("not a path").isNull();
    assertThat(kept("t.route", "//evil.example/x")).isNull();
    assertThat(kept("t.route", "api/items")).isNull();
    assertThat(kept("t.route", "/" + "a/".repeat(300))).isNull();
  }

  @Test
  void versionsInTheirCommonForms() {
    for (String v : List.of("1.2.3", "v2.0.0-rc.1", "17.0.9+9-LTS", "1.8.0_392", "21-ea", "5.15.0-91-generic", "2024.1.2",
        "10.0.19045", "1.0-SNAPSHOT")) {
      assertThat(kept("t.version", v)).as(v).isEqualTo(v);
    }
    assertThat(kept("t.version", 17L)).isEqualTo("17");
    assertThat(kept("t.version", "latest")).isNull();
    assertThat(kept("t.version", "1.2.3 (build by alice)")).isNull();
  }

  /** Versions that passed are remembered: a value seen again must come out, and be counted, exactly as the first time. */
  @Test
  void aVersionSeenAgainIsKeptOrDroppedAndCountedAsTheFirstTime() {
    List<Object> values = List.of("1.2.3", "17.0.9+9-LTS", "10.20.30.40", "1.2.3 (build by alice)", "alice@example.com",
        "5.15.0-91-generic", 17L, "4111111111111111", "v2.0.0-rc.1", "latest");
    for (int round = 0; round < 3; round++) {
      for (Object value : values) {
        long notOfType = scrubber.valuesNotOfType();
        Map<GuardReason, Long> guarded = scrubber.guardDrops();
        Object first = kept("t.version", value);
        long firstNotOfType = scrubber.valuesNotOfType() - notOfType;
        Map<GuardReason, Long> afterFirst = scrubber.guardDrops();
        Object second = kept("t.version", value);
        assertThat(second).as("%s", value).isEqualTo(first);
        assertThat(scrubber.valuesNotOfType() - notOfType).as("%s", value).isEqualTo(2 * firstNotOfType);
        for (GuardReason reason : GuardReason.values()) {
          long once = afterFirst.get(reason) - guarded.get(reason);
          assertThat(scrubber.guardDrops().get(reason) - guarded.get(reason)).as("%s %s", value, reason).isEqualTo(2 * once);
        }
      }
    }
    assertThat(kept("t.version", "1.2.3")).isEqualTo("1.2.3");
    assertThat(kept("t.version", "10.20.30.40")).isNull();
  }

  @Test
  void textIsCheckedByTheGuardsOnly() {
    assertThat(kept("t.text", "Export to CSV finished")).isEqualTo("Export to CSV finished");
    assertThat(kept("t.text", "sent to bob@example.com")).isNull();
    assertThat(scrubber.valuesNotOfType()).isZero();
  }

  @Test
  void resourceAndMetricAttributesFollowTheirTypesToo() {
    Map<String, Object> resource = new LinkedHashMap<>();
    scrubber.scrubResourceAttributes(Attributes.builder().put("service.version", "1.4.0 by alice@example.com")
        .put("os.type", "windows").build(), resource);
    assertThat(resource).containsExactly(Map.entry("os.type", "other"));

    Map<String, Object> point = new LinkedHashMap<>();
    scrubber.scrubMetricAttributes(Attributes.builder().put("t.int_b", 57L).put("t.enum", "csv").put("t.token", "a b").build(),
        point);
    assertThat(point).containsOnly(Map.entry("t.int_b", "10..99"), Map.entry("t.enum", "other"));
  }

  @Test
  void aKeyWhoseValuesDoNotFitIsNamedOnceInTheLogWithoutItsValue() {
    try (LogCapture logs = new LogCapture()) {
      kept("t.token", "/orders/{id}");
      kept("t.token", "/orders/alice@example.com");
      kept("t.int", "many");
      assertThat(logs.messages(Level.ALL)).hasSize(2).allSatisfy(m -> assertThat(m).doesNotContain("orders", "alice", "many"));
      assertThat(logs.messages(Level.ALL).get(0)).contains("attribute 't.token' does not fit its type, token",
          "docs/policy.md#types");
    }
  }

  @Test
  void arraysAreFittedElementByElement() {
    assertThat(kept("t.token", List.of("alpha", "two words", "beta"))).isEqualTo(List.of("alpha", "beta"));
    assertThat(kept("t.token", List.of("two words"))).isNull();
    assertThat(scrubber.valuesNotOfType()).isEqualTo(2);
    assertThat(Collections.emptyMap()).isEmpty();
  }
}
