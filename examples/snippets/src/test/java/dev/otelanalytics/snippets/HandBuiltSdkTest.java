package dev.otelanalytics.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.snippets.handbuilt.MyCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-built SDK snippet of docs/hand-built-sdk.md, run as a CLI that copied it would run:
 * in a JVM of its own, with the policy file of docs/policy.md in its working directory.
 */
class HandBuiltSdkTest {
  @TempDir Path app;
  @TempDir Path state;

  @BeforeEach
  void policyFromTheDocs() throws Exception {
    Docs.Block policy = PolicySnippetsTest.policyBlocks().stream()
        .filter(b -> b.file().getFileName().toString().equals("policy.md"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("docs/policy.md has no <!-- snippet-policy --> block"));
    Files.writeString(app.resolve("analytics-policy.yaml"), policy.text(), StandardCharsets.UTF_8);
  }

  @Test
  void storesOneEventForOneCommandAndExits() throws Exception {
    JavaProcess.Result run = JavaProcess.run(MyCli.class, Map.of("OTEL_ANALYTICS_STATE_DIR", state.toString()), app);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stderr()).as(run.describe()).doesNotContain("Exception");
    List<String> events = JavaProcess.storedEvents(state);
    assertThat(events).as(run.describe()).hasSize(1);
    assertThat(events.get(0)).contains("\"event\":\"inspect\"").contains("\"service.version\":\"1.2.3\"")
        .contains("\"service.name\":\"my-cli\"");
  }

  @Test
  void storesNothingWhenThePersonOptedOut() throws Exception {
    JavaProcess.Result run =
        JavaProcess.run(MyCli.class, Map.of("OTEL_ANALYTICS_STATE_DIR", state.toString(), "DO_NOT_TRACK", "1"), app);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    JavaProcess.assertNoFiles(state);
  }

  @Test
  void theTelemetryCommandDescribesThisAppsAnalyticsAndItsLevelOffReachesIt() throws Exception {
    Map<String, String> env = Map.of("OTEL_ANALYTICS_STATE_DIR", state.toString());
    JavaProcess.Result before = JavaProcess.run(MyCli.class, env, app, "telemetry", "status");
    assertThat(before.exitCode()).as(before.describe()).isZero();
    // Before the first run: on (the code asked for it) and with the app's own policy, not the built-in one.
    assertThat(before.stdout()).as(before.describe()).contains("Usage analytics for my-cli", "Level:        anonymous",
        "os.type", "cli.command").doesNotContain("not enabled");
    JavaProcess.assertNoFiles(state);

    JavaProcess.Result off = JavaProcess.run(MyCli.class, env, app, "telemetry", "level", "off");
    assertThat(off.exitCode()).as(off.describe()).isZero();
    JavaProcess.Result run = JavaProcess.run(MyCli.class, env, app);
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(JavaProcess.storedEvents(state)).as("events after level off").isEmpty();
    assertThat(JavaProcess.run(MyCli.class, env, app, "telemetry", "status").stdout())
        .contains("Level:        off", "the level was set to off with the level command");
  }

  @Test
  void aBrokenPolicyFileLeavesAnalyticsOffAndTheAppRunning() throws Exception {
    Files.writeString(app.resolve("analytics-policy.yaml"), "version: 1\nattributes:\n  allow: [cli.command]\n");

    JavaProcess.Result run = JavaProcess.run(MyCli.class, Map.of("OTEL_ANALYTICS_STATE_DIR", state.toString()), app);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stderr()).contains("my-cli: analytics is off: policy analytics-policy.yaml, line 3");
    JavaProcess.assertNoFiles(state);
  }
}
