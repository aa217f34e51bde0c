package dev.otelanalytics.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code type}, {@code values} and {@code buckets} of allowed attributes, and {@code events.names}. */
class PolicyTypesLoaderTest {
  private static PrivacyPolicy load(String yaml) throws PolicyException {
    return PolicyLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  private static String attribute(String fields) {
    return "version: 1\nattributes:\n  allow:\n    - {key: k, why: \"w\", " + fields + "}\n";
  }

  @Test
  void everyTypeIsRead() throws Exception {
    PrivacyPolicy policy = load("""
        version: 1
        events:
          names: [inspect, "GET /api/*"]
        attributes:
          allow:
            - {key: a.enum, why: "w", type: enum, values: [text, json, 200, true]}
            - {key: a.int, why: "w", type: int}
            - {key: a.int_b, why: "w", type: int, buckets: [1, 10, 100]}
            - {key: a.number, why: "w", type: number, buckets: [0.5, 1, 2]}
            - {key: a.bool, why: "w", type: bool}
            - {key: a.route, why: "w", type: route}
            - {key: a.version, why: "w", type: version}
            - {key: a.token, why: "w", type: token}
            - {key: a.default, why: "w"}
            - key: a.text
              why: "w"
              type: text
        resource:
          allow:
            - service.name
            - {key: service.version, type: version}
        """);
    assertThat(policy.eventNames()).containsExactly("inspect", "GET /api/*");
    assertThat(policy.allowedAttributes().get("a.enum").type()).isEqualTo(AttributeType.enumOf(List.of("text", "json", "200", "true")));
    assertThat(policy.allowedAttributes().get("a.int").type()).isEqualTo(AttributeType.integer());
    assertThat(policy.allowedAttributes().get("a.int_b").type()).isEqualTo(AttributeType.integer(List.of(1L, 10L, 100L)));
    assertThat(policy.allowedAttributes().get("a.number").type()).isEqualTo(AttributeType.number(List.of(0.5, 1.0, 2.0)));
    assertThat(policy.allowedAttributes().get("a.bool").type()).isEqualTo(AttributeType.bool());
    assertThat(policy.allowedAttributes().get("a.route").type()).isEqualTo(AttributeType.route());
    assertThat(policy.allowedAttributes().get("a.version").type()).isEqualTo(AttributeType.version());
    assertThat(policy.allowedAttributes().get("a.token").type()).isEqualTo(AttributeType.token());
    assertThat(policy.allowedAttributes().get("a.default").type()).isEqualTo(AttributeType.token());
    assertThat(policy.allowedAttributes().get("a.text").type()).isEqualTo(AttributeType.text());
    assertThat(policy.allowedResourceAttributes().get("service.name").type()).isEqualTo(AttributeType.token());
    assertThat(policy.allowedResourceAttributes().get("service.version").type()).isEqualTo(AttributeType.version());
    assertThat(policy.allowedResourceAttributes().get("service.version").why()).startsWith("which version is in use");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      type: strng                              | policy test.yaml, line 4: attributes.allow[0].type: unknown type 'strng'; expected one of enum, int, number, bool, route, version, token, text
      type: ENUM, values: [a]                  | attributes.allow[0].type: unknown type 'ENUM'; expected one of
      type: [enum]                             | attributes.allow[0].type: expected a string (one of enum, int, number, bool, route, version, token, text)
      type: enum                               | attributes.allow[0] 'k': type enum needs its values, e.g. values: [text, json]
      type: enum, values: []                   | attributes.allow[0] 'k': type enum needs its values, e.g. values: [text, json]
      type: enum, values: [a, a]               | attributes.allow[0] 'k': enum value 'a' is listed twice
      type: enum, values: [bob@example.com]    | attributes.allow[0] 'k': enum value 'bob@example.com' looks like an e-mail address
      type: enum, values: [{x: 1}]             | attributes.allow[0].values[0]: expected a word, e.g. json
      values: [a, b]                           | attributes.allow[0] 'k': 'values' is only for type enum; add 'type: enum'
      type: token, values: [a, b]              | attributes.allow[0] 'k': 'values' is only for type enum, not token
      type: int, buckets: [1, 100, 10]         | attributes.allow[0] 'k': buckets must be increasing, e.g. [1, 10, 100]; 10 comes after 100
      type: int, buckets: [1, 1]               | attributes.allow[0] 'k': buckets must be increasing, e.g. [1, 10, 100]; 1 comes after 1
      type: int, buckets: [1, 1.5]             | attributes.allow[0] 'k': int buckets must be whole numbers, not 1.5 (use type: number for fractions)
      type: int, buckets: []                   | attributes.allow[0] 'k': buckets is empty
      type: int, buckets: [a]                  | attributes.allow[0].buckets[0]: expected a number, e.g. [1, 10, 100]
      type: int, buckets: 10                   | attributes.allow[0].buckets: expected a list of numbers, e.g. [1, 10, 100]
      type: number, buckets: [2, 0.5]          | attributes.allow[0] 'k': buckets must be increasing, e.g. [1, 10, 100]; 0.5 comes after 2
      buckets: [1, 2]                          | attributes.allow[0] 'k': 'buckets' is only for type int or number; add 'type: int' or 'type: number'
      type: route, buckets: [1, 2]             | attributes.allow[0] 'k': 'buckets' is only for type int or number, not route
      kind: enum                               | unknown key 'attributes.allow[0].kind'; expected one of key, why, type, values, buckets
      """)
  void typeMistakesAreOneLineErrorsNamingTheEntry(String fields, String expected) {
    assertThatThrownBy(() -> load(attribute(fields)))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("policy test.yaml, line 4: "));
  }

  @Test
  void hashedAttributesAndMetricsHaveNoType() {
    assertThatThrownBy(() -> load("version: 1\nattributes:\n  hash:\n    - {key: enduser.id, why: \"w\", type: token}\n"))
        .hasMessage("policy test.yaml, line 4: attributes.hash[0].type: only allowed attributes have a type"
            + " (a hashed value is always sent as its keyed hash); remove 'type'");
    assertThatThrownBy(() -> load("version: 1\nmetrics:\n  allow:\n    - {key: m, why: \"w\", buckets: [1]}\n"))
        .hasMessage("policy test.yaml, line 4: metrics.allow[0].buckets: only allowed attributes have a type; remove 'buckets'");
  }

  @Test
  void eventNamesMistakes() {
    assertThatThrownBy(() -> load("version: 1\nevents:\n  names: []\n"))
        .hasMessageStartingWith("policy test.yaml, line 3: events.names: the list is empty");
    assertThatThrownBy(() -> load("version: 1\nevents:\n  names: inspect\n"))
        .hasMessage("policy test.yaml, line 3: events.names: expected a list of strings");
    assertThatThrownBy(() -> load("version: 1\nevents:\n  names: [\"  \"]\n"))
        .hasMessageContaining("events.names: an event name is empty");
    assertThatThrownBy(() -> load("version: 1\nevents:\n  nams: [x]\n"))
        .hasMessageContaining("unknown key 'events.nams'; expected one of spans, span_events, names");
  }

  @Test
  void theExamplePoliciesUseNarrowTypes() throws Exception {
    for (String file : List.of("../examples/cli-app/analytics-policy.yaml", "../examples/web-service/analytics-policy.yaml",
        "../collector-config/policy.yaml")) {
      PrivacyPolicy policy = PolicyLoader.load(Path.of(file));
      long untyped = policy.allowedAttributes().values().stream()
          .filter(e -> e.type().kind() == AttributeType.Kind.TOKEN || e.type().kind() == AttributeType.Kind.TEXT).count();
      assertThat(untyped).as("attributes of %s left as token or text", file).isZero();
      assertThat(Files.readString(Path.of(file))).doesNotContain("type: text");
    }
  }
}
