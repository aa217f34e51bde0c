package dev.otelanalytics.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The example CLI as its own JVM, as users run it, with only the analytics settings a test gives it. */
final class CliProcess {
  private CliProcess() {}

  /**
   * A process builder for {@code cli-app args...} on this test's class path. The developer's own
   * {@code OTEL_*} and {@code DO_NOT_TRACK} variables are removed; {@code env} is added. Output is
   * left for the caller to redirect.
   */
  static ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CliApp.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("DO_NOT_TRACK"));
    builder.environment().putAll(env);
    return builder;
  }
}
