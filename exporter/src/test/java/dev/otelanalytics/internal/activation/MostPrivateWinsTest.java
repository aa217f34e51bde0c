package dev.otelanalytics.internal.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.consent.AnalyticsLevel;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The effective level is the most private of the configured level, the stored level and the opt-outs. */
class MostPrivateWinsTest {
  @ParameterizedTest(name = "configured {0}, stored {1}, DO_NOT_TRACK {2}, app opt-out {3} -> {4}")
  @CsvSource(nullValues = "none", value = {
    "anonymous, none,      none, none, anonymous",
    "anonymous, local,     none, none, local",
    "anonymous, off,       none, none, off",
    "local,     anonymous, none, none, local",
    "local,     none,      none, none, local",
    "off,       anonymous, none, none, off",
    "anonymous, anonymous, 1,    none, off",
    "local,     none,      none, 1,    off",
    "anonymous, local,     0,    false, local",
    "anonymous, none,      '',   '',   anonymous",
  })
  void theMostPrivateWins(String configured, String stored, String dnt, String appOptOut, String expected) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("DO_NOT_TRACK", dnt);
    env.put("MYCLI_NO_ANALYTICS", appOptOut);
    Consent consent = Consent.evaluate(AnalyticsLevel.parse(configured), env::get, "MYCLI_NO_ANALYTICS",
        stored == null ? null : AnalyticsLevel.parse(stored));

    assertThat(consent.level()).isEqualTo(AnalyticsLevel.parse(expected));
    if (!expected.equals("anonymous")) {
      assertThat(consent.reasons()).isNotEmpty();
    }
    if (stored != null && !stored.equals("anonymous")) {
      assertThat(consent.reasons()).anySatisfy(r -> assertThat(r).contains("level command"));
    }
  }
}
