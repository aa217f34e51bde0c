package dev.otelanalytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class IsoDateTest {
  @Test
  void readsWhatLocalDateWritesForEveryDayOfSomeYears() {
    for (LocalDate day = LocalDate.of(1999, 12, 1); day.isBefore(LocalDate.of(2029, 3, 2)); day = day.plusDays(1)) {
      assertThat(IsoDate.parse(day.toString())).isEqualTo(day);
    }
    assertThat(IsoDate.parse("0001-01-01")).isEqualTo(LocalDate.of(1, 1, 1));
    assertThat(IsoDate.parse("9999-12-31")).isEqualTo(LocalDate.of(9999, 12, 31));
  }

  @Test
  void refusesAnythingElse() {
    for (String text : new String[] {null, "", "2026-11-29 ", " 2026-11-29", "2026-11-9", "2026/11/29", "2026-13-01",
        "2026-02-30", "2026-00-10", "2026-11-00", "20261129", "+2026-11-29", "2026-1a-29", "２０２６-11-29", "2026-11-29T10:00"}) {
      assertThat(IsoDate.parse(text)).as("%s", text).isNull();
    }
  }
}
