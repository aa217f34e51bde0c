package dev.otelanalytics.relay;

import com.sun.net.httpserver.HttpServer;
import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.OtelAnalyticsBuilder;
import dev.otelanalytics.UsageReportExporter;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.activation.ServiceIdentity;
import dev.otelanalytics.internal.autoconfigure.AnalyticsSetup;
import dev.otelanalytics.internal.config.AnalyticsConfig;
import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.event.SpanSelector;
import dev.otelanalytics.relay.internal.CumulativeToDelta;
import dev.otelanalytics.relay.internal.KeptKeys;
import dev.otelanalytics.relay.internal.MetricIngest;
import dev.otelanalytics.relay.internal.OtlpHttpHandler;
import dev.otelanalytics.relay.internal.Outcome;
import dev.otelanalytics.relay.internal.RelayCounters;
import dev.otelanalytics.relay.internal.RelaySettingException;
import dev.otelanalytics.relay.internal.RelaySettings;
import dev.otelanalytics.relay.internal.StatsJson;
import dev.otelanalytics.relay.internal.TraceIngest;
import dev.otelanalytics.relay.internal.RelayThreads;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running OTLP/HTTP relay: {@code POST /v1/traces} and {@code /v1/metrics} (protobuf or JSON,
 * optionally gzip) become analytics events and usage reports through one {@link OtelAnalytics}
 * in forwarding mode ({@link OtelAnalyticsBuilder#setForwarding}): the same policy (applied again,
 * whatever a gateway Collector did before), queue, outbox and destinations as the Java library.
 * {@code GET /v1/stats} reports what it accepted, refused, dropped and sent.
 *
 * <pre>{@code
 * OtlpRelay relay = OtlpRelay.builder().start();   // settings from OTEL_ANALYTICS_* / OTEL_EXPORTER_*
 * ...
 * relay.shutdown().join(10, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p>The HTTP server is the JDK's own ({@code com.sun.net.httpserver}) on a small pool of daemon
 * threads; at most that many request bodies are read at once, each at most
 * {@code OTEL_ANALYTICS_RELAY_MAX_BODY_SIZE}, so memory stays bounded; more requests wait for a
 * thread or are answered 503.
 */
public final class OtlpRelay implements Closeable {
  /** Request bodies read (and so held in memory) at once; a request beyond them is answered 503 at once. */
  public static final int CONCURRENT_READS = 4;
  /**
   * Threads serving connections. More than {@link #CONCURRENT_READS}: the JDK's server reads a
   * request's headers on these threads, so a few clients that send headers slowly must not take
   * every thread (each such request is cut off after {@code sun.net.httpserver.maxReqTime}).
   */
  public static final int HTTP_THREADS = 32;
  /** The relay's queue size when {@code OTEL_ANALYTICS_QUEUE_SIZE} is not set: a gateway's batches are large (the library's default is the same now). */
  public static final int DEFAULT_QUEUE_SIZE = 16_384;

  private static final Logger logger = Logger.getLogger(OtlpRelay.class.getName());
  private static final int PENDING_CONNECTIONS = 256;
  private static final long STOP_READING_WAIT_MILLIS = 2_000;

  private final OtelAnalytics analytics;
  private final UsageReportExporter metricExporter;
  private final HttpServer server;
  private final ExecutorService httpThreads;
  private final ScheduledExecutorService reportTimer;
  private final OtlpHttpHandler handler;
  private final RelayCounters counters;
  private final CumulativeToDelta deltas;
  private final Duration shutdownTimeout;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile CompletableResultCode shutdownResult;

  private OtlpRelay(OtelAnalytics analytics, UsageReportExporter metricExporter, HttpServer server, ExecutorService httpThreads,
      ScheduledExecutorService reportTimer, OtlpHttpHandler handler, RelayCounters counters, CumulativeToDelta deltas,
      Duration shutdownTimeout) {
    this.analytics = analytics;
    this.metricExporter = metricExporter;
    this.server = server;
    this.httpThreads = httpThreads;
    this.reportTimer = reportTimer;
    this.handler = handler;
    this.counters = counters;
    this.deltas = deltas;
    this.shutdownTimeout = shutdownTimeout;
  }

  /**
   * A builder reading the settings from system properties and environment variables.
   *
   * @return a new builder
   */
  public static OtlpRelayBuilder builder() {
    return new OtlpRelayBuilder();
  }

  static OtlpRelay start(java.util.function.Function<String, String> settings, boolean codeSuppliesSettings,
      String defaultServiceName) throws RelaySettingException, IOException {
    RelaySettings relaySettings = RelaySettings.read(settings);
    AnalyticsConfig config;
    try {
      config = AnalyticsConfig.parse(settings);
    } catch (InvalidSettingException e) {
      throw new RelaySettingException(e.getMessage());
    }
    InetSocketAddress address = relaySettings.address();
    String serviceName = ServiceIdentity.inForce(settings, defaultServiceName);
    int queueSize = settings.apply(AnalyticsConfig.QUEUE_SIZE) == null ? DEFAULT_QUEUE_SIZE : config.queueSize();
    OtelAnalyticsBuilder builder = AnalyticsSetup.builderFor(config, serviceName).setForwarding(true).setQueueSize(queueSize);
    if (codeSuppliesSettings) {
      builder.setSettings(settings);
    }
    OtelAnalytics analytics = builder.build();
    if (analytics.level() == AnalyticsLevel.OFF) {
      throw new RelaySettingException("analytics is off for the relay (service '" + serviceName + "'), so it has nothing to do:"
          + " check OTEL_ANALYTICS_ENABLED, OTEL_ANALYTICS_LEVEL, OTEL_ANALYTICS_SERVICES, OTEL_SDK_DISABLED, DO_NOT_TRACK and"
          + " a level stored with the telemetry command");
    }
    UsageReportExporter metricExporter = analytics.metricExporter(AnalyticsSetup.reportOptions(config.metrics()));
    RelayCounters counters = new RelayCounters();
    CumulativeToDelta deltas = new CumulativeToDelta(CumulativeToDelta.DEFAULT_MAX_STREAMS, nowEpochNanos(), counters);
    TraceIngest traces =
        new TraceIngest(analytics.spanProcessor(), SpanSelector.of(config.policy().spanSelectors()), queueSize, counters,
            KeptKeys.of(config.policy()));
    Resource relayResource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName));
    MetricIngest metrics = new MetricIngest(metricExporter, config.policy(), deltas, relayResource, Duration.ofSeconds(10), counters);
    OtlpHttpHandler handler = new OtlpHttpHandler(relaySettings.token(), relaySettings.maxBodyBytes(), CONCURRENT_READS, traces,
        metrics, counters, () -> StatsJson.render(counters, analytics.stats(), deltas.size()));
    HttpServer server;
    RelayThreads.limitSlowRequests();
    try {
      server = HttpServer.create(address, PENDING_CONNECTIONS);
    } catch (IOException e) {
      analytics.shutdown().join(config.shutdownTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      throw new IOException("cannot listen on " + relaySettings.host() + ":" + relaySettings.port() + " ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + "); set OTEL_ANALYTICS_RELAY_ENDPOINT to a free address", e);
    }
    ExecutorService httpThreads = RelayThreads.httpPool(HTTP_THREADS);
    server.setExecutor(httpThreads);
    server.createContext("/", handler);
    server.start();
    ScheduledExecutorService reportTimer = RelayThreads.timer();
    long period = reportCheckMillis(metricExporter.reportInterval());
    // Usage reports close on an export or a flush once due: flush on a timer, since exports come only with metrics.
    reportTimer.scheduleWithFixedDelay(metricExporter::flush, period, period, TimeUnit.MILLISECONDS);
    if (!address.getAddress().isLoopbackAddress() && relaySettings.token() == null) {
      logger.warning("otel-analytics-relay: listening on " + relaySettings.host() + ", which is not a loopback address,"
          + " without OTEL_ANALYTICS_RELAY_TOKEN: anyone who reaches the port can send events; set a token");
    }
    return new OtlpRelay(analytics, metricExporter, server, httpThreads, reportTimer, handler, counters, deltas,
        config.shutdownTimeout());
  }

  /**
   * Where the relay listens (with the real port when the endpoint asked for port 0).
   *
   * @return the address
   */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * The analytics pipeline's own counts: spans selected and queued, dropped by reason, events delivered.
   *
   * @return a snapshot
   */
  public DeliveryStats analyticsStats() {
    return analytics.stats();
  }

  /**
   * The {@code GET /v1/stats} document: requests by answer, spans and points received, refused
   * and rejected, and {@link #analyticsStats()}.
   *
   * @return the JSON document, UTF-8
   */
  public byte[] statsJson() {
    return StatsJson.render(counters, analytics.stats(), deltas.size());
  }

  /**
   * The level and destination analytics runs with.
   *
   * @return e.g. {@code OtelAnalytics{level=anonymous, destination=posthog}}
   */
  public String describeAnalytics() {
    return analytics.toString();
  }

  /**
   * Stops: from now on exports are answered 503 with {@code Retry-After}; requests being read are
   * finished; what is queued is written to the outbox and delivered as far as
   * {@code OTEL_ANALYTICS_SHUTDOWN_TIMEOUT} allows (the rest is sent at the next start); the due
   * usage report is queued; then the port is closed. Logs one line with the counts. Calling it
   * again returns the same result.
   *
   * @return completes when done; fails when events could not even be written to the outbox
   */
  public synchronized CompletableResultCode shutdown() {
    if (shutdownResult != null) {
      return shutdownResult;
    }
    handler.stop();
    try {
      handler.awaitIdle(CONCURRENT_READS, STOP_READING_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reportTimer.shutdownNow();
    CompletableResultCode result = analytics.shutdown();
    result.join(shutdownTimeout.toMillis() + STOP_READING_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    server.stop(0);
    httpThreads.shutdownNow();
    shutdownResult = result.isDone() ? result : CompletableResultCode.ofFailure();
    logger.fine(summary());
    stopped.countDown();
    return shutdownResult;
  }

  /**
   * One line of counts: requests accepted, asked to retry and refused; spans received, invalid and
   * selected; events delivered and dropped; the outbox; data points. Logged (FINE) at shutdown;
   * {@link RelayMain} prints it.
   *
   * @return the line, with counts only
   */
  public String summary() {
    DeliveryStats stats = analytics.stats();
    return "otel-analytics-relay: " + (shutdownResult != null ? "stopped; " : "") + "requests accepted "
        + (counters.requests(Outcome.ACCEPTED) + counters.requests(Outcome.PARTIALLY_ACCEPTED)) + ", asked to retry "
        + (counters.requests(Outcome.QUEUE_FULL) + counters.requests(Outcome.BUSY) + counters.requests(Outcome.SHUTTING_DOWN)
            + counters.requests(Outcome.METRICS_UNAVAILABLE))
        + ", refused " + (counters.requests(Outcome.BAD_REQUEST) + counters.requests(Outcome.UNAUTHENTICATED)
            + counters.requests(Outcome.TOO_LARGE) + counters.requests(Outcome.UNSUPPORTED_MEDIA_TYPE)
            + counters.requests(Outcome.NOT_FOUND) + counters.requests(Outcome.METHOD_NOT_ALLOWED))
        + "; spans received " + counters.spansReceived.sum() + " (invalid " + counters.spansRejected.sum() + "), selected "
        + stats.accepted() + ", events delivered " + stats.eventsDelivered() + ", dropped " + dropped(stats)
        + ", outbox " + stats.outboxSize() + " bytes; data points received " + counters.pointsReceived.sum();
  }

  /**
   * Waits until {@link #shutdown()} has finished.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Same as {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }

  @Override
  public String toString() {
    return "OtlpRelay{address=" + address() + ", " + analytics + "}";
  }

  private static long dropped(DeliveryStats s) {
    return s.droppedQueueFull() + s.droppedAfterShutdown() + s.droppedProcessorError() + s.mappingFailures() + s.droppedRejected()
        + s.droppedOversize() + s.droppedTooOld() + s.droppedOutboxFull() + s.droppedCorrupt();
  }

  /** How often the report timer looks: a quarter of the interval, from 250 ms to 1 minute. */
  static long reportCheckMillis(Duration interval) {
    long quarter = interval == null ? 60_000 : interval.toMillis() / 4;
    return Math.max(250, Math.min(60_000, quarter));
  }

  private static long nowEpochNanos() {
    return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
  }
}
