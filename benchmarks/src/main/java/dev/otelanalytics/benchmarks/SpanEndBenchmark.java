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
  }

  @TearDown
  public void tearDown() throws IOException {
    analytics.shutdown().join(10, TimeUnit.SECONDS);
    batch.shutdown().join(10, TimeUnit.SECONDS);
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
