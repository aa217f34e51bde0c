package dev.otelanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.AnalyticsControl;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code level} and {@code clear} change the files in the state directory; a process of the
 * service that is already running keeps the level, ids, key and events it started with until it
 * restarts. Both commands say so, naming the service in force, and the note is true.
 */
class RunningProcessNoteTest {
  private static final String COMMAND = "mycli telemetry";

  @TempDir Path stateDir;

  private CliRun run(Map<String, String> settings, String... args) {
    return CliRun.of(stateDir, COMMAND, settings, args);
  }

  @Test
  void levelSaysRunningProgramsKeepTheirLevelUntilTheyRestart() {
    for (String level : List.of("off", "local", "anonymous")) {
      CliRun r = run(Map.of(), "level", level);
      assertThat(r.exit()).isZero();
      assertThat(r.out()).endsWith("Programs of cli-app running now keep the level they started with until they restart.\n");
    }
  }

  @Test
  void clearSaysRunningProgramsKeepTheOldIdsAndNamesTheServiceInForce() {
    CliRun r = run(Map.of("otel.service.name", "renamed"), "clear");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).endsWith(
        "Programs of renamed running now keep the old ids and key, and the events they hold, until they restart.\n");
  }

  @Test
  void theNoteIsTrueARunningProcessKeepsItsInstallIdAfterClear() {
    OtelAnalytics running = OtelAnalytics.builder().setServiceName("cli-app").setStateDirectory(stateDir).build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(running.spanProcessor()).build();
    try {
      provider.get("test").spanBuilder("before").startSpan().end();
      running.forceFlush().join(10, TimeUnit.SECONDS);
      String oldId = InstallIdentity.peekInstallId(StateDirectory.at(stateDir));

      assertThat(run(Map.of(), "clear").exit()).isZero();
      String newId = InstallIdentity.peekInstallId(StateDirectory.at(stateDir));
      provider.get("test").spanBuilder("after").startSpan().end();
      running.forceFlush().join(10, TimeUnit.SECONDS);

      List<AnalyticsEvent> stored = AnalyticsControl.create(Map.of("otel.analytics.state.dir", stateDir.toString())::get,
          env -> null, "cli-app").lastEvents(10).events();
      assertThat(newId).isNotNull().isNotEqualTo(oldId);
      assertThat(stored).extracting(AnalyticsEvent::name).containsExactly("after");
      assertThat(stored.get(0).distinctId()).as("the running process still uses the id it started with").isEqualTo(oldId);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
