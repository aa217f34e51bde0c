package dev.otelanalytics.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.relay.internal.RelaySettingException;
import dev.otelanalytics.relay.internal.RelaySettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The relay's own settings: defaults, and one line naming the variable and what is accepted for each mistake. */
class RelaySettingsTest {
  @Test
  void defaultsAreLoopbackPort4319NoTokenAnd4MiB() throws Exception {
    RelaySettings settings = RelaySettings.read(name -> null);
    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(4319);
    assertThat(settings.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(settings.token()).isNull();
    assertThat(settings.maxBodyBytes()).isEqualTo(4L * 1024 * 1024);
  }

  @Test
  void endpointsInEveryFormAreRead() throws Exception {
    assertThat(read("otel.analytics.relay.endpoint", "0.0.0.0:9000").port()).isEqualTo(9000);
    assertThat(read("otel.analytics.relay.endpoint", "[::1]:4319").host()).isEqualTo("::1");
    assertThat(read("otel.analytics.relay.endpoint", "localhost:0").port()).isZero();
    assertThat(read("otel.analytics.relay.max.body.size", "16MiB").maxBodyBytes()).isEqualTo(16L << 20);
  }

  @Test
  void aBadEndpointNamesTheVariableAndTheForm() {
    for (String bad : new String[] {"4319", "127.0.0.1", "127.0.0.1:", ":4319", "127.0.0.1:99999", "http://127.0.0.1:4319",
        "[::1]4319", "host name:1"}) {
      assertThatThrownBy(() -> read("otel.analytics.relay.endpoint", bad)).isInstanceOf(RelaySettingException.class)
          .hasMessageStartingWith("OTEL_ANALYTICS_RELAY_ENDPOINT (-Dotel.analytics.relay.endpoint) is '")
          .hasMessageContaining("expected host:port, e.g. 127.0.0.1:4319 (the default)").hasMessageNotContaining("\n");
    }
  }

  @Test
  void aShortOrUnprintableTokenIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> read("otel.analytics.relay.token", "short-secret"))
        .hasMessage("OTEL_ANALYTICS_RELAY_TOKEN (-Dotel.analytics.relay.token): the token is 12 characters long; use at least 16"
            + " random characters (e.g. the output of 'openssl rand -hex 32')");
    assertThatThrownBy(() -> read("otel.analytics.relay.token", "a secret with spaces in it"))
        .hasMessageContaining("visible ASCII").hasMessageNotContaining("secret with");
  }

  @Test
  void aBodyLimitOutsideItsRangeNamesTheRange() {
    assertThatThrownBy(() -> read("otel.analytics.relay.max.body.size", "1GiB"))
        .hasMessageStartingWith("OTEL_ANALYTICS_RELAY_MAX_BODY_SIZE (-Dotel.analytics.relay.max.body.size) is '1GiB'")
        .hasMessageContaining("from 1KiB to 256MiB");
    assertThatThrownBy(() -> read("otel.analytics.relay.max.body.size", "lots"))
        .hasMessageStartingWith("OTEL_ANALYTICS_RELAY_MAX_BODY_SIZE (-Dotel.analytics.relay.max.body.size) is 'lots'");
  }

  @Test
  void theBuilderRefusesBadAnalyticsSettingsAndAnAnalyticsThatIsOff() {
    Map<String, String> settings = new HashMap<>(Map.of("otel.analytics.relay.endpoint", "127.0.0.1:0",
        "otel.analytics.queue.size", "none"));
    assertThatThrownBy(() -> OtlpRelay.builder().setSettings(settings::get).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("OTEL_ANALYTICS_QUEUE_SIZE (-Dotel.analytics.queue.size)");
    Map<String, String> off = Map.of("otel.analytics.relay.endpoint", "127.0.0.1:0", "otel.analytics.enabled", "false");
    assertThatThrownBy(() -> OtlpRelay.builder().setSettings(off::get).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("analytics is off for the relay");
  }

  private static RelaySettings read(String property, String value) throws RelaySettingException {
    return RelaySettings.read(Map.of(property, value)::get);
  }
}
