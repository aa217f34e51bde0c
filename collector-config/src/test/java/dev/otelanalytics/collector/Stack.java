package dev.otelanalytics.collector;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts the parts of the gateway layout: relays (the runnable jar) and Collectors (the built binary). */
final class Stack {
  /** The key both paths hash identifiers with: the Java SDK path, the gateway Collectors and the relays. */
  static final String HASH_KEY = "e2e-gateway-shared-key-0123456789";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private Stack() {}

  /** A relay listening on {@code port}, delivering to {@code posthog}, with its own state directory. */
  static ChildProcess relay(String name, int port, RecordingPostHog posthog, Path stateDir) throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_SERVICE_NAME", name);
    env.put("OTEL_ANALYTICS_ENABLED", "true");
    env.put("OTEL_ANALYTICS_RELAY_ENDPOINT", "127.0.0.1:" + port);
    env.put("OTEL_ANALYTICS_DESTINATION", "posthog");
    env.put("OTEL_EXPORTER_POSTHOG_ENDPOINT", posthog.endpoint());
    env.put("OTEL_EXPORTER_POSTHOG_API_KEY", "phc_e2e_test_key");
    env.put("OTEL_ANALYTICS_POLICY_FILE", Toolchain.POLICY.toString());
    env.put("OTEL_ANALYTICS_HASH_KEY", HASH_KEY);
    env.put("OTEL_ANALYTICS_STATE_DIR", stateDir.toString());
    env.put("OTEL_ANALYTICS_FLUSH_INTERVAL", "200ms");
    env.put("OTEL_ANALYTICS_SHUTDOWN_TIMEOUT", "10s");
    // A usage report as soon as a second has passed: at the relay's shutdown at the latest.
    env.put("OTEL_ANALYTICS_METRICS_REPORT_INTERVAL", "1s");
    return ChildProcess.start(name, Arrays.asList(Toolchain.java().toString(), "-jar", Toolchain.relayJar().toString()), env,
        Toolchain.WORK_DIR).awaitPort(port, START_TIMEOUT);
  }

  /** A gateway Collector running {@code gateway.yaml}, listening on {@code port}, sending to the relay on {@code relayPort}. */
  static ChildProcess gateway(String name, int port, int relayPort) throws IOException, InterruptedException {
    return gateway(name, port, FreePorts.next(), relayPort);
  }

  /** As {@link #gateway(String, int, int)}, with its OTLP/gRPC receiver (what a front Collector sends to) on {@code grpcPort}. */
  static ChildProcess gateway(String name, int port, int grpcPort, int relayPort) throws IOException, InterruptedException {
    return gateway(name, port, grpcPort, relayPort, List.of());
  }

  /**
   * As {@link #gateway(String, int, int, int)}, with {@code overrides} merged over {@code gateway.yaml}
   * in order (the Collector merges maps and replaces lists): to put a {@code file} exporter in place
   * of the relay, say.
   */
  static ChildProcess gateway(String name, int port, int grpcPort, int relayPort, List<Path> overrides)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_ANALYTICS_GATEWAY_ENDPOINT", "127.0.0.1:" + port);
    env.put("OTEL_ANALYTICS_GATEWAY_GRPC_ENDPOINT", "127.0.0.1:" + grpcPort);
    env.put("OTEL_ANALYTICS_RELAY_URL", "http://127.0.0.1:" + relayPort);
    env.put("OTEL_ANALYTICS_HASH_KEY", HASH_KEY);
    List<String> command = new ArrayList<>(Arrays.asList(Toolchain.collector().toString(), "--config",
        Toolchain.GATEWAY_CONFIG.toString()));
    for (Path override : overrides) {
      command.add("--config");
      command.add(override.toString());
    }
    return ChildProcess.start(name, command, env, Toolchain.WORK_DIR).awaitPort(port, START_TIMEOUT);
  }
}
