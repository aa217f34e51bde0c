package dev.otelanalytics.benchmarks;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap held per ended span while it waits in a queue, as the analytics worker's queue holds it:
 * the SDK's own span object with its attributes ({@link RealisticAttributes}), kept by reference.
 * This is what a queue size costs when it is full, and what the default queue size is chosen from.
 * Not JMH: it measures retained heap (used heap after full collections, before and after).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.otelanalytics.benchmarks.QueuedSpanMemory [spans 100000]
 * </pre>
 */
public final class QueuedSpanMemory {
  private QueuedSpanMemory() {}

  public static void main(String[] args) throws InterruptedException {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    for (int attributes : new int[] {1, 10, 50}) {
      System.out.printf(Locale.ROOT, "%d attributes: %,.0f bytes held per queued span (%,d spans)%n", attributes,
          bytesPerSpan(spans, attributes), spans);
    }
  }

  private static double bytesPerSpan(int spans, int attributes) throws InterruptedException {
    List<ReadableSpan> held = new ArrayList<>(spans);
    SpanProcessor keep = new SpanProcessor() {
      @Override
      public void onStart(Context parent, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        held.add(span);
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(keep).build();
    Tracer tracer = provider.get("queued-span-memory");
    List<RealisticAttributes.Spec> specs = RealisticAttributes.first(attributes);
    for (int i = 0; i < 1_000; i++) {
      RealisticAttributes.setOn(tracer.spanBuilder(RealisticAttributes.command(i)).setNoParent(), specs, i).startSpan().end();
    }
    held.clear();
    long before = usedAfterGc();
    for (int i = 0; i < spans; i++) {
      RealisticAttributes.setOn(tracer.spanBuilder(RealisticAttributes.command(i)).setNoParent(), specs, i).startSpan().end();
    }
    long after = usedAfterGc();
    double perSpan = (after - before) / (double) held.size();
    provider.close();
    return perSpan;
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
