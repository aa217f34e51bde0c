package dev.otelanalytics.internal.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeValueCacheTest {
  @Test
  void remembersOnlyShortValuesAndOnlyExactly() {
    SafeValueCache cache = new SafeValueCache();
    cache.rememberSafe("inspect");
    assertThat(cache.isKnownSafe("inspect")).isTrue();
    assertThat(cache.isKnownSafe("Inspect")).isFalse();
    String longValue = "x".repeat(SafeValueCache.MAX_LENGTH + 1);
    cache.rememberSafe(longValue);
    assertThat(cache.isKnownSafe(longValue)).isFalse();
  }

  @Test
  void aRefusedValueIsNeverRememberedAndARememberedOneStillCountsNothing() {
    PrivacyPolicy policy = PrivacyPolicy.builder().allowAttribute("k", "w", AttributeType.text()).build();
    AttributeScrubber scrubber = new AttributeScrubber(policy, new KeyedHasher("k".getBytes(StandardCharsets.UTF_8)));
    for (int i = 0; i < 3; i++) {
      assertThat(scrubber.guardText("sent to bob@example.com")).isNull();
      assertThat(scrubber.guardText("Export to CSV")).isEqualTo("Export to CSV");
    }
    assertThat(scrubber.guardDrops().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
  }

  @Test
  void collidingValuesReplaceEachOtherWithoutMixingUp() {
    SafeValueCache cache = new SafeValueCache();
    // "Aa" and "BB" have the same String hash code, so they share a slot.
    cache.rememberSafe("Aa");
    cache.rememberSafe("BB");
    assertThat(cache.isKnownSafe("BB")).isTrue();
    assertThat(cache.isKnownSafe("Aa")).isFalse();
  }
}
