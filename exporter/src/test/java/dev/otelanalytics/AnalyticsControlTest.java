package dev.otelanalytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.destination.FileDestination;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.testing.Json;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsControlTest {
  @TempDir Path stateDir;

  private AnalyticsControl control(String... settings) {
    Map<String, String> p = new HashMap<>();
    p.put("otel.analytics.enabled", "true");
    p.put("otel.analytics.state.dir", stateDir.toString());
    for (int i = 0; i < settings.length; i += 2) {
      p.put(settings[i], settings[i + 1]);
    }
    return AnalyticsControl.create(p::get, name -> null, "cli-app");
  }

  private void record(String... names) {
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("cli-app").setStateDirectory(stateDir).build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    for (String name : names) {
      provider.get("test").spanBuilder(name).startSpan().end();
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void clearDeletesTheStoreAndTheOutboxAndRegeneratesTheIdsAndKey() throws IOException {
    record("a", "b");
    Files.createDirectories(stateDir.resolve("outbox"));
    Files.writeString(stateDir.resolve("outbox/b-1795453047386-000000000-22a31cc79fe871b4.jsonl"), "{}\n");
    Files.writeString(stateDir.resolve(StateDirectory.SENDER_STOPPED_FILE), "posthog\nthe key was refused\n");
    StateDirectory state = StateDirectory.at(stateDir);
    String[] before = {InstallIdentity.peekInstallId(state), InstallIdentity.peekDeploymentId(state)};
    String keyBefore = Files.readString(stateDir.resolve(StateDirectory.HASH_KEY_FILE));

    ClearResult deleted = control().clear();

    assertThat(deleted.eventsDeleted()).isEqualTo(2);
    assertThat(deleted.batchesDeleted()).isEqualTo(1);
    assertThat(control().lastEvents(10).events()).isEmpty();
    assertThat(stateDir.resolve("outbox")).isEmptyDirectory();
    assertThat(stateDir.resolve(StateDirectory.SENDER_STOPPED_FILE)).as("nothing left to send: no stale warning").doesNotExist();
    String[] after = {InstallIdentity.peekInstallId(state), InstallIdentity.peekDeploymentId(state)};
    assertThat(after[0]).isNotNull().isNotEqualTo(before[0]);
    assertThat(after[1]).isNotNull().isNotEqualTo(before[1]);
    assertThat(Files.readString(stateDir.resolve(StateDirectory.HASH_KEY_FILE))).isNotEqualTo(keyBefore);
  }

  @Test
  void clearWhileOffDeletesButCreatesNothing() throws IOException {
    record("a");
    control("otel.analytics.level", "off").clear();
    assertThat(InstallIdentity.peekInstallId(StateDirectory.at(stateDir))).isNull();
    assertThat(InstallIdentity.peekDeploymentId(StateDirectory.at(stateDir))).isNull();
    assertThat(stateDir.resolve(StateDirectory.HASH_KEY_FILE)).doesNotExist();
  }

  @Test
  void retentionPurgesOlderDailyFilesAtStart() throws IOException {
    Path events = Files.createDirectories(stateDir.resolve("events"));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Path old = events.resolve(FileDestination.FILE_PREFIX + today.minusDays(31) + FileDestination.FILE_SUFFIX);
    Path recent = events.resolve(FileDestination.FILE_PREFIX + today.minusDays(29) + FileDestination.FILE_SUFFIX);
    Files.writeString(old, "");
    Files.writeString(recent, "");

    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("test-app").setStateDirectory(stateDir).setLocalRetention(Duration.ofDays(30)).build();
    analytics.forceFlush().join(10, TimeUnit.SECONDS);
    analytics.shutdown();

    assertThat(old).doesNotExist();
    assertThat(recent).exists();
  }

  @Test
  void showAndExportReturnTheEventsExactlyAsStored() throws IOException {
    record("first", "second", "third");
    List<AnalyticsEvent> last2 = control().lastEvents(2).events();
    assertThat(last2).extracting(AnalyticsEvent::name).containsExactly("second", "third");

    Path file = stateDir.resolveSibling(stateDir.getFileName() + "-export.json");
    assertThat(control().export(file).eventsExported()).isEqualTo(3);
    String json = Files.readString(file);
    assertThat(json).startsWith("[").endsWith("]\n");
    String[] lines = json.substring(1, json.lastIndexOf(']')).trim().split(",\n");
    assertThat(lines).hasSize(3);
    assertThat(Json.object(lines[2])).containsEntry("event", "third").containsEntry("uuid", last2.get(1).uuid());
  }

  @Test
  void theStoredLevelIsReportedWithItsReason() throws IOException {
    control().setLevel(AnalyticsLevel.LOCAL);
    AnalyticsStatus status = control().status();
    assertThat(status.level()).isEqualTo(AnalyticsLevel.LOCAL);
    assertThat(status.reasons()).containsExactly("the level was set to local with the level command");
  }

  @Test
  void anInvalidConfigurationIsReportedNotThrown() throws IOException {
    AnalyticsStatus status = control("otel.analytics.queue.size", "lots").status();
    assertThat(status.level()).isEqualTo(AnalyticsLevel.OFF);
    assertThat(status.configError()).contains("OTEL_ANALYTICS_QUEUE_SIZE");
  }
}
