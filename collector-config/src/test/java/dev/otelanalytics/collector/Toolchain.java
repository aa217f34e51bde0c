package dev.otelanalytics.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;

/**
 * The real parts the end-to-end tests run: the Collector built from {@code distribution/} by
 * {@code ./build} (through the Go module proxy; a no-op when up to date), the relay's runnable jar,
 * and a Python virtual environment with the OpenTelemetry Python SDK from PyPI. Each is made once
 * per test JVM.
 */
final class Toolchain {
  static final Path CONFIG_DIR = Paths.get(System.getProperty("collector.config.dir", ".")).toAbsolutePath().normalize();
  static final Path WORK_DIR = Paths.get(System.getProperty("e2e.work.dir", "target/e2e")).toAbsolutePath().normalize();
  static final Path GATEWAY_CONFIG = CONFIG_DIR.resolve("gateway.yaml");
  static final Path SCALE_OUT_CONFIG = CONFIG_DIR.resolve("scale-out.yaml");
  static final Path POLICY = CONFIG_DIR.resolve("policy.yaml");

  private static Path collector;
  private static Path python;

  private Toolchain() {}

  /** The Collector binary, built by {@code collector-config/build} the first time. */
  static synchronized Path collector() throws IOException, InterruptedException {
    if (collector == null) {
      try (ChildProcess build = ChildProcess.start("collector-build",
          Collections.singletonList(CONFIG_DIR.resolve("build").toString()), Collections.emptyMap(), WORK_DIR)) {
        int code = build.awaitExit(Duration.ofMinutes(20));
        if (code != 0) {
          throw new IllegalStateException("collector-config/build failed (exit " + code + "):\n" + build.logTail());
        }
      }
      Path binary = CONFIG_DIR.resolve("target/otelcol-analytics");
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException("collector-config/build succeeded but " + binary + " is not there");
      }
      collector = binary;
    }
    return collector;
  }

  /** The relay's runnable jar, built by the relay module before this one. */
  static Path relayJar() {
    Path jar = Paths.get(System.getProperty("relay.jar", "../relay/target/otel-analytics-relay.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the relay first (mvn -B verify from the top directory)");
    }
    return jar;
  }

  /** {@code java} of the JDK running the tests. */
  static Path java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java");
  }

  /** The Python of a virtual environment holding {@code src/test/python/requirements.txt}. */
  static synchronized Path python() throws IOException, InterruptedException {
    if (python == null) {
      Path venv = WORK_DIR.resolve("venv");
      Path requirements = CONFIG_DIR.resolve("src/test/python/requirements.txt");
      Path bin = venv.resolve("bin/python");
      Path stamp = venv.resolve("requirements.installed");
      String wanted = new String(Files.readAllBytes(requirements), java.nio.charset.StandardCharsets.UTF_8);
      if (!Files.isExecutable(bin) || !Files.isRegularFile(stamp)
          || !new String(Files.readAllBytes(stamp), java.nio.charset.StandardCharsets.UTF_8).equals(wanted)) {
        run("python-venv", Arrays.asList("python3", "-m", "venv", "--clear", venv.toString()), Duration.ofMinutes(2));
        run("pip-install", Arrays.asList(bin.toString(), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r",
            requirements.toString()), Duration.ofMinutes(10));
        Files.write(stamp, wanted.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      python = bin;
    }
    return python;
  }

  private static void run(String name, java.util.List<String> command, Duration timeout) throws IOException, InterruptedException {
    try (ChildProcess process = ChildProcess.start(name, command, Collections.emptyMap(), WORK_DIR)) {
      int code = process.awaitExit(timeout);
      if (code != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + code + "):\n" + process.logTail());
      }
    }
  }
}
