package dev.otelanalytics.relay.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.otelanalytics.internal.ThrottledLogger;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Answers every request on the relay's port, as the OTLP/HTTP specification says: {@code POST
 * /v1/traces} and {@code /v1/metrics} with protobuf or JSON, optionally gzip; a {@code GET
 * /v1/stats} with the relay's counters as JSON. The checks run cheapest first, and the body is
 * read only once the request is known to be wanted: path, method, token, stopping, room to read
 * (at most {@code maxReads} bodies in memory at once), content type and encoding, declared length.
 * Never logs a token, a header value or anything from a body.
 */
public final class OtlpHttpHandler implements HttpHandler {
  public static final String TRACES = "/v1/traces";
  public static final String METRICS = "/v1/metrics";
  public static final String STATS = "/v1/stats";
  /** What 429 and 503 answers ask the client to wait, in seconds. */
  public static final int RETRY_AFTER_SECONDS = 1;

  private final ThrottledLogger logger = ThrottledLogger.get(OtlpHttpHandler.class);
  private final byte[] expectedAuthorization;
  private final long maxBodyBytes;
  private final TraceIngest traces;
  private final MetricIngest metrics;
  private final RelayCounters counters;
  private final Supplier<byte[]> stats;
  private final Semaphore reads;
  private volatile boolean stopping;

  /**
   * @param token the bearer token clients must send; null for none
   * @param maxReads how many request bodies may be read (held in memory) at once
   * @param stats the {@code /v1/stats} document
   */
  public OtlpHttpHandler(String token, long maxBodyBytes, int maxReads, TraceIngest traces, MetricIngest metrics,
      RelayCounters counters, Supplier<byte[]> stats) {
    this.expectedAuthorization = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.maxBodyBytes = maxBodyBytes;
    this.reads = new Semaphore(maxReads);
    this.traces = traces;
    this.metrics = metrics;
    this.counters = counters;
    this.stats = stats;
  }

  /** From now on every export is answered 503 with {@code Retry-After}: the relay is stopping. */
  public void stop() {
    stopping = true;
  }

  /** Waits (at most {@code millis}) until no request body is being read or handed over. */
  public boolean awaitIdle(int maxReads, long millis) throws InterruptedException {
    if (reads.tryAcquire(maxReads, millis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      reads.release(maxReads);
      return true;
    }
    return false;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      answer(exchange);
    } catch (IOException e) {
      // The client went away while we read or wrote: nothing to answer.
      logger.log(Level.FINE, "otel-analytics-relay: a request broke off (" + e.getClass().getSimpleName() + ")");
    } catch (RuntimeException e) {
      counters.count(Outcome.FAILED);
      logger.log(Level.WARNING, "otel-analytics-relay: unexpected " + e.getClass().getName() + " while handling a request");
      try {
        send(exchange, Outcome.FAILED, Encoding.PROTOBUF, OtlpAnswers.status(Encoding.PROTOBUF, OtlpAnswers.INTERNAL,
            "the relay failed unexpectedly"));
      } catch (IOException | RuntimeException ignored) {
        // Already answered, or the client is gone.
      }
    } finally {
      exchange.close();
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    Encoding encoding = Encoding.of(exchange.getRequestHeaders().getFirst("Content-Type"));
    Encoding answerIn = encoding == null ? Encoding.PROTOBUF : encoding;
    boolean isTraces = TRACES.equals(path);
    boolean isMetrics = METRICS.equals(path);
    if (!isTraces && !isMetrics && !STATS.equals(path)) {
      fail(exchange, Outcome.NOT_FOUND, answerIn, OtlpAnswers.NOT_FOUND,
          "no such path; OTLP/HTTP exports go to " + TRACES + " and " + METRICS);
      return;
    }
    if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      fail(exchange, Outcome.UNAUTHENTICATED, answerIn, OtlpAnswers.UNAUTHENTICATED,
          "send 'Authorization: Bearer <token>' with the relay's OTEL_ANALYTICS_RELAY_TOKEN");
      return;
    }
    if (STATS.equals(path)) {
      if (!method.equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        fail(exchange, Outcome.METHOD_NOT_ALLOWED, Encoding.JSON, OtlpAnswers.UNIMPLEMENTED, STATS + " takes GET");
        return;
      }
      byte[] body = stats.get();
      exchange.getResponseHeaders().set("Content-Type", Encoding.JSON.contentType());
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      return;
    }
    if (!method.equals("POST")) {
      exchange.getResponseHeaders().set("Allow", "POST");
      fail(exchange, Outcome.METHOD_NOT_ALLOWED, answerIn, OtlpAnswers.UNIMPLEMENTED, "OTLP/HTTP exports are POST requests");
      return;
    }
    if (stopping) {
      retryLater(exchange, Outcome.SHUTTING_DOWN, answerIn, "the relay is stopping; send the request again later");
      return;
    }
    if (!reads.tryAcquire()) {
      retryLater(exchange, Outcome.BUSY, answerIn, "the relay is reading as many requests as it can; send again later");
      return;
    }
    try {
      export(exchange, encoding, answerIn, isTraces);
    } finally {
      reads.release();
    }
  }

  private void export(HttpExchange exchange, Encoding encoding, Encoding answerIn, boolean isTraces) throws IOException {
    if (encoding == null) {
      fail(exchange, Outcome.UNSUPPORTED_MEDIA_TYPE, answerIn, OtlpAnswers.INVALID_ARGUMENT,
          "Content-Type must be application/x-protobuf or application/json");
      return;
    }
    String contentEncoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    boolean gzip = contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
    if (contentEncoding != null && !gzip && !contentEncoding.trim().isEmpty() && !contentEncoding.trim().equalsIgnoreCase("identity")) {
      fail(exchange, Outcome.UNSUPPORTED_MEDIA_TYPE, answerIn, OtlpAnswers.INVALID_ARGUMENT,
          "Content-Encoding must be gzip or none");
      return;
    }
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null && declaredTooLarge(declared)) {
      tooLarge(exchange, answerIn, "the body is larger than " + maxBodyBytes + " bytes");
      return;
    }
    byte[] body;
    try {
      body = BodyReader.read(exchange.getRequestBody(), gzip, maxBodyBytes);
    } catch (BodyReader.TooLargeException e) {
      tooLarge(exchange, answerIn, e.getMessage());
      return;
    } catch (BodyReader.BadEncodingException e) {
      fail(exchange, Outcome.BAD_REQUEST, answerIn, OtlpAnswers.INVALID_ARGUMENT, e.getMessage());
      return;
    }
    Message request;
    try {
      request = decode(body, encoding, isTraces);
    } catch (InvalidProtocolBufferException e) {
      failAfterRead(exchange, Outcome.BAD_REQUEST, answerIn, OtlpAnswers.INVALID_ARGUMENT,
          "the body is not a valid protobuf " + (isTraces ? "ExportTraceServiceRequest" : "ExportMetricsServiceRequest"));
      return;
    } catch (OtlpJson.BadJsonException e) {
      failAfterRead(exchange, Outcome.BAD_REQUEST, answerIn, OtlpAnswers.INVALID_ARGUMENT, e.getMessage());
      return;
    }
    body = null; // the decoded request is all that is needed now
    IngestResult result = isTraces ? traces.ingest((ExportTraceServiceRequest) request)
        : metrics.ingest((ExportMetricsServiceRequest) request);
    switch (result.outcome) {
      case ACCEPTED:
      case PARTIALLY_ACCEPTED:
        counters.count(result.outcome);
        send(exchange, result.outcome, encoding, isTraces ? OtlpAnswers.traces(encoding, result.rejected, result.message)
            : OtlpAnswers.metrics(encoding, result.rejected, result.message));
        return;
      case QUEUE_FULL:
      case METRICS_UNAVAILABLE:
        exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        failAfterRead(exchange, result.outcome, encoding,
            result.outcome == Outcome.QUEUE_FULL ? OtlpAnswers.RESOURCE_EXHAUSTED : OtlpAnswers.UNAVAILABLE, result.message);
        return;
      case TOO_LARGE:
        counters.count(result.outcome);
        send(exchange, result.outcome, encoding, OtlpAnswers.status(encoding, OtlpAnswers.RESOURCE_EXHAUSTED, result.message));
        return;
      default:
        failAfterRead(exchange, Outcome.FAILED, encoding, OtlpAnswers.INTERNAL, "the relay failed unexpectedly");
    }
  }

  private static Message decode(byte[] body, Encoding encoding, boolean isTraces)
      throws InvalidProtocolBufferException, OtlpJson.BadJsonException {
    if (encoding == Encoding.PROTOBUF) {
      return isTraces ? ExportTraceServiceRequest.parseFrom(body) : ExportMetricsServiceRequest.parseFrom(body);
    }
    Message.Builder builder = isTraces ? ExportTraceServiceRequest.newBuilder() : ExportMetricsServiceRequest.newBuilder();
    OtlpJson.merge(body, builder);
    return builder.build();
  }

  /** Constant-time comparison: the time taken says nothing about how much of a guess was right. */
  private boolean authorized(String header) {
    if (expectedAuthorization == null) {
      return true;
    }
    byte[] given = header == null ? new byte[0] : header.trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expectedAuthorization);
  }

  private boolean declaredTooLarge(String declared) {
    try {
      return Long.parseLong(declared.trim()) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false; // the server itself refuses a bad length
    }
  }

  private void tooLarge(HttpExchange exchange, Encoding answerIn, String why) throws IOException {
    fail(exchange, Outcome.TOO_LARGE, answerIn, OtlpAnswers.RESOURCE_EXHAUSTED,
        why + "; raise OTEL_ANALYTICS_RELAY_MAX_BODY_SIZE or send smaller batches");
  }

  private void retryLater(HttpExchange exchange, Outcome outcome, Encoding answerIn, String message) throws IOException {
    exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    fail(exchange, outcome, answerIn, outcome == Outcome.QUEUE_FULL ? OtlpAnswers.RESOURCE_EXHAUSTED : OtlpAnswers.UNAVAILABLE,
        message);
  }

  /** An answer given before the body was read to its end (if it has one). */
  private void fail(HttpExchange exchange, Outcome outcome, Encoding answerIn, int code, String message) throws IOException {
    if (hasBody(exchange)) {
      // The connection cannot carry another request after an unread body: say so, so the client opens a new one.
      exchange.getResponseHeaders().set("Connection", "close");
    }
    failAfterRead(exchange, outcome, answerIn, code, message);
  }

  /** An answer given once the whole body was read. */
  private void failAfterRead(HttpExchange exchange, Outcome outcome, Encoding answerIn, int code, String message)
      throws IOException {
    counters.count(outcome);
    send(exchange, outcome, answerIn, OtlpAnswers.status(answerIn, code, message));
  }

  /** Whether the request has a body, by its headers, without waiting for it. */
  private static boolean hasBody(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    String transfer = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
    return (length != null && !length.trim().equals("0")) || transfer != null;
  }

  private static void send(HttpExchange exchange, Outcome outcome, Encoding encoding, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", encoding.contentType());
    exchange.sendResponseHeaders(outcome.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
