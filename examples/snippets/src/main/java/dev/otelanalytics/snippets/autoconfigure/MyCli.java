package dev.otelanalytics.snippets.autoconfigure;

// snippet:autoconfigure-app
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

public final class MyCli {
  public static void main(String[] args) {
    // Reads the OTEL_* variables; otel-analytics, being on the class path, joins in by itself.
    // The SDK's shutdown hook stores the queued events when the JVM exits.
    OpenTelemetry otel = AutoConfiguredOpenTelemetrySdk.initialize().getOpenTelemetrySdk();
    Span span = otel.getTracer("my-cli").spanBuilder("inspect").startSpan();   // one command, one event
    try {
      otel.getMeter("my-cli").counterBuilder("cli.items.inspected").build().add(3);   // for usage reports
      // ... the command's work ...
    } finally {
      span.end();
    }
  }
}
// end-snippet
