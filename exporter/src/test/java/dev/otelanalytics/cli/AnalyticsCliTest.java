package dev.otelanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.AnalyticsControl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A verb given the wrong number of arguments says, in one line, what it needs and how to call it,
 * and exits 2 like every other usage error of the command line.
 */
class AnalyticsCliTest {
  private static final String COMMAND = "mycli telemetry";

  @TempDir Path stateDir;

  private record Result(int exit, String out, String err) {}

  private Result run(String... args) {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.analytics.enabled", "true");
    properties.put("otel.analytics.state.dir", stateDir.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = AnalyticsCli.run(AnalyticsControl.create(properties::get, env -> null, "cli-app"), COMMAND, args,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "export                 | mycli telemetry: export needs a file: mycli telemetry export events.json",
      "export a.json b.json   | mycli telemetry: export takes one file: mycli telemetry export events.json",
      "level                  | mycli telemetry: level needs one of off, local, anonymous: mycli telemetry level off",
      "level maximum          | mycli telemetry: level takes one of off, local, anonymous, not 'maximum': mycli telemetry level off",
      "level off local        | mycli telemetry: level takes one of off, local, anonymous, once: mycli telemetry level off",
  })
  void aMissingOrExtraArgumentGetsItsOwnLineAndExitCode2(String args, String expected) {
    Result r = run(args.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(expected + System.lineSeparator());
    assertThat(r.out()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"forget-me", "status now"})
  void otherMistakesStillGetTheUsageAndExitCode2(String args) {
    Result r = run(args.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("usage: " + COMMAND + " status | show [N] | export FILE");
  }
}
