package dev.otelanalytics.benchmarks;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import dev.otelanalytics.internal.event.SpanEventMapper;
import dev.otelanalytics.internal.guard.ValueGuards;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the worker thread spends on one span: mapping, scrubbing (allowlist, guards, HMAC) and
 * JSON encoding. Runs off the app thread, but bounds how many events a second one worker keeps up with.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventPipelineBenchmark {
  private SpanEventMapper mapper;
  private SpanData span;

  @Setup
  public void setUp() {
    PrivacyPolicy policy = PrivacyPolicy.defaultPolicy().toBuilder()
        .allowAttribute("cli.command", "benchmark")
        .allowAttribute("http.route", "benchmark")
        .allowAttribute("cli.target", "benchmark")
        .hashAttribute("enduser.id", "benchmark")
        .build();
    AttributeScrubber scrubber = new AttributeScrubber(policy, new KeyedHasher("benchmark-key-0123456789".getBytes(StandardCharsets.UTF_8)));
    mapper = new SpanEventMapper(scrubber, "5f0c3a57-6f5e-4a4e-9a55-3b0c1e3f0a11", "");

    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "cli-app",
            AttributeKey.stringKey("service.version"), "1.4.2")))
        .addSpanProcessor(SimpleSpanProcessor.create(new SpanEndBenchmark.DiscardingExporter()))
        .build();
    Span s = provider.get("benchmark").spanBuilder("inspect")
        .setAttribute("cli.command", "inspect")
        .setAttribute("http.route", "/api/items/{id}")
        .setAttribute("cli.target", "/home/alice/projects/secret")
        .setAttribute("enduser.id", "user-4711")
        .setAttribute("cli.args", "--owner alice@example.com")
        .setAttribute("thread.name", "main")
        .setAttribute("code.function", "inspect")
        .setAttribute("process.pid", 4242L)
        .startSpan();
    s.recordException(new IllegalStateException("failed for alice@example.com"));
    s.setStatus(StatusCode.ERROR);
    s.end();
    span = ((ReadableSpan) s).toSpanData();
    provider.shutdown();
  }

  /** Span → scrubbed event → JSON line: the worker's whole per-span cost for the file destination. */
  @Benchmark
  public void mapScrubAndEncode(Blackhole bh) {
    List<AnalyticsEvent> events = new ArrayList<>(1);
    mapper.map(span, events::add);
    bh.consume(EventJson.toJsonLines(events));
  }

  /** The value guards on an ordinary value that passes every one of them. */
  @Benchmark
  public Object guardsOnATypicalValue() {
    return ValueGuards.check("GET /api/v1/items/{id}");
  }

  /** The value guards on a value that is caught (a path in a home directory). */
  @Benchmark
  public Object guardsOnACanary() {
    return ValueGuards.check("/home/alice/projects/secret");
  }
}
