package dev.otelanalytics.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.snippets.telemetry.MyCli;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code telemetry} command snippet of docs/end-users.md, run as the host CLI runs it. */
class TelemetryCommandTest {
  @TempDir Path app;
  @TempDir Path state;

  @Test
  void noArgumentsRunsTheAppAsUsual() throws Exception {
    JavaProcess.Result run = JavaProcess.run(MyCli.class, Map.of("OTEL_ANALYTICS_STATE_DIR", state.toString()), app);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stderr()).as(run.describe()).isEmpty();
  }

  @Test
  void telemetryStatusSaysWhatIsCollected() throws Exception {
    JavaProcess.Result run = JavaProcess.run(MyCli.class,
        Map.of("OTEL_ANALYTICS_ENABLED", "true", "OTEL_ANALYTICS_STATE_DIR", state.toString()), app, "telemetry", "status");

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout()).as(run.describe()).contains("my-cli telemetry level");
    JavaProcess.assertNoFiles(state);
  }
}
