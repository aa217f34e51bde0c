package dev.otelanalytics.destination;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

/** Prints each scrubbed event as indented JSON on standard error; nothing leaves the process. */
public final class ConsoleDestination implements Destination {
  private final PrintStream out;

  private ConsoleDestination(PrintStream out) {
    this.out = out;
  }

  /**
   * Prints to {@code System.err}.
   *
   * @return a destination that prints to standard error
   */
  public static ConsoleDestination create() {
    return new ConsoleDestination(System.err);
  }

  /**
   * Prints to {@code out}.
   *
   * @param out the stream to print to
   * @return a destination that prints to {@code out}
   */
  public static ConsoleDestination create(PrintStream out) {
    return new ConsoleDestination(Objects.requireNonNull(out, "out"));
  }

  @Override
  public String name() {
    return "console";
  }

  @Override
  public DeliveryResult send(List<AnalyticsEvent> events) {
    for (AnalyticsEvent event : events) {
      out.println("[otel-analytics] event: " + EventJson.toPrettyJson(event));
    }
    out.flush();
    return DeliveryResult.delivered();
  }

  @Override
  public boolean printsEvents() {
    return true;
  }
}
