package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.testing.PhasedDispatcher;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutdown uses its budget ({@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT}) and no more: a retry due
 * within it is made, one due after it is not waited for, and no part of shutdown waits for a
 * stalled request beyond it (issue 14, fault 2).
 */
class ShutdownBudgetTest {
  private static final String API_KEY = "phc_shutdownBudgetTestKey42";

  @TempDir Path stateDir;
  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OtelAnalytics cliRun(Duration shutdownTimeout) {
    return OtelAnalytics.builder().setServiceName("cli").setStateDirectory(stateDir)
        .setDestination(PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey(API_KEY)
            .setTimeout(Duration.ofSeconds(10)).build())
        .setShutdownTimeout(shutdownTimeout)   // the default backoff: 1 s, doubling
        .build();
  }

  @Test
  void aCliRunWhoseFirstTwoRequestsAre503DeliversEverythingWithinAFiveSecondBudget() {
    AtomicInteger requests = new AtomicInteger();
    PhasedDispatcher dispatcher =
        new PhasedDispatcher(() -> PhasedDispatcher.status(requests.incrementAndGet() <= 2 ? 503 : 200));
    server.setDispatcher(dispatcher);
    OtelAnalytics analytics = cliRun(Duration.ofSeconds(5));
    Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build().get("cli");
    for (int i = 0; i < 10; i++) {
      tracer.spanBuilder("command-" + i).startSpan().end();
    }

    long start = System.nanoTime();
    analytics.shutdown().join(20, TimeUnit.SECONDS);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // Full jitter: the retries come at most 1 s and 2 s after the failures, inside the budget.
    assertThat(dispatcher.accounting().delivered()).hasSize(10);
    assertThat(dispatcher.accounting().duplicated()).isEmpty();
    assertThat(analytics.stats().eventsDelivered()).isEqualTo(10);
    assertThat(tookMillis).as("ms shutdown took").isLessThan(5_000 + 1_000);
  }

  @Test
  void aRetryDueAfterTheBudgetIsNotWaitedFor() {
    server.setDispatcher(new PhasedDispatcher(
        () -> new MockResponse.Builder().code(429).addHeader("Retry-After", "60").build()));
    OtelAnalytics analytics = cliRun(Duration.ofSeconds(5));
    SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build().get("cli")
        .spanBuilder("command").startSpan().end();

    long start = System.nanoTime();
    CompletableResultCode result = analytics.shutdown().join(20, TimeUnit.SECONDS);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(result.isSuccess()).as("the event waits in the outbox for the next run").isTrue();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(tookMillis).as("ms shutdown took").isLessThan(2_000);
  }

  @Test
  void shuttingTheTracerProviderDownFirstWaitsAtMostTheBudgetForAStalledRequest() throws Exception {
    server.setDispatcher(new PhasedDispatcher(
        () -> new MockResponse.Builder().code(200).headersDelay(1, TimeUnit.HOURS).build()));
    OtelAnalytics analytics = cliRun(Duration.ofMillis(300));
    SdkMeterProvider meters = SdkMeterProvider.builder()
        .registerMetricReader(PeriodicMetricReader.create(analytics.metricExporter())).build();
    SdkTracerProvider traces = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    traces.get("cli").spanBuilder("first").startSpan().end();
    analytics.forceFlush();
    assertThat(server.takeRequest(10, TimeUnit.SECONDS)).as("the sender is now stuck in a request").isNotNull();
    traces.get("cli").spanBuilder("second").startSpan().end();

    long start = System.nanoTime();
    CompletableResultCode released = traces.shutdown();   // the meter provider still holds the worker
    released.join(5, TimeUnit.SECONDS);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(released.isDone()).isTrue();
    assertThat(tookMillis).as("ms the tracer provider's shutdown took").isLessThan(2_000);
    assertThat(Outbox.batchFiles(stateDir.resolve("outbox"))).as("both events are in the outbox").hasSize(2);
    meters.shutdown().join(5, TimeUnit.SECONDS);
  }
}
