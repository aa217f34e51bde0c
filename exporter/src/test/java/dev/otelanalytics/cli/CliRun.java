package dev.otelanalytics.cli;

import dev.otelanalytics.AnalyticsControl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One run of the {@code telemetry} command for the service "cli-app", analytics on, in a given state directory. */
record CliRun(int exit, String out, String err) {
  static CliRun of(Path stateDir, String command, Map<String, String> settings, String... args) {
    Map<String, String> properties = new HashMap<>(settings);
    properties.put("otel.analytics.enabled", "true");
    properties.put("otel.analytics.state.dir", stateDir.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = AnalyticsCli.run(AnalyticsControl.create(properties::get, env -> null, "cli-app"), command, args,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
