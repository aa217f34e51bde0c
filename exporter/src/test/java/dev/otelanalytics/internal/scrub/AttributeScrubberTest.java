package dev.otelanalytics.internal.scrub;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.otelanalytics.internal.guard.GuardReason;
import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.common.Attributes;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AttributeScrubberTest {
  private static final String JWT =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

  private final KeyedHasher hasher = new KeyedHasher("scrubber-test-key".getBytes(StandardCharsets.UTF_8));
  /** Every allowed key is free text here: these tests are about the guards (TypedAttributesTest covers the types). */
  private final PrivacyPolicy policy =
      PrivacyPolicy.builder()
          .allowAttribute("cli.command", "which command was run", AttributeType.text())
          .allowAttribute("http.route", "which endpoint", AttributeType.text())
          .hashAttribute("enduser.id", "distinct users")
          .allowResourceAttribute("service.name", "which service", AttributeType.text())
          .allowResourceAttribute("service.version", "which version", AttributeType.text())
          .build();

  private AttributeScrubber scrubber;
  private Map<String, Object> out;

  @BeforeEach
  void setUp() {
    scrubber = new AttributeScrubber(policy, hasher);
    out = new HashMap<>();
  }

  private long drops(GuardReason reason) {
    return scrubber.guardDrops().get(reason);
  }

  @Test
  void keepsAllowedKeysAndDropsAndCountsTheRest() {
    Attributes attrs =
        Attributes.builder()
            .put("cli.command", "inspect")
            .put("http.route", "/api/v1/items")
            .put("http.method", "GET")
            .put("db.system", "postgresql")
            .put("thread.id", 7L)
            .build();

    scrubber.scrubSpanAttributes(attrs, out);

    assertThat(out).containsOnly(Map.entry("cli.command", "inspect"), Map.entry("http.route", "/api/v1/items"));
    assertThat(scrubber.keysNotAllowed()).isEqualTo(3);
  }

  static Stream<Arguments> canaries() {
    return Stream.of(
        arguments("alice@example.com", GuardReason.EMAIL),
        arguments("/home/alice/x", GuardReason.HOME_PATH),
        arguments("C:\\Users\\bob\\x", GuardReason.HOME_PATH),
        arguments("10.1.2.3", GuardReason.IP_ADDRESS),
        arguments("2001:db8::7", GuardReason.IP_ADDRESS),
        arguments("Bearer abc123def456ghi789", GuardReason.SECRET_TOKEN),
        arguments(JWT, GuardReason.SECRET_TOKEN));
  }

  @ParameterizedTest(name = "[{index}] {1}: {0}")
  @MethodSource("canaries")
  void dropsAllowedValueHoldingCanaryAndCountsItsReason(String canary, GuardReason reason) {
    scrubber.scrubSpanAttributes(Attributes.of(stringKey("cli.command"), canary), out);

    assertThat(out).isEmpty();
    assertThat(drops(reason)).isEqualTo(1);
    assertThat(scrubber.guardDrops().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
    assertThat(scrubber.keysNotAllowed()).isZero();
  }

  @Test
  void countsGuardDropsPerReasonAcrossCalls() {
    canaries().forEach(a -> {
      String canary = (String) a.get()[0];
      scrubber.scrubSpanAttributes(Attributes.of(stringKey("http.route"), canary), new HashMap<>());
    });

    assertThat(drops(GuardReason.EMAIL)).isEqualTo(1);
    assertThat(drops(GuardReason.HOME_PATH)).isEqualTo(2);
    assertThat(drops(GuardReason.IP_ADDRESS)).isEqualTo(2);
    assertThat(drops(GuardReason.SECRET_TOKEN)).isEqualTo(2);
    assertThat(drops(GuardReason.URL_SECRET)).isZero();
    assertThat(drops(GuardReason.CARD_NUMBER)).isZero();
  }

  @Test
  void guardDropsStartAtZeroForEveryReasonAndAreReadOnly() {
    assertThat(scrubber.guardDrops()).containsOnlyKeys(GuardReason.values());
    assertThat(scrubber.guardDrops().values()).containsOnly(0L);
    assertThatThrownBy(() -> scrubber.guardDrops().put(GuardReason.EMAIL, 5L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void hashedKeyValueIsTheKeyedHashAndNotTheRawValue() {
    scrubber.scrubSpanAttributes(Attributes.of(stringKey("enduser.id"), "alice"), out);

    assertThat(out).containsOnly(Map.entry("enduser.id", hasher.hash("alice")));
    assertThat(out.toString()).doesNotContain("alice");
  }

  @Test
  void hashedKeyHashesEvenAValueAGuardWouldDrop() {
    scrubber.scrubSpanAttributes(Attributes.of(stringKey("enduser.id"), "alice@example.com"), out);

    assertThat(out.get("enduser.id")).isEqualTo(hasher.hash("alice@example.com"));
    assertThat(out.toString()).doesNotContain("alice").doesNotContain("example.com");
    assertThat(drops(GuardReason.EMAIL)).isZero();
  }

  @Test
  void hashedKeyOfNonStringTypeHashesItsTextForm() {
    scrubber.scrubSpanAttributes(Attributes.of(longKey("enduser.id"), 12345L), out);
    assertThat(out.get("enduser.id")).isEqualTo(hasher.hash("12345"));
  }

  /** The relay's forwarding mode: a gateway Collector with the same key already hashed and marked the value. */
  @Test
  void forwardingKeepsAGatewayMarkedHashWithoutTheMark() {
    AttributeScrubber forwarding = new AttributeScrubber(policy, hasher, Map.of(), Map.of(), true);
    String gatewayHash = hasher.hash("alice@example.com");

    forwarding.scrubSpanAttributes(Attributes.of(stringKey("enduser.id"), KeyedHasher.GATEWAY_MARK + gatewayHash), out);

    assertThat(out).containsOnly(Map.entry("enduser.id", gatewayHash));
  }

  /** A raw PHP session id or Datadog API key has the hash's form; only the gateway's mark says it is one. */
  @ParameterizedTest
  @MethodSource("notMarkedHashes")
  void forwardingHashesEveryValueThatIsNotAMarkedHash(Object value) {
    AttributeScrubber forwarding = new AttributeScrubber(policy, hasher, Map.of(), Map.of(), true);
    Attributes attributes = value instanceof Long ? Attributes.of(longKey("enduser.id"), (Long) value)
        : Attributes.of(stringKey("enduser.id"), (String) value);

    forwarding.scrubSpanAttributes(attributes, out);

    assertThat(out).containsOnly(Map.entry("enduser.id", hasher.hash(String.valueOf(value))));
    assertThat(out.toString()).doesNotContain(String.valueOf(value));
  }

  static Stream<Object> notMarkedHashes() {
    return Stream.of("0123456789abcdef0123456789abcdef", "hmac:alice@example.com-and-padding", "hmac:0123456789ABCDEF0123456789ABCDEF",
        "hmac:0123456789abcdef0123456789abcde", "x-hmac:0123456789abcdef0123456789abcdef", "hmac:", 12345L);
  }

  @Test
  void withoutForwardingAMarkedHashIsHashedLikeAnyValue() {
    String marked = KeyedHasher.GATEWAY_MARK + hasher.hash("alice@example.com");

    scrubber.scrubSpanAttributes(Attributes.of(stringKey("enduser.id"), marked), out);

    assertThat(out).containsOnly(Map.entry("enduser.id", hasher.hash(marked)));
  }

  @Test
  void dropsNeverKeptKeysInAttackerBuiltAttributes() {
    Attributes attrs =
        Attributes.builder()
            .put("exception.message", "user alice not found")
            .put("url.full", "https://example.com/a")
            .put("http.request.header.authorization", "Bearer abc123def456ghi789")
            .put("Client.Address", "plain")
            .put("cli.command", "inspect")
            .build();

    scrubber.scrubSpanAttributes(attrs, out);

    assertThat(out).containsOnlyKeys("cli.command");
    assertThat(scrubber.keysNotAllowed()).isEqualTo(4);
  }

  @Test
  void truncatesLongValuesToMaxValueLength() {
    String longValue = "x".repeat(AttributeScrubber.MAX_VALUE_LENGTH + 100);

    scrubber.scrubSpanAttributes(Attributes.of(stringKey("cli.command"), longValue), out);

    assertThat((String) out.get("cli.command"))
        .hasSize(AttributeScrubber.MAX_VALUE_LENGTH)
        .isEqualTo("x".repeat(AttributeScrubber.MAX_VALUE_LENGTH));
  }

  @Test
  void keepsValueOfExactlyMaxValueLength() {
    String value = "y".repeat(AttributeScrubber.MAX_VALUE_LENGTH);
    scrubber.scrubSpanAttributes(Attributes.of(stringKey("cli.command"), value), out);
    assertThat(out.get("cli.command")).isEqualTo(value);
  }

  /** An address or a key that the cut goes through is seen whole: the guards read past the cut. */
  @Test
  void guardsSeePastTheCut() {
    String value = "x".repeat(AttributeScrubber.MAX_VALUE_LENGTH + 10) + " alice@example.com";

    scrubber.scrubSpanAttributes(Attributes.of(stringKey("cli.command"), value), out);

    assertThat(out).isEmpty();
    assertThat(drops(GuardReason.EMAIL)).isEqualTo(1);
  }

  /** Cut first, then check: what lies beyond the margin is never kept, so it is never read. */
  @Test
  void guardsReadNoFurtherThanTheMarginPastTheCut() {
    String filler = "x".repeat(AttributeScrubber.MAX_VALUE_LENGTH + AttributeScrubber.GUARD_MARGIN);
    assertThat(scrubber.guardText(filler + " alice@example.com")).isEqualTo("x".repeat(AttributeScrubber.MAX_VALUE_LENGTH));
    assertThat(scrubber.guardText("x".repeat(AttributeScrubber.MAX_VALUE_LENGTH - 10) + " AKIAIOSFODNN7EXAMPLE")).isNull();
  }

  /** A value of a million characters costs what a short one does (read whole, this digit run overflowed the stack). */
  @Test
  void aHugeValueIsDecidedWithoutReadingItWhole() {
    assertThat(scrubber.guardText("4111111111111111" + "1".repeat(1 << 20))).isNull();
    assertThat(drops(GuardReason.CARD_NUMBER)).isEqualTo(1);
    assertThat(scrubber.guardText("a.".repeat(1 << 19) + "@")).hasSize(AttributeScrubber.MAX_VALUE_LENGTH);
  }

  @Test
  void truncationDoesNotSplitASurrogatePair() {
    String value = "x".repeat(AttributeScrubber.MAX_VALUE_LENGTH - 1) + "\uD83D\uDE00" + "tail";

    scrubber.scrubSpanAttributes(Attributes.of(stringKey("cli.command"), value), out);

    String kept = (String) out.get("cli.command");
    assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
  }

  @Test
  void filtersStringArrayElementWise() {
    scrubber.scrubSpanAttributes(
        Attributes.of(stringArrayKey("cli.command"), List.of("inspect", "alice@example.com", "list", "10.1.2.3")),
        out);

    assertThat(out.get("cli.command")).isEqualTo(List.of("inspect", "list"));
    assertThat(drops(GuardReason.EMAIL)).isEqualTo(1);
    assertThat(drops(GuardReason.IP_ADDRESS)).isEqualTo(1);
  }

  @Test
  void dropsStringArrayWhoseEveryElementIsRefused() {
    scrubber.scrubSpanAttributes(
        Attributes.of(stringArrayKey("cli.command"), List.of("alice@example.com", "/home/alice/x")), out);

    assertThat(out).doesNotContainKey("cli.command");
    assertThat(drops(GuardReason.EMAIL)).isEqualTo(1);
    assertThat(drops(GuardReason.HOME_PATH)).isEqualTo(1);
  }

  @Test
  void dropsCardLikeLongValues() {
    scrubber.scrubSpanAttributes(Attributes.of(longKey("cli.command"), 4111111111111111L), out);

    assertThat(out).isEmpty();
    assertThat(drops(GuardReason.CARD_NUMBER)).isEqualTo(1);
  }

  @Test
  void keepsSmallLongDoubleAndBooleanValues() {
    scrubber.scrubSpanAttributes(Attributes.of(longKey("cli.command"), 404L, doubleKey("http.route"), 1.5), out);
    assertThat(out).containsOnly(Map.entry("cli.command", 404L), Map.entry("http.route", 1.5));

    Map<String, Object> out2 = new HashMap<>();
    scrubber.scrubSpanAttributes(Attributes.of(booleanKey("cli.command"), true), out2);
    assertThat(out2).containsOnly(Map.entry("cli.command", true));
  }

  @Test
  void filtersLongArrayElementWise() {
    scrubber.scrubSpanAttributes(Attributes.of(longArrayKey("cli.command"), List.of(1L, 4111111111111111L, 2L)), out);

    assertThat(out.get("cli.command")).isEqualTo(List.of(1L, 2L));
    assertThat(drops(GuardReason.CARD_NUMBER)).isEqualTo(1);
  }

  @Test
  void doesNotOverwriteAKeyAlreadyInTheOutput() {
    out.put("cli.command", "existing");
    out.put("enduser.id", "existing-id");

    scrubber.scrubSpanAttributes(
        Attributes.of(stringKey("cli.command"), "inspect", stringKey("enduser.id"), "alice"), out);

    assertThat(out).containsOnly(Map.entry("cli.command", "existing"), Map.entry("enduser.id", "existing-id"));
  }

  @Test
  void keepsListedResourceAttributesOnly() {
    Attributes resource =
        Attributes.builder()
            .put("service.name", "my-cli")
            .put("service.version", "2.33.1-SNAPSHOT")
            .put("host.name", "alice-laptop")
            .put("process.command_line", "java -jar /home/alice/app.jar")
            .build();

    scrubber.scrubResourceAttributes(resource, out);

    assertThat(out).containsOnly(Map.entry("service.name", "my-cli"), Map.entry("service.version", "2.33.1-SNAPSHOT"));
  }

  @Test
  void findsResourceAttributesOfNonStringType() {
    Attributes resource = Attributes.of(stringKey("service.name"), "my-cli", longKey("service.version"), 42L);

    scrubber.scrubResourceAttributes(resource, out);

    assertThat(out).containsOnly(Map.entry("service.name", "my-cli"), Map.entry("service.version", 42L));
  }

  @Test
  void guardsResourceAttributeValues() {
    Attributes resource =
        Attributes.of(stringKey("service.name"), "/home/alice/bin/tool", longKey("service.version"), 4111111111111111L);

    scrubber.scrubResourceAttributes(resource, out);

    assertThat(out).isEmpty();
    assertThat(drops(GuardReason.HOME_PATH)).isEqualTo(1);
    assertThat(drops(GuardReason.CARD_NUMBER)).isEqualTo(1);
  }

  @Test
  void doesNotOverwriteAResourceKeyAlreadyInTheOutput() {
    out.put("service.name", "from-event");

    scrubber.scrubResourceAttributes(Attributes.of(stringKey("service.name"), "from-resource"), out);

    assertThat(out).containsOnly(Map.entry("service.name", "from-event"));
  }

  @Test
  void guardTextPassesTruncatesOrDropsAndCounts() {
    assertThat(scrubber.guardText("inspect")).isEqualTo("inspect");
    assertThat(scrubber.guardText("z".repeat(1000))).hasSize(AttributeScrubber.MAX_VALUE_LENGTH);
    assertThat(scrubber.guardText("mail alice@example.com")).isNull();
    assertThat(drops(GuardReason.EMAIL)).isEqualTo(1);
  }
}
