package dev.otelanalytics.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.internal.guard.NeverKeptKeys;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PrivacyPolicyTest {

  /** Every fixed never-kept key, plus header keys and case variants. */
  static Stream<String> neverKeptKeys() {
    return Stream.concat(
        NeverKeptKeys.keys().stream(),
        Stream.of(
            "http.request.header.authorization",
            "http.response.header.set-cookie",
            "rpc.request.metadata.x-api-key",
            "rpc.response.metadata.grpc-status",
            "Exception.Message",
            "URL.FULL",
            "HTTP.REQUEST.HEADER.COOKIE"));
  }

  @Test
  void defaultPolicyKeepsOnlyServiceNameAndVersionResourceAttributes() {
    PrivacyPolicy policy = PrivacyPolicy.defaultPolicy();
    assertThat(policy.allowedResourceAttributes()).containsOnlyKeys("service.name", "service.version");
    assertThat(policy.allowedResourceAttributes().values()).allSatisfy(e -> assertThat(e.why()).isNotBlank());
  }

  @Test
  void defaultPolicySelectsLocalRootSpansOnly() {
    assertThat(PrivacyPolicy.defaultPolicy().spanSelectors()).containsExactly(PrivacyPolicy.LOCAL_ROOT);
  }

  @Test
  void defaultPolicyHasNoSpanAttributesEventsOrMetrics() {
    PrivacyPolicy policy = PrivacyPolicy.defaultPolicy();
    assertThat(policy.allowedAttributes()).isEmpty();
    assertThat(policy.hashedAttributes()).isEmpty();
    assertThat(policy.spanEvents()).isEmpty();
    assertThat(policy.allowedMetrics()).isEmpty();
    assertThat(policy.reportInterval()).isEqualTo(Duration.ofHours(24));
  }

  @ParameterizedTest
  @MethodSource("neverKeptKeys")
  void neverKeptKeysAreRecognised(String key) {
    assertThat(NeverKeptKeys.isNeverKept(key)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"cli.command", "http.route", "enduser.id", "service.name", "exception.type", "url.path"})
  void ordinaryKeysAreNotNeverKept(String key) {
    assertThat(NeverKeptKeys.isNeverKept(key)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("neverKeptKeys")
  void builderRefusesToAllowNeverKeptKey(String key) {
    assertThatThrownBy(() -> PrivacyPolicy.builder().allowAttribute(key, "why"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("can never be collected");
  }

  @ParameterizedTest
  @MethodSource("neverKeptKeys")
  void builderRefusesToHashNeverKeptKey(String key) {
    assertThatThrownBy(() -> PrivacyPolicy.builder().hashAttribute(key, "why"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("can never be collected");
  }

  @ParameterizedTest
  @MethodSource("neverKeptKeys")
  void builderRefusesNeverKeptKeyAsResourceAttribute(String key) {
    assertThatThrownBy(() -> PrivacyPolicy.builder().allowResourceAttribute(key, "why"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("can never be collected");
  }

  @Test
  void builderRefusesHashingAKeyAlreadyAllowed() {
    PrivacyPolicy.Builder b = PrivacyPolicy.builder().allowAttribute("enduser.id", "why");
    assertThatThrownBy(() -> b.hashAttribute("enduser.id", "why"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enduser.id")
        .hasMessageContaining("both to allow and to hash");
  }

  @Test
  void builderRefusesAllowingAKeyAlreadyHashed() {
    PrivacyPolicy.Builder b = PrivacyPolicy.builder().hashAttribute("enduser.id", "why");
    assertThatThrownBy(() -> b.allowAttribute("enduser.id", "why"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both to allow and to hash");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", " cli.command", "cli.command "})
  void builderRefusesEmptyOrPaddedKeys(String key) {
    assertThatThrownBy(() -> PrivacyPolicy.builder().allowAttribute(key, "why"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrivacyPolicy.builder().hashAttribute(key, "why"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrivacyPolicy.builder().allowResourceAttribute(key, "why"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrivacyPolicy.builder().allowMetric(key, "why"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrivacyPolicy.builder().addSpanEvent(key))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderRefusesEmptySpanSelection() {
    assertThatThrownBy(() -> PrivacyPolicy.builder().setSpanSelectors(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("local-root");
    assertThatThrownBy(() -> PrivacyPolicy.builder().setSpanSelectors(List.of("cli.*", " ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderRefusesReportIntervalBelowOneSecond() {
    assertThatThrownBy(() -> PrivacyPolicy.builder().setReportInterval(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrivacyPolicy.builder().setReportInterval(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toBuilderCopiesEveryField() {
    PrivacyPolicy original =
        PrivacyPolicy.builder()
            .setSpanSelectors(List.of("cli.*", PrivacyPolicy.LOCAL_ROOT))
            .addSpanEvent("cache.miss")
            .allowAttribute("cli.command", "which command")
            .hashAttribute("enduser.id", "distinct users")
            .allowResourceAttribute("service.name", "which service")
            .allowMetric("items.inspected", "volume")
            .setReportInterval(Duration.ofHours(6))
            .build();

    PrivacyPolicy copy = original.toBuilder().build();

    assertThat(copy.spanSelectors()).containsExactly("cli.*", PrivacyPolicy.LOCAL_ROOT);
    assertThat(copy.spanEvents()).containsExactly("cache.miss");
    assertThat(copy.allowedAttributes()).isEqualTo(original.allowedAttributes());
    assertThat(copy.hashedAttributes()).isEqualTo(original.hashedAttributes());
    assertThat(copy.allowedResourceAttributes()).isEqualTo(original.allowedResourceAttributes());
    assertThat(copy.allowedMetrics()).isEqualTo(original.allowedMetrics());
    assertThat(copy.reportInterval()).isEqualTo(Duration.ofHours(6));
    assertThat(copy.allowedAttributes().get("cli.command").why()).isEqualTo("which command");
  }

  @Test
  void toBuilderAdditionsLeaveTheOriginalUnchanged() {
    PrivacyPolicy original = PrivacyPolicy.defaultPolicy();
    PrivacyPolicy extended = original.toBuilder().allowAttribute("cli.command", "which command").build();

    assertThat(extended.allowedAttributes()).containsOnlyKeys("cli.command");
    assertThat(extended.allowedResourceAttributes()).containsOnlyKeys("service.name", "service.version");
    assertThat(original.allowedAttributes()).isEmpty();
  }

  @Test
  void toBuilderStillRefusesAllowingAKeyTheOriginalHashes() {
    PrivacyPolicy original = PrivacyPolicy.builder().hashAttribute("enduser.id", "why").build();
    assertThatThrownBy(() -> original.toBuilder().allowAttribute("enduser.id", "why"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builtPolicyCollectionsAreUnmodifiable() {
    PrivacyPolicy policy = PrivacyPolicy.defaultPolicy();
    assertThatThrownBy(() -> policy.allowedAttributes().put("x", PolicyEntry.of("x", "")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> policy.spanSelectors().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void laterBuilderChangesDoNotAffectABuiltPolicy() {
    PrivacyPolicy.Builder b = PrivacyPolicy.builder().allowAttribute("cli.command", "why");
    PrivacyPolicy policy = b.build();
    b.allowAttribute("http.route", "why");
    assertThat(policy.allowedAttributes()).containsOnlyKeys("cli.command");
  }
}
