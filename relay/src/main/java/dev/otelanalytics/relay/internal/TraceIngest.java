package dev.otelanalytics.relay.internal;

import dev.otelanalytics.AnalyticsSpanProcessor;
import dev.otelanalytics.internal.event.SpanSelector;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands the spans of one {@code ExportTraceServiceRequest} to the analytics span processor, all
 * at once: it selects them as it selects the SDK's own spans, and queues every selected span or
 * none ({@link AnalyticsSpanProcessor#offerAll}). So a full queue becomes a 429, the client sends
 * the request again, and no span is delivered twice. Spans that cannot be spans (bad ids, no end
 * time) are refused and reported in {@code partial_success}; spans not selected are not refused:
 * they are simply not analytics.
 */
public final class TraceIngest {
  private final AnalyticsSpanProcessor processor;
  private final SpanSelector selector;
  private final int queueCapacity;
  private final RelayCounters counters;
  private final KeptKeys kept;

  /**
   * @param selector the policy's selection, the processor's own: to tell a request that could never fit
   * @param queueCapacity the processor's whole queue: a request selecting more could never be taken
   * @param kept what of each span is kept while it waits in the queue
   */
  public TraceIngest(AnalyticsSpanProcessor processor, SpanSelector selector, int queueCapacity, RelayCounters counters,
      KeptKeys kept) {
    this.kept = kept;
    this.processor = processor;
    this.selector = selector;
    this.queueCapacity = queueCapacity;
    this.counters = counters;
  }

  public IngestResult ingest(ExportTraceServiceRequest request) {
    List<ProtoSpan> spans = new ArrayList<>();
    long received = 0;
    long rejected = 0;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Resource resource = ProtoAttributes.resource(resourceSpans.getResource(), kept.resource());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        InstrumentationScopeInfo scope = ProtoAttributes.scope(scopeSpans.getScope());
        for (Span span : scopeSpans.getSpansList()) {
          received++;
          ProtoSpan adapted = ProtoSpan.of(kept.slim(span), resource, scope);
          if (adapted == null) {
            rejected++;
          } else {
            spans.add(adapted);
          }
        }
      }
    }
    if (spans.size() > queueCapacity) {
      // More selected spans than the whole queue holds could never be taken: a 429 would be resent forever.
      int selected = countSelected(spans);
      if (selected > queueCapacity) {
        counters.spansRefused.add(received);
        return new IngestResult(Outcome.TOO_LARGE, received, 0, "the request carries " + selected
            + " spans that may become events, more than the relay's queue holds (" + queueCapacity
            + "): raise OTEL_ANALYTICS_QUEUE_SIZE or send smaller batches (the Collector's batch send_batch_max_size)");
      }
    }
    if (!processor.offerAll(spans)) {
      counters.spansRefused.add(received);
      return new IngestResult(Outcome.QUEUE_FULL, received, 0, "the relay's queue is full; send the request again later");
    }
    counters.spansReceived.add(received - rejected);
    counters.spansRejected.add(rejected);
    if (rejected > 0) {
      return new IngestResult(Outcome.PARTIALLY_ACCEPTED, received, rejected, rejected + " of " + received
          + " spans were refused: each needs a 16-byte trace id, an 8-byte span id (neither all zero), an 8-byte or"
          + " empty parent span id, and an end time");
    }
    return new IngestResult(Outcome.ACCEPTED, received, 0, "");
  }

  private int countSelected(List<ProtoSpan> spans) {
    int count = 0;
    for (ProtoSpan span : spans) {
      if (selector.isSelected(span)) {
        count++;
      }
    }
    return count;
  }
}
