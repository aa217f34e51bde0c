package dev.otelanalytics.snippets.handbuilt;

// snippet:hand-built-sdk
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.OtelAnalyticsBuilder;
import dev.otelanalytics.cli.AnalyticsCli;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import java.nio.file.Paths;
import java.util.Arrays;

public final class MyCli {
  public static void main(String[] args) {
    OtelAnalyticsBuilder analytics = OtelAnalytics.builder()
        .setServiceName("my-cli");   // names the events, the state directory and the telemetry command's choices
    boolean policyLoaded = true;
    try {
      analytics.setPolicy(PolicyLoader.load(Paths.get("analytics-policy.yaml")));
    } catch (PolicyException e) {
      // Analytics never stops the app: run without it, and say why (the file, the line and the key).
      System.err.println("my-cli: analytics is off: " + e.getMessage());
      policyLoaded = false;
    }
    if (args.length > 0 && args[0].equals("telemetry")) {   // the person's own view and choices; never recorded
      String[] verb = Arrays.copyOfRange(args, 1, args.length);
      System.exit(AnalyticsCli.run(analytics.buildControl(), "my-cli telemetry", verb, System.out, System.err));
    }
    SdkTracerProviderBuilder tracing = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().toBuilder()
            .put("service.version", "1.2.3")   // events carry a version only when the app sets one
            .build());
    if (policyLoaded) {
      tracing.addSpanProcessor(analytics.build().spanProcessor());
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
