package dev.otelanalytics.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A name of megabytes is read only as far as a name can reach, and never cut inside a word. */
class EventNamesLengthTest {
  private final AttributeScrubber scrubber =
      new AttributeScrubber(PrivacyPolicy.defaultPolicy(), new KeyedHasher("k".getBytes(StandardCharsets.UTF_8)));

  @Test
  void onlyTheStartOfAHugeNameIsRead() {
    String huge = "inspect project " + "word ".repeat(400_000);
    assertThat(EventNames.leadingPart(huge)).hasSizeLessThanOrEqualTo(EventNames.MAX_NAME_READ);
    assertThat(EventNames.safeName(huge, "", scrubber)).isEqualTo("inspect project word word word");
  }

  @Test
  void theCutNeverEndsInsideAWord() {
    String name = "a ".repeat(EventNames.MAX_NAME_READ / 2 - 1) + "bob@example.com" + " x".repeat(10);
    String part = EventNames.leadingPart(name);
    assertThat(part).doesNotContain("bob", "@");
    assertThat(EventNames.leadingPart("short name")).isEqualTo("short name");
  }
}
