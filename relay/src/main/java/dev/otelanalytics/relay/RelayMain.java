package dev.otelanalytics.relay;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar otel-analytics-relay.jar}: starts an {@link OtlpRelay} from the
 * {@code OTEL_ANALYTICS_*} and {@code OTEL_EXPORTER_*} settings and runs until the process is
 * told to stop (SIGTERM, Ctrl-C). Then it stops accepting (503), delivers what it can within
 * {@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT}, logs its counts and exits 0 (1 when events could not
 * even be written to the outbox). A wrong setting is one line on stderr naming it, and exit code 2.
 */
public final class RelayMain {
  /** Exit code for a setting that cannot be used (or an endpoint that cannot be listened on). */
  public static final int EXIT_BAD_SETTINGS = 2;

  private RelayMain() {}

  /**
   * Runs the relay.
   *
   * @param args none; {@code --help} prints the settings
   */
  public static void main(String[] args) {
    if (args.length > 0) {
      boolean help = args[0].equals("--help") || args[0].equals("-h");
      PrintStream out = help ? System.out : System.err;
      if (!help) {
        out.println("otel-analytics-relay: unknown argument '" + args[0] + "'; it takes none, settings come from the"
            + " environment");
      }
      usage(out);
      System.exit(help ? 0 : EXIT_BAD_SETTINGS);
      return;
    }
    OtlpRelay relay;
    try {
      relay = OtlpRelay.builder().start();
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("otel-analytics-relay: " + e.getMessage());
      System.exit(EXIT_BAD_SETTINGS);
      return;
    }
    System.err.println("otel-analytics-relay: listening on " + hostPort(relay) + " (POST /v1/traces, /v1/metrics;"
        + " GET /v1/stats); " + relay.describeAnalytics());
    CountDownLatch exiting = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      CompletableResultCode result = relay.shutdown();
      // On stderr directly: java.util.logging's own shutdown hook may have closed its handlers by now.
      System.err.println(relay.summary());
      System.err.flush();
      System.out.flush();
      exiting.countDown();
      // A JVM stopped by a signal exits 143; a relay that stopped cleanly says so with 0.
      Runtime.getRuntime().halt(result.isSuccess() ? 0 : 1);
    }, "otel-analytics-relay-shutdown"));
    // The main thread only waits: the shutdown hook stops the relay and ends the JVM with its exit code.
    try {
      exiting.await();
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String hostPort(OtlpRelay relay) {
    String host = relay.address().getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + relay.address().getPort();
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar otel-analytics-relay.jar");
    out.println("An OTLP/HTTP receiver (traces and metrics; protobuf or JSON; gzip) that turns what services send into");
    out.println("privacy-preserving analytics events through the otel-analytics policy, outbox and destination.");
    out.println("Settings (environment variables, or -D system properties in lower case with dots):");
    out.println("  OTEL_ANALYTICS_RELAY_ENDPOINT       host:port to listen on (default 127.0.0.1:4319)");
    out.println("  OTEL_ANALYTICS_RELAY_TOKEN          bearer token clients must send (default: none)");
    out.println("  OTEL_ANALYTICS_RELAY_MAX_BODY_SIZE  largest request body, compressed and decompressed (default 4MiB)");
    out.println("  OTEL_SERVICE_NAME                   the relay's own name: its state directory, its usage reports");
    out.println("  OTEL_ANALYTICS_*, OTEL_EXPORTER_*   policy, destination, hash key, queue, outbox: as for the library");
    out.println("See docs/relay.md.");
  }
}
