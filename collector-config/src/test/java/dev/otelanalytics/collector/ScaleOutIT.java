package dev.otelanalytics.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, scale-out on the Collector's own engine: a front Collector running {@code scale-out.yaml}
 * (the {@code loadbalancing} exporter, routing by trace id, static resolver) in front of two gateway
 * Collectors running {@code gateway.yaml}, each with its own relay and state directory. Every event
 * arrives exactly once, and both gateways carry a share.
 */
class ScaleOutIT {
  private static final int REQUESTS = 40;

  @TempDir Path tmp;

  @Test
  void aFrontCollectorSpreadsTracesOverTwoGatewaysAndEveryEventArrivesExactlyOnce() throws Exception {
    Toolchain.collector();
    try (RecordingPostHog posthog = new RecordingPostHog()) {
      int front = FreePorts.next();
      int[] gateways = {FreePorts.next(), FreePorts.next()};
      int[] gatewaysGrpc = {FreePorts.next(), FreePorts.next()};
      int[] relays = {FreePorts.next(), FreePorts.next()};
      List<ChildProcess> started = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          started.add(Stack.relay("relay-" + (i + 1), relays[i], posthog, tmp.resolve("relay-" + (i + 1))));
          started.add(Stack.gateway("gateway-" + (i + 1), gateways[i], gatewaysGrpc[i], relays[i]));
        }
        Map<String, String> env = new HashMap<>();
        env.put("OTEL_ANALYTICS_FRONT_ENDPOINT", "127.0.0.1:" + front);
        env.put("OTEL_ANALYTICS_GATEWAY_1", "127.0.0.1:" + gatewaysGrpc[0]);
        env.put("OTEL_ANALYTICS_GATEWAY_2", "127.0.0.1:" + gatewaysGrpc[1]);
        ChildProcess frontCollector = ChildProcess.start("front", Arrays.asList(Toolchain.collector().toString(), "--config",
            Toolchain.SCALE_OUT_CONFIG.toString()), env, Toolchain.WORK_DIR).awaitPort(front, Duration.ofSeconds(60));
        started.add(0, frontCollector);

        List<String> routes = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          routes.add("/shop/" + word(i));
        }
        JavaShop.run("http://127.0.0.1:" + front, "java-shop", REQUESTS, routes::get);

        boolean arrived = posthog.await(e -> !GatewayEndToEndIT.isUsageReport(e), REQUESTS, Duration.ofSeconds(90));
        assertThat(arrived).as("%d events; got %d\nfront log:\n%s", REQUESTS, posthog.events().size(), frontCollector.logTail())
            .isTrue();
        for (ChildProcess process : started) {
          assertThat(process.stop(Duration.ofSeconds(30))).as("%s's exit code:\n%s", process, process.logTail()).isZero();
        }
      } finally {
        for (ChildProcess process : started) {
          process.close();
        }
      }

      List<Object> delivered = new ArrayList<>();
      Set<Object> senders = new HashSet<>();
      for (Map<String, Object> event : posthog.events(e -> !GatewayEndToEndIT.isUsageReport(e))) {
        delivered.add(RecordingPostHog.properties(event).get("http.route"));
        senders.add(event.get("distinct_id"));
      }
      List<Object> expected = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        expected.add("/shop/" + word(i));
      }
      assertThat(delivered).as("every request's event, exactly once").containsExactlyInAnyOrderElementsOf(expected);
      assertThat(senders).as("both relays (one install id each) delivered a share").hasSize(2);
      System.out.println("[e2e] scale-out: " + delivered.size() + " events through 1 front, 2 gateways, 2 relays");
      for (String body : posthog.bodies()) {
        for (String canary : JavaShop.CANARIES) {
          assertThat(body).doesNotContain(canary);
        }
      }
    }
  }

  /** A plain lower-case word for {@code i}, so each request's route is its own and passes as a plain word. */
  private static String word(int i) {
    StringBuilder out = new StringBuilder("item");
    int n = i;
    do {
      out.append((char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return out.toString();
  }
}
