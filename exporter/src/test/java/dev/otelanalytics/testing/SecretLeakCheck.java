package dev.otelanalytics.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

/**
 * Watches the destinations and answers of a test, and the log, and fails on {@link #close()} if
 * a secret (an API key, an API secret) appeared in any {@code toString()}, reason or log line.
 */
public final class SecretLeakCheck implements AutoCloseable {
  private final String fragment;
  private final LogCapture logs = new LogCapture();
  private final List<Destination> destinations = new ArrayList<>();
  private final List<DeliveryResult> results = new ArrayList<>();

  public SecretLeakCheck(String fragment) {
    this.fragment = fragment;
  }

  /** Watches {@code destination} (closed at the end). */
  public <D extends Destination> D watch(D destination) {
    destinations.add(destination);
    return destination;
  }

  /** Watches {@code result}. */
  public DeliveryResult watch(DeliveryResult result) {
    results.add(result);
    return result;
  }

  /** The captured log. */
  public LogCapture logs() {
    return logs;
  }

  @Override
  public void close() throws Exception {
    try {
      for (Destination d : destinations) {
        d.close();
        assertThat(d.toString()).doesNotContain(fragment);
      }
      for (DeliveryResult r : results) {
        assertThat(r.reason()).as("reason of %s", r.kind()).doesNotContain(fragment);
        assertThat(r.toString()).doesNotContain(fragment);
      }
      for (String message : logs.messages(Level.ALL)) {
        assertThat(String.valueOf(message)).as("log message").doesNotContain(fragment);
      }
    } finally {
      logs.close();
    }
  }
}
