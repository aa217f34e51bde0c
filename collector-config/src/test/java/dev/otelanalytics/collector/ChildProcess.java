package dev.otelanalytics.collector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the end-to-end tests start (a Collector, a relay, the Python service): its output goes
 * to a log file under the work directory, and closing it stops the process (SIGTERM, then SIGKILL).
 */
final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with only {@code env} added to a clean environment (PATH and HOME kept). */
  static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir) throws IOException {
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("OTEL_") || k.equals("DO_NOT_TRACK"));
    environment.putAll(env);
    return new ChildProcess(name, builder.start(), log);
  }

  /** Waits until something listens on {@code port} of the loopback address; fails with the log's end otherwise. */
  ChildProcess awaitPort(int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " before listening on " + port
            + "; its log ends with:\n" + logTail());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return this;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(name + " did not listen on " + port + " within " + timeout + "; its log ends with:\n"
        + logTail());
  }

  /** Waits for the process to end by itself and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not finish within " + timeout + "; its log ends with:\n" + logTail());
    }
    return process.exitValue();
  }

  /** Stops the process as a service manager would (SIGTERM), and returns its exit code. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(name + " did not stop within " + timeout + " of SIGTERM; its log ends with:\n"
          + logTail());
    }
    return process.exitValue();
  }

  /** The last lines of the process's output, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The whole output so far. */
  String output() throws IOException {
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
