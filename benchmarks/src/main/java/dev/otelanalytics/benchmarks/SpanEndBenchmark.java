package dev.otelanalytics.benchmarks;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What analytics costs the app thread when a span ends, next to OpenTelemetry's own
 * {@link BatchSpanProcessor} (with an exporter that does nothing) in the same run.
 *
 * <p>Both processors have a background worker draining their queue of 2048, as in production;
 * under this saturating load part of the calls take the full-queue path (drop and count).
 *
 * <p>Two floors for the spans analytics does not select (child spans, most spans of an app): a
 * processor that does nothing, called directly on the same child span
 * ({@link #noOpProcessorOnEnd}), and, as the app sees it, a whole child span started and ended
 * through an {@link SdkTracerProvider} holding only analytics ({@link #childSpanWithAnalytics}) or
 * only the no-op processor ({@link #childSpanWithNoOpProcessor}). Run with {@code -prof gc}: the
 * skipped and no-op calls allocate nothing (0 B/op); the two child-span runs allocate the span
 * itself, the same in both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanEndBenchmark {
  private SpanProcessor analytics;
  private SpanProcessor batch;
  private ReadableSpan rootSpan;
  private ReadableSpan childSpan;
  private Path stateDir;
  private SdkTracerProvider spanSource;
  private SpanProcessor noOp;
  private SdkTracerProvider withAnalytics;
  private SdkTracerProvider withNoOp;
  private Tracer analyticsTracer;
  private Tracer noOpTracer;
  private Context parent;

  @Setup
  public void setUp() throws IOException {
    stateDir = Files.createTempDirectory("otel-analytics-bench");
    PrivacyPolicy policy = PrivacyPolicy.defaultPolicy().toBuilder()
        .allowAttribute("cli.command", "benchmark").hashAttribute("enduser.id", "benchmark").build();
    analytics = OtelAnalytics.builder().setServiceName("test-app")
        .setStateDirectory(stateDir)
        .setPolicy(policy)
        .setDestination(new DiscardingDestination())
        .build()
        .spanProcessor();
    batch = BatchSpanProcessor.builder(new DiscardingExporter()).build();

    // A processor makes the SDK record spans; it is not part of what is measured.
    spanSource = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(new DiscardingExporter()))
        .build();
    Tracer tracer = spanSource.get("benchmark");
    Span root = tracer.spanBuilder("inspect")
        .setAttribute("cli.command", "inspect")
        .setAttribute("cli.args", "/home/alice/projects --owner alice@example.com")
        .setAttribute("enduser.id", "user-4711")
        .startSpan();
    Span child = tracer.spanBuilder("read-config").setParent(Context.root().with(root)).startSpan();
    child.end();
    root.end();
    rootSpan = (ReadableSpan) root;
    childSpan = (ReadableSpan) child;

    noOp = new NoOpProcessor();
    // The app-visible pair: one provider each, the processor under test its only one (so the SDK
    // calls it directly, without a multi-processor in between). The analytics processor is the one
    // measured above; the provider's shutdown in tearDown shuts it down (a second shutdown is a no-op).
    withAnalytics = SdkTracerProvider.builder().addSpanProcessor(analytics).build();
    withNoOp = SdkTracerProvider.builder().addSpanProcessor(noOp).build();
    analyticsTracer = withAnalytics.get("benchmark");
    noOpTracer = withNoOp.get("benchmark");
    // The same parent for both: a local root span that has not ended (an HTTP request, a command).
    parent = Context.root().with(tracer.spanBuilder("handle-request").startSpan());
  }

  @TearDown
  public void tearDown() throws IOException {
    analytics.shutdown().join(10, TimeUnit.SECONDS);
    batch.shutdown().join(10, TimeUnit.SECONDS);
    withAnalytics.shutdown().join(10, TimeUnit.SECONDS);
    withNoOp.shutdown().join(10, TimeUnit.SECONDS);
    spanSource.shutdown();
    try (var files = Files.walk(stateDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A local root span (a command, a request): selected and queued for the worker. */
  @Benchmark
  public void analyticsOnEndSelectedSpan() {
    analytics.onEnd(rootSpan);
  }

  /** A child span: rejected by the selection check, nothing queued. */
  @Benchmark
  public void analyticsOnEndSkippedSpan() {
    analytics.onEnd(childSpan);
  }

  /** The baseline every traced app already pays: OpenTelemetry's BatchSpanProcessor.onEnd. */
  @Benchmark
  public void batchSpanProcessorOnEnd() {
    batch.onEnd(rootSpan);
  }

  /**
   * The floor for {@link #analyticsOnEndSkippedSpan}: a processor whose {@code onEnd} does
   * nothing (and asks to be called), on the same child span. The difference between the two is
   * what the selection check costs. Nothing else runs here, so the JIT may inline the empty call
   * away: this is the cost of the call site itself, under a nanosecond.
   */
  @Benchmark
  public void noOpProcessorOnEnd() {
    noOp.onEnd(childSpan);
  }

  /**
   * What the app thread pays for one child span (start, two attributes, end) when analytics is
   * the tracer provider's processor: the SDK's own span work plus the refused selection check.
   * Compare with {@link #childSpanWithNoOpProcessor}, the same span with a processor that does
   * nothing: the difference is analytics' share as the app sees it.
   */
  @Benchmark
  public Span childSpanWithAnalytics() {
    return childSpan(analyticsTracer);
  }

  /** The same child span as {@link #childSpanWithAnalytics}, through a provider whose only processor does nothing. */
  @Benchmark
  public Span childSpanWithNoOpProcessor() {
    return childSpan(noOpTracer);
  }

  private Span childSpan(Tracer tracer) {
    Span span = tracer.spanBuilder("read-config")
        .setParent(parent)
        .setAttribute("config.source", "file")
        .setAttribute("config.entries", 12L)
        .startSpan();
    span.end();
    return span;
  }

  /** A processor that asks for every ended span and does nothing with it. */
  static final class NoOpProcessor implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, io.opentelemetry.sdk.trace.ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  static final class DiscardingDestination implements Destination {
    @Override
    public String name() {
      return "discard";
    }

    @Override
    public DeliveryResult send(List<AnalyticsEvent> events) {
      return DeliveryResult.delivered();
    }
  }

  static final class DiscardingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
