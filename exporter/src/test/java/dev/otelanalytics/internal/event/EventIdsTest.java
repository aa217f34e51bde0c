package dev.otelanalytics.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
  @Test
  void givesVersion4UuidsInTheirUsualFormNeverTheSameTwice() {
    EventIds ids = new EventIds();
    Set<String> seen = new HashSet<>();
    int[][] digitCounts = new int[36][16];
    int count = 100_000;
    for (int i = 0; i < count; i++) {
      String id = ids.next();
      assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      UUID parsed = UUID.fromString(id);
      assertThat(parsed.version()).isEqualTo(4);
      assertThat(parsed.variant()).isEqualTo(2);
      assertThat(parsed.toString()).isEqualTo(id);
      assertThat(seen.add(id)).as("repeated id %s", id).isTrue();
      for (int p = 0; p < 36; p++) {
        char c = id.charAt(p);
        if (c != '-') {
          digitCounts[p][Character.digit(c, 16)]++;
        }
      }
    }
    // Every random position takes every digit about equally often (1/16 of the ids, ± a wide margin).
    for (int p = 0; p < 36; p++) {
      if (p == 8 || p == 13 || p == 14 || p == 18 || p == 19 || p == 23) {
        continue;   // dashes, the version digit and the variant digit
      }
      for (int d = 0; d < 16; d++) {
        assertThat(digitCounts[p][d]).as("digit %x at %d", d, p).isBetween(count / 16 - 600, count / 16 + 600);
      }
    }
  }

  @Test
  void twoGeneratorsDoNotRepeatEachOther() {
    EventIds a = new EventIds();
    EventIds b = new EventIds();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(a.next())).isTrue();
      assertThat(seen.add(b.next())).isTrue();
    }
  }
}
