package dev.otelanalytics.internal.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.config.ControlSettings;
import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one on/off decision, for each way in. */
class ActivationTest {
  @TempDir Path stateDir;
  private final Map<String, String> settings = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  private ActivationDecision decide(Activation.EntryPoint entryPoint, String service) throws InvalidSettingException {
    return Activation.decide(ControlSettings.parse(settings::get), entryPoint, environment::get,
        StateDirectory.at(stateDir).choices(), service);
  }

  @Test
  void anUnsetSwitchMeansOffForSettingsAndOnForCode() throws Exception {
    assertThat(decide(Activation.EntryPoint.SETTINGS, "svc").level()).isEqualTo(AnalyticsLevel.OFF);
    assertThat(decide(Activation.EntryPoint.SETTINGS, "svc").enabled()).isFalse();
    assertThat(decide(Activation.EntryPoint.CODE, "svc").level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    assertThat(decide(Activation.EntryPoint.CODE, "svc").reasons()).isEmpty();
  }

  @Test
  void anExplicitFalseIsOffForEveryWayIn() throws Exception {
    settings.put("otel.analytics.enabled", "false");
    for (Activation.EntryPoint entryPoint : Activation.EntryPoint.values()) {
      assertThat(decide(entryPoint, "svc").isOff()).as(entryPoint.name()).isTrue();
    }
  }

  @Test
  void theMostPrivateSignalWinsAndSaysWhy() throws Exception {
    settings.put("otel.analytics.enabled", "true");
    settings.put("otel.analytics.level", "local");
    assertThat(decide(Activation.EntryPoint.SETTINGS, "svc").level()).isEqualTo(AnalyticsLevel.LOCAL);
    environment.put("DO_NOT_TRACK", "1");
    ActivationDecision decision = decide(Activation.EntryPoint.CODE, "svc");
    assertThat(decision.level()).isEqualTo(AnalyticsLevel.OFF);
    assertThat(decision.reasons()).contains("OTEL_ANALYTICS_LEVEL is local", "DO_NOT_TRACK is set");
  }

  @Test
  void aServiceNotListedIsOffWithItsName() throws Exception {
    settings.put("otel.analytics.services", "api, worker");
    assertThat(decide(Activation.EntryPoint.CODE, "worker").level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    ActivationDecision other = decide(Activation.EntryPoint.CODE, "billing");
    assertThat(other.isOff()).isTrue();
    assertThat(other.reasons()).containsExactly("this program (billing) is not in OTEL_ANALYTICS_SERVICES");
  }

  @Test
  void theNoticeIsDueOnceThenCapsThatRunAtLocal() throws Exception {
    settings.put("otel.analytics.notice", "Hello from the analytics notice");
    ActivationDecision first = decide(Activation.EntryPoint.CODE, "svc");
    assertThat(first.noticeDue()).isTrue();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ActivationDecision shown = Activation.showNoticeIfDue(first, StateDirectory.at(stateDir),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Hello from the analytics notice" + System.lineSeparator());
    assertThat(shown.level()).isEqualTo(AnalyticsLevel.LOCAL);
    assertThat(shown.reasons()).containsExactly(Activation.FIRST_RUN_REASON);
    assertThat(decide(Activation.EntryPoint.CODE, "svc").noticeDue()).isFalse();
  }

  @Test
  void noNoticeIsDueWhenAnalyticsIsOff() throws Exception {
    settings.put("otel.analytics.notice", "true");
    environment.put("DO_NOT_TRACK", "1");
    ActivationDecision decision = decide(Activation.EntryPoint.CODE, "svc");
    assertThat(decision.noticeDue()).isFalse();
    assertThat(Activation.showNoticeIfDue(decision, StateDirectory.at(stateDir), new PrintStream(new ByteArrayOutputStream())))
        .isSameAs(decision);
  }

  @Test
  void aStoredLevelIsRead() throws Exception {
    StateDirectory.at(stateDir).choices().storeLevel(AnalyticsLevel.LOCAL);
    ActivationDecision decision = decide(Activation.EntryPoint.CODE, "svc");
    assertThat(decision.level()).isEqualTo(AnalyticsLevel.LOCAL);
    assertThat(decision.reasons()).containsExactly("the level was set to local with the level command");
  }

  @Test
  void decidingCreatesNothing() throws Exception {
    Path missing = stateDir.resolve("not-yet");
    Activation.decide(ControlSettings.parse(settings::get), Activation.EntryPoint.CODE, environment::get,
        StateDirectory.at(missing).choices(), "svc");
    assertThat(missing).doesNotExist();
  }

  @Test
  void theStateDirectorySettingIsOnlyAPath() throws Exception {
    // Reading the settings touches nothing on disk.
    settings.put("otel.analytics.state.dir", stateDir.resolve("x").toString());
    assertThat(ControlSettings.parse(settings::get).stateDir()).isEqualTo(stateDir.resolve("x"));
  }
}
