package dev.otelanalytics.snippets.handbuilt;

// snippet:hand-built-sdk
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import java.nio.file.Paths;

public final class MyCli {
  public static void main(String[] args) {
    SdkTracerProviderBuilder tracing = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().toBuilder()
            .put("service.name", "my-cli")
            .put("service.version", "1.2.3")   // events carry a version only when the app sets one
            .build());
    try {
      OtelAnalytics analytics = OtelAnalytics.builder()
          .setServiceName("my-cli")
          .setPolicy(PolicyLoader.load(Paths.get("analytics-policy.yaml")))
          .build();
      tracing.addSpanProcessor(analytics.spanProcessor());
    } catch (PolicyException e) {
      // Analytics never stops the app: run without it, and say why (the file, the line and the key).
      System.err.println("my-cli: analytics is off: " + e.getMessage());
    }
    // Closing the SDK stores the queued events, waiting at most OTEL_ANALYTICS_SHUTDOWN_TIMEOUT (1 s).
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracing.build()).build()) {
      Span span = sdk.getTracer("my-cli").spanBuilder("inspect").startSpan();   // one command, one event
      try {
        // ... the command's work ...
      } finally {
        span.end();
      }
    }
  }
}
// end-snippet
