package dev.otelanalytics.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A byte size is read exactly or refused: a number whose bytes overflow a {@code long} (such as
 * {@code 17179869185GiB}, which wrapped around to exactly 1 GiB) is out of range, with the one
 * line that names the setting and the accepted range, never a small size taken by accident.
 */
class ByteSizeSettingTest {
  private static final String PROPERTY = AnalyticsConfig.OUTBOX_MAX_SIZE;

  private static long read(String value) throws InvalidSettingException {
    return new SettingsReader(Map.of(PROPERTY, value)::get).byteSize(PROPERTY, 1234);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "17179869185GiB",        // 2^34 + 1 GiB: wrapped to 1 GiB
      "17179869184GiB",        // 2^34 GiB: wrapped to 0
      "8589934593GiB",         // wrapped to a negative size and back
      "18014398509481985KiB",  // 2^54 + 1 KiB: wrapped to 1 KiB
      "9223372036854775807GB", // Long.MAX_VALUE of a unit
      "9223372036854775808",   // one more than a long holds
      "99999999999999999999999999999999MiB", // a long digit string
      "000000000000000000000000000001099511627777B", // leading zeros, just over 1 TiB
      "1025GiB",               // a plain size just over the range
  })
  void aSizeBeyondTheRangeIsRefusedWithTheRange(String value) {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> read(value));

    assertThat(e).as("%s is refused", value).isNotNull();
    assertThat(e.getMessage()).isEqualTo("OTEL_ANALYTICS_OUTBOX_MAX_SIZE (-Dotel.analytics.outbox.max.size) is '" + value
        + "': expected a size from 1KiB to 1TiB, e.g. 10MiB, 500KiB or 1GB");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "1KiB, 1024",
      "1TiB, 1099511627776",
      "1024GiB, 1099511627776",
      "1099511627776, 1099511627776",
      "0000000000000000000010MiB, 10485760",
      "64 MiB, 67108864",
      "1gb, 1000000000",
  })
  void aSizeInTheRangeIsReadExactly(String value, long bytes) throws InvalidSettingException {
    assertThat(read(value)).isEqualTo(bytes);
  }
}
