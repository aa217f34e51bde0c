package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.function.Consumer;

/** Turns one finished span into the scrubbed events it stands for (none, one, or more). */
@FunctionalInterface
public interface EventMapper {
  /** Hands each event made from {@code span} to {@code out}; may throw anything an app object inside the span throws. */
  void map(SpanData span, Consumer<AnalyticsEvent> out);
}
