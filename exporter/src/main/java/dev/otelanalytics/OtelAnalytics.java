package dev.otelanalytics;

import dev.otelanalytics.delivery.DeliveryStats;
import dev.otelanalytics.delivery.DeliveryWorker;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.Closeable;
import java.nio.file.Path;

/**
 * Privacy-preserving product analytics for an OpenTelemetry SDK you build by hand:
 *
 * <pre>{@code
 * OtelAnalytics analytics = OtelAnalytics.builder()
 *     .setServiceName("my-cli")
 *     .setPolicy(PolicyLoader.load(Paths.get("analytics-policy.yaml")))
 *     .build();
 * SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
 *     .addSpanProcessor(analytics.spanProcessor())
 *     .build();
 * }</pre>
 *
 * <p>With the SDK autoconfigure or the Java agent nothing of this is needed: set
 * {@code OTEL_ANALYTICS_ENABLED=true} and the extension adds the processor itself.
 */
public final class OtelAnalytics implements Closeable {
  private final AnalyticsSpanProcessor spanProcessor;
  private final DeliveryWorker worker;
  private final Path stateDirectory;
  private final String destinationName;

  OtelAnalytics(AnalyticsSpanProcessor spanProcessor, DeliveryWorker worker, Path stateDirectory, String destinationName) {
    this.spanProcessor = spanProcessor;
    this.worker = worker;
    this.stateDirectory = stateDirectory;
    this.destinationName = destinationName;
  }

  public static OtelAnalyticsBuilder builder() {
    return new OtelAnalyticsBuilder();
  }

  /** The processor to add to your {@code SdkTracerProvider}. */
  public AnalyticsSpanProcessor spanProcessor() {
    return spanProcessor;
  }

  /** What happened to spans and events since start. */
  public DeliveryStats stats() {
    return worker.stats();
  }

  /** The directory holding the install id, hash key and local store. */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** The destination's name, e.g. {@code file}. */
  public String destinationName() {
    return destinationName;
  }

  /** Maps and delivers everything queued so far. */
  public CompletableResultCode forceFlush() {
    return worker.forceFlush();
  }

  /** Same as {@link AnalyticsSpanProcessor#shutdown()}; the tracer provider's shutdown calls it too. */
  public CompletableResultCode shutdown() {
    return spanProcessor.shutdown();
  }

  @Override
  public void close() {
    shutdown();
  }
}
