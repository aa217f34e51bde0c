package dev.otelanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otelanalytics.AnalyticsControl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a usable state directory (a container user without a passwd entry has user.home "?"),
 * the commands that read, write or delete state files refuse to run, naming the fix; they never
 * act on a path relative to the working directory (issue 17, fault 1).
 */
class CommandsWithoutAStateDirectoryTest {
  @TempDir Path tmp;

  @Test
  void showExportClearAndLevelRefuseAndTouchNothingInTheWorkingDirectory() {
    assumeTrue(System.getenv("XDG_STATE_HOME") == null && !System.getProperty("os.name").toLowerCase().startsWith("windows"),
        "the default directory hangs off user.home here");
    String home = System.getProperty("user.home");
    System.setProperty("user.home", "?");
    try {
      AnalyticsControl control = AnalyticsControl.create(Map.<String, String>of()::get, env -> null, "cli-app");
      assertThat(control.stateDirectoryProblem()).contains("OTEL_ANALYTICS_STATE_DIR");
      for (String[] args : new String[][] {{"show"}, {"export", tmp.resolve("out.json").toString()}, {"clear"},
          {"level", "off"}}) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AnalyticsCli.run(control, "cli-app telemetry", args, new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(args[0]).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).as(args[0]).contains("OTEL_ANALYTICS_STATE_DIR");
      }
      assertThat(Files.exists(Paths.get("otel-analytics"))).as("a directory relative to the working directory").isFalse();
      assertThat(Files.exists(tmp.resolve("out.json"))).isFalse();
    } finally {
      System.setProperty("user.home", home);
    }
  }
}
