package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.testing.LogCapture;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A "stop" answer (refused key, wrong endpoint) is warned about at WARNING by the time shutdown
 * returns, exactly once per process, naming the setting to fix and never the key; for PostHog and
 * GA4 alike. {@code StopWarningAtExitTest} covers the same when the JVM is already exiting.
 */
class StopWarningTest {
  private static final String API_KEY = "phc_stopWarningTestKey42";

  @TempDir Path stateDir;
  @TempDir Path otherStateDir;
  private MockWebServer server;
  private LogCapture logs;
  private final List<OtelAnalytics> started = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    logs = new LogCapture();
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    try {
      started.forEach(a -> a.shutdown().join(10, TimeUnit.SECONDS));
      for (String message : logs.messages(Level.ALL)) {
        assertThat(String.valueOf(message)).doesNotContain(API_KEY);
      }
    } finally {
      logs.close();
      server.close();
    }
  }

  private OtelAnalytics analytics(Path dir, Destination destination) {
    OtelAnalytics analytics = OtelAnalytics.builder()
        .setServiceName("svc")
        .setStateDirectory(dir)
        .setDestination(destination)
        .setFlushInterval(Duration.ofDays(1))
        .setShutdownTimeout(Duration.ofSeconds(10))
        .build();
    started.add(analytics);
    return analytics;
  }

  private PostHogDestination postHog() {
    return PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey(API_KEY).build();
  }

  private static void endSpan(OtelAnalytics analytics, String name) {
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    provider.get("test").spanBuilder(name).startSpan().end();
  }

  private List<LogRecord> stopWarnings() {
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r : logs.records()) {
      if (r.getLevel() == Level.WARNING && r.getMessage().contains("stopped sending")) {
        out.add(r);
      }
    }
    return out;
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("{}").build();
  }

  @Test
  void aRefusedKeyRightBeforeShutdownIsWarnedByTheTimeShutdownReturns() {
    server.enqueue(status(401));
    OtelAnalytics analytics = analytics(stateDir, postHog());

    endSpan(analytics, "command");
    assertThat(analytics.shutdown().join(15, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(stopWarnings()).singleElement().satisfies(r -> {
      assertThat(r.getMessage()).contains("HTTP 401", "OTEL_EXPORTER_POSTHOG_API_KEY").doesNotContain(API_KEY);
      assertThat(r.getSourceClassName()).isEqualTo(OutboxSender.class.getName());
    });
  }

  @Test
  void theStopIsWarnedEvenWhenEarlierWarningsUsedUpTheLogBudget() {
    for (int i = 0; i < 5; i++) {
      server.enqueue(status(400));
    }
    server.enqueue(status(401));
    OtelAnalytics analytics = analytics(stateDir, postHog());

    for (int i = 0; i < 6; i++) {
      endSpan(analytics, "command" + i);
      analytics.forceFlush().join(10, TimeUnit.SECONDS);
    }
    analytics.shutdown().join(15, TimeUnit.SECONDS);

    assertThat(logs.messages(Level.WARNING)).filteredOn(m -> m.contains("rejected")).hasSize(5);
    assertThat(stopWarnings()).singleElement().satisfies(r -> assertThat(r.getMessage()).contains("OTEL_EXPORTER_POSTHOG_API_KEY"));
  }

  @Test
  void twoInstancesRefusedTheSameWayWarnOncePerProcess() {
    server.enqueue(status(404));
    server.enqueue(status(404));
    OtelAnalytics first = analytics(stateDir, postHog());
    OtelAnalytics second = analytics(otherStateDir, postHog());

    endSpan(first, "a");
    endSpan(second, "b");
    first.shutdown().join(15, TimeUnit.SECONDS);
    second.shutdown().join(15, TimeUnit.SECONDS);

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(first.stats().stoppedReason()).contains("OTEL_EXPORTER_POSTHOG_ENDPOINT");
    assertThat(second.stats().stoppedReason()).contains("OTEL_EXPORTER_POSTHOG_ENDPOINT");
    assertThat(stopWarnings()).singleElement().satisfies(r -> assertThat(r.getMessage()).contains("HTTP 404"));
  }

  @Test
  void aGa4EndpointThatIsNotTheMeasurementProtocolStopsAndIsWarnedOnceKeepingTheEvents() {
    server.enqueue(status(404));
    String secret = "ga4StopWarningSecret";
    OtelAnalytics analytics = analytics(stateDir, Ga4Destination.builder().setEndpoint(server.url("/").toString())
        .setMeasurementId("G-TEST123").setApiSecret(secret).build());

    endSpan(analytics, "command");
    analytics.shutdown().join(15, TimeUnit.SECONDS);

    assertThat(analytics.stats().droppedRejected()).as("kept for when the endpoint is fixed").isZero();
    assertThat(analytics.stats().outboxSize()).isPositive();
    assertThat(stopWarnings()).singleElement().satisfies(r ->
        assertThat(r.getMessage()).contains("HTTP 404", "OTEL_EXPORTER_GA4_ENDPOINT").doesNotContain(secret));
  }

  // ---------------------------------------------------------------- java.util.logging already reset

  @Test
  void withNoHandlerLeftTheWarningGoesToStandardError() {
    Logger reset = Logger.getLogger("dev.otelanalytics.test.StopWarningTest.reset");
    reset.setUseParentHandlers(false); // as LogManager.reset() leaves every logger while the JVM exits
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    StopWarning.give(reset, new PrintStream(err, true, StandardCharsets.UTF_8), "reset-case", "otel-analytics: stopped sending");
    StopWarning.give(reset, new PrintStream(err, true, StandardCharsets.UTF_8), "reset-case", "otel-analytics: stopped sending");

    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("WARNING: otel-analytics: stopped sending" + System.lineSeparator());
  }

  @Test
  void withAHandlerTheWarningIsLoggedAndNotPrinted() {
    Logger configured = Logger.getLogger("dev.otelanalytics.test.StopWarningTest.configured");
    configured.setUseParentHandlers(false);
    List<LogRecord> published = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        published.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    configured.addHandler(handler);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      StopWarning.give(configured, new PrintStream(err, true, StandardCharsets.UTF_8), "configured-case", "otel-analytics: x");
    } finally {
      configured.removeHandler(handler);
    }

    assertThat(err.size()).isZero();
    assertThat(published).singleElement().satisfies(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.WARNING);
      assertThat(r.getSourceClassName()).isEqualTo(OutboxSender.class.getName());
    });
  }
}
