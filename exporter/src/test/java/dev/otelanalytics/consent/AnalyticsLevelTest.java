package dev.otelanalytics.consent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AnalyticsLevelTest {

  @ParameterizedTest(name = "parse(\"{0}\") = {1}")
  @CsvSource(delimiter = '|', value = {
    "off         | OFF",
    "local       | LOCAL",
    "anonymous   | ANONYMOUS",
    "OFF         | OFF",
    "Local       | LOCAL",
    "ANONYMOUS   | ANONYMOUS",
    "'  local  ' | LOCAL",
    "'\tanonymous\n' | ANONYMOUS",
  })
  void parseAcceptsTheThreeSettingValuesInAnyCaseTrimmed(String text, AnalyticsLevel expected) {
    assertThat(AnalyticsLevel.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "parse(\"{0}\") = null")
  @CsvSource(delimiter = '|', value = {
    "''", "'   '", "none", "on", "true", "false", "0", "1", "anon", "anonymous!", "of f", "local,anonymous",
  })
  void parseReturnsNullForAnythingElse(String text) {
    assertThat(AnalyticsLevel.parse(text)).isNull();
  }

  @Test
  void settingValueIsTheLowerCaseName() {
    assertThat(AnalyticsLevel.OFF.settingValue()).isEqualTo("off");
    assertThat(AnalyticsLevel.LOCAL.settingValue()).isEqualTo("local");
    assertThat(AnalyticsLevel.ANONYMOUS.settingValue()).isEqualTo("anonymous");
  }

  @ParameterizedTest
  @EnumSource(AnalyticsLevel.class)
  void settingValueRoundTripsThroughParse(AnalyticsLevel level) {
    assertThat(AnalyticsLevel.parse(level.settingValue())).isSameAs(level);
  }

  @Test
  void levelsAreOrderedFromMostToLeastPrivate() {
    assertThat(AnalyticsLevel.values())
        .containsExactly(AnalyticsLevel.OFF, AnalyticsLevel.LOCAL, AnalyticsLevel.ANONYMOUS);
  }

  @ParameterizedTest(name = "{0}.mostPrivate({1}) = {2}")
  @CsvSource({
    "OFF,       OFF,       OFF",
    "OFF,       LOCAL,     OFF",
    "OFF,       ANONYMOUS, OFF",
    "LOCAL,     OFF,       OFF",
    "LOCAL,     LOCAL,     LOCAL",
    "LOCAL,     ANONYMOUS, LOCAL",
    "ANONYMOUS, OFF,       OFF",
    "ANONYMOUS, LOCAL,     LOCAL",
    "ANONYMOUS, ANONYMOUS, ANONYMOUS",
  })
  void mostPrivateOfAllNinePairs(AnalyticsLevel a, AnalyticsLevel b, AnalyticsLevel expected) {
    assertThat(a.mostPrivate(b)).isEqualTo(expected);
    assertThat(b.mostPrivate(a)).as("symmetric").isEqualTo(expected);
  }
}
