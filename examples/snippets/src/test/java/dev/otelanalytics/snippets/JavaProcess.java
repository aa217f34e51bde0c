package dev.otelanalytics.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Runs a snippet's {@code main} in a JVM of its own, as a reader runs the code they copied. */
final class JavaProcess {
  record Result(int exitCode, String stdout, String stderr) {
    String describe() {
      return "exit code " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private JavaProcess() {}

  /**
   * Runs {@code mainClass} on this module's test class path (which has no OTLP exporter) in
   * {@code workDir}, with none of this JVM's OTEL_* or DO_NOT_TRACK variables but {@code env}.
   */
  static Result run(Class<?> mainClass, Map<String, String> env, Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:auto");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("DO_NOT_TRACK"));
    builder.environment().putAll(env);
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(mainClass.getName() + " did not finish within 60 s: " + Files.readString(err));
    }
    Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  /** The events stored in {@code stateDir}'s local store, one JSON object a line. */
  static List<String> storedEvents(Path stateDir) throws IOException {
    Path events = stateDir.resolve("events");
    if (!Files.isDirectory(events)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(events)) {
      for (Path file : files.filter(f -> f.getFileName().toString().matches("events-.*\\.jsonl")).sorted()
          .collect(Collectors.toList())) {
        Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).forEach(out::add);
      }
    }
    return out;
  }

  /** Asserts that {@code dir} holds no file at all (directories may exist). */
  static void assertNoFiles(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      assertThat(walk.filter(Files::isRegularFile).collect(Collectors.toList())).as("files in %s", dir).isEmpty();
    }
  }
}
