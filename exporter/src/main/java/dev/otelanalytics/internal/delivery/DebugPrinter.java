package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

/** {@code OTEL_ANALYTICS_DEBUG}: prints every scrubbed event of a batch, exactly as it will be sent. */
public final class DebugPrinter implements Consumer<List<AnalyticsEvent>> {
  private final PrintStream out;

  public DebugPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void accept(List<AnalyticsEvent> events) {
    for (AnalyticsEvent event : events) {
      out.println("[otel-analytics] debug: " + EventJson.toPrettyJson(event));
    }
    out.flush();
  }
}
