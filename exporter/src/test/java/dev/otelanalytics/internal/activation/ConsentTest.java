package dev.otelanalytics.internal.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.consent.AnalyticsLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConsentTest {
  private static final String APP_VARIABLE = "MYCLI_DISABLE_ANALYTICS";

  /** value, whether it counts as an opt-out. */
  static Stream<Arguments> truthiness() {
    return Stream.of(
        Arguments.of(null, false),
        Arguments.of("", false),
        Arguments.of(" ", false),
        Arguments.of("\t\n", false),
        Arguments.of("0", false),
        Arguments.of(" 0 ", false),
        Arguments.of("false", false),
        Arguments.of("FALSE", false),
        Arguments.of("False", false),
        Arguments.of(" false\n", false),
        Arguments.of("1", true),
        Arguments.of("true", true),
        Arguments.of("TRUE", true),
        Arguments.of("yes", true),
        Arguments.of("no", true), // only empty, 0 and false mean "not set"
        Arguments.of("00", true),
        Arguments.of("anything", true));
  }

  private static Function<String, String> env(String... namesAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map::get;
  }

  private static Function<String, String> single(String name, String value) {
    return n -> n.equals(name) ? value : null;
  }

  @ParameterizedTest(name = "isTruthy({0}) = {1}")
  @MethodSource("truthiness")
  void isTruthyTable(String value, boolean expected) {
    assertThat(Consent.isTruthy(value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "DO_NOT_TRACK={0} → off: {1}")
  @MethodSource("truthiness")
  void doNotTrackTable(String value, boolean optsOut) {
    Consent consent = Consent.evaluate(AnalyticsLevel.ANONYMOUS, single("DO_NOT_TRACK", value), APP_VARIABLE);

    if (optsOut) {
      assertThat(consent.level()).isEqualTo(AnalyticsLevel.OFF);
      assertThat(consent.reasons()).hasSize(1);
      assertThat(consent.reasons().get(0)).contains("DO_NOT_TRACK");
    } else {
      assertThat(consent.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
      assertThat(consent.reasons()).isEmpty();
    }
  }

  @ParameterizedTest(name = "MYCLI_DISABLE_ANALYTICS={0} → off: {1}")
  @MethodSource("truthiness")
  void appOptOutVariableTable(String value, boolean optsOut) {
    Consent consent = Consent.evaluate(AnalyticsLevel.LOCAL, single(APP_VARIABLE, value), APP_VARIABLE);

    // A configured level below anonymous is itself a reason that status reports.
    if (optsOut) {
      assertThat(consent.level()).isEqualTo(AnalyticsLevel.OFF);
      assertThat(consent.reasons()).containsExactly("OTEL_ANALYTICS_LEVEL is local", APP_VARIABLE + " is set");
    } else {
      assertThat(consent.level()).isEqualTo(AnalyticsLevel.LOCAL);
      assertThat(consent.reasons()).containsExactly("OTEL_ANALYTICS_LEVEL is local");
    }
  }

  @Test
  void appVariableIsOnlyConsultedWhenNamed() {
    List<String> asked = new ArrayList<>();
    Function<String, String> env = name -> {
      asked.add(name);
      return name.equals(APP_VARIABLE) ? "1" : null;
    };

    Consent consent = Consent.evaluate(AnalyticsLevel.ANONYMOUS, env, null);

    assertThat(consent.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    assertThat(consent.reasons()).isEmpty();
    assertThat(asked).doesNotContain(APP_VARIABLE).doesNotContainNull();
  }

  @Test
  void anotherAppsVariableDoesNotOptOut() {
    Consent consent = Consent.evaluate(AnalyticsLevel.ANONYMOUS, single("OTHERCLI_DISABLE_ANALYTICS", "1"), APP_VARIABLE);

    assertThat(consent.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
  }

  @ParameterizedTest(name = "OTEL_SDK_DISABLED={0} → off: {1}")
  @MethodSource("sdkDisabledValues")
  void otelSdkDisabledOnlyForTrue(String value, boolean off) {
    Consent consent = Consent.evaluate(AnalyticsLevel.ANONYMOUS, single("OTEL_SDK_DISABLED", value), null);

    if (off) {
      assertThat(consent.level()).isEqualTo(AnalyticsLevel.OFF);
      assertThat(consent.reasons()).singleElement().asString().contains("OTEL_SDK_DISABLED");
    } else {
      assertThat(consent.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
      assertThat(consent.reasons()).isEmpty();
    }
  }

  static Stream<Arguments> sdkDisabledValues() {
    // OpenTelemetry's own rule: only "true" (any case) disables; "1"/"yes" do not.
    return Stream.of(
        Arguments.of(null, false),
        Arguments.of("", false),
        Arguments.of("false", false),
        Arguments.of("1", false),
        Arguments.of("yes", false),
        Arguments.of("true", true),
        Arguments.of("TRUE", true),
        Arguments.of(" True ", true));
  }

  @Test
  void configuredOffStaysOffWithAReason() {
    Consent consent = Consent.evaluate(AnalyticsLevel.OFF, env(), APP_VARIABLE);

    assertThat(consent.level()).isEqualTo(AnalyticsLevel.OFF);
    assertThat(consent.reasons()).singleElement().asString().contains("OTEL_ANALYTICS_LEVEL");
  }

  @ParameterizedTest
  @EnumSource(AnalyticsLevel.class)
  void withoutSignalsTheConfiguredLevelIsKept(AnalyticsLevel configured) {
    Consent consent = Consent.evaluate(configured, env("DO_NOT_TRACK", "0", APP_VARIABLE, "false", "OTEL_SDK_DISABLED", "false"),
        APP_VARIABLE);

    assertThat(consent.level()).isEqualTo(configured);
  }

  @ParameterizedTest
  @EnumSource(AnalyticsLevel.class)
  void anyOptOutWinsOverEveryConfiguredLevel(AnalyticsLevel configured) {
    assertThat(Consent.evaluate(configured, single("DO_NOT_TRACK", "1"), APP_VARIABLE).level()).isEqualTo(AnalyticsLevel.OFF);
    assertThat(Consent.evaluate(configured, single(APP_VARIABLE, "1"), APP_VARIABLE).level()).isEqualTo(AnalyticsLevel.OFF);
    assertThat(Consent.evaluate(configured, single("OTEL_SDK_DISABLED", "true"), APP_VARIABLE).level())
        .isEqualTo(AnalyticsLevel.OFF);
  }

  @Test
  void everySignalIsReportedAndEachReasonNamesItsVariable() {
    Consent consent = Consent.evaluate(AnalyticsLevel.OFF,
        env("DO_NOT_TRACK", "1", APP_VARIABLE, "yes", "OTEL_SDK_DISABLED", "true"), APP_VARIABLE);

    assertThat(consent.level()).isEqualTo(AnalyticsLevel.OFF);
    assertThat(consent.reasons()).hasSize(4);
    assertThat(consent.reasons().get(0)).contains("OTEL_ANALYTICS_LEVEL");
    assertThat(consent.reasons().get(1)).contains("DO_NOT_TRACK");
    assertThat(consent.reasons().get(2)).contains(APP_VARIABLE);
    assertThat(consent.reasons().get(3)).contains("OTEL_SDK_DISABLED");
  }

  @Test
  void reasonsNeverEchoTheVariablesValue() {
    String value = "some-value-the-user-typed";
    Consent consent = Consent.evaluate(AnalyticsLevel.ANONYMOUS, env("DO_NOT_TRACK", value, APP_VARIABLE, value), APP_VARIABLE);

    assertThat(String.join("\n", consent.reasons())).doesNotContain(value);
  }

  @Test
  void reasonsAreUnmodifiable() {
    Consent consent = Consent.evaluate(AnalyticsLevel.ANONYMOUS, single("DO_NOT_TRACK", "1"), null);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> consent.reasons().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
