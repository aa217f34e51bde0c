package dev.otelanalytics.destination;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.LibraryVersion;
import dev.otelanalytics.internal.event.PostHogBatchBody;
import dev.otelanalytics.internal.http.RetryAfter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends events to PostHog's batch endpoint: {@code POST {endpoint}/batch/} with
 * {@code {"api_key": ..., "batch": [{"event", "distinct_id", "properties", "timestamp", "uuid"}]}},
 * gzip-compressed by default.
 *
 * <p>Every event asks PostHog to make no person profile ({@code $process_person_profile: false})
 * and no GeoIP lookup ({@code $geoip_disable: true}). The {@code uuid} and {@code timestamp} are
 * those fixed when the event was made, so a batch resent after a lost answer is merged by PostHog,
 * not counted twice. Limits: an event of more than 1 MB is left out and counted; a body of more
 * than 20 MB is answered "too large" so the caller splits it.
 *
 * <p>Answers: 2xx delivered; 400 rejected (dropped, never resent); 401/403, 404 and redirects pause
 * sending (the key or endpoint looks wrong; events stay in the outbox and the oldest batch is tried again after the longest backoff); 413 too large; 408, 429, 5xx,
 * time-outs and I/O errors retried, honouring {@code Retry-After}. The API key never appears in a
 * log line, an exception message or {@link #toString()}.
 */
public final class PostHogDestination extends HttpDestination {
  /** PostHog's US cloud ingestion host. */
  public static final String DEFAULT_ENDPOINT = "https://us.i.posthog.com";
  /** Largest request body PostHog accepts, before compression. */
  public static final int MAX_BODY_BYTES = 20 * 1024 * 1024;
  /** Largest single event PostHog accepts. */
  public static final int MAX_EVENT_BYTES = 1024 * 1024;

  private static final JsonFactory JSON = new JsonFactory();

  private final String batchUrl;
  private final String apiKey;
  private final boolean gzip;
  private final Clock clock;
  private final PostHogBatchBody encoder = new PostHogBatchBody();

  PostHogDestination(String batchUrl, String apiKey, boolean gzip, Duration timeout, Clock clock) {
    super(timeout);
    this.batchUrl = batchUrl;
    this.apiKey = apiKey;
    this.gzip = gzip;
    this.clock = clock;
  }

  /**
   * Starts building a PostHog destination; the project API key is required.
   *
   * @return a new builder
   */
  public static PostHogDestinationBuilder builder() {
    return new PostHogDestinationBuilder();
  }

  @Override
  public String name() {
    return "posthog";
  }

  @Override
  public String description() {
    return "PostHog at " + batchUrl.substring(0, batchUrl.length() - "/batch/".length());
  }

  @Override
  public void warmUp() {
    try {
      // Loads OkHttp (and Kotlin's standard library) and builds the client; sends nothing.
      client().newCall(new Request.Builder().url(batchUrl).post(RequestBody.create(new byte[0], HttpSupport.json())).build());
    } catch (RuntimeException | LinkageError e) {
      // The first real send will report what is wrong.
    }
  }

  @Override
  public DeliveryResult send(List<AnalyticsEvent> events) {
    byte[] body;
    int droppedOversize;
    // The encoder's buffers are reused from one send to the next; sends on other threads wait
    // only for the encoding and compression, not for the request.
    synchronized (encoder) {
      try {
        PostHogBatchBody encoded = encoder.encode(apiKey, events, MAX_EVENT_BYTES);
        if (encoded.events() == 0) {
          return DeliveryResult.delivered(encoded.oversize());
        }
        if (encoded.length() > MAX_BODY_BYTES) {
          return DeliveryResult.tooLarge("body over 20 MB");
        }
        body = gzip ? gzip(encoded) : encoded.bytes();
        droppedOversize = encoded.oversize();
      } catch (IOException | IllegalStateException e) {
        return DeliveryResult.retry("encoding failed (" + e.getClass().getSimpleName() + ")", null);
      }
    }
    Request.Builder request = new Request.Builder()
        .url(batchUrl)
        .header("User-Agent", LibraryVersion.NAME + "/" + LibraryVersion.get())
        .post(RequestBody.create(body, HttpSupport.json()));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    return execute(request.build(), response -> interpret(response, droppedOversize));
  }

  private DeliveryResult interpret(Response response, int oversize) {
    int code = response.code();
    if (code >= 200 && code < 300) {
      return DeliveryResult.delivered(oversize);
    }
    String status = "HTTP " + code;
    if (code == 400) {
      return DeliveryResult.rejected(status + errorCode(response.body()));
    }
    if (code == 401 || code == 403) {
      return DeliveryResult.stop(status + ": PostHog refused the project API key; check OTEL_EXPORTER_POSTHOG_API_KEY"
          + " (the project API key, phc_…)");
    }
    if (code == 404 || code == 405 || (code >= 300 && code < 400)) {
      return DeliveryResult.stop(status + ": no PostHog batch endpoint at the configured address; check"
          + " OTEL_EXPORTER_POSTHOG_ENDPOINT (e.g. https://us.i.posthog.com or https://eu.i.posthog.com)");
    }
    if (code == 413) {
      return DeliveryResult.tooLarge(status);
    }
    if (code == 408 || code == 429 || code >= 500) {
      return DeliveryResult.retry(status, RetryAfter.parse(response.header("Retry-After"), clock));
    }
    return DeliveryResult.rejected(status + errorCode(response.body()));
  }

  /** PostHog's machine-readable error code (e.g. {@code invalid_payload}); never its free-text detail. */
  private static String errorCode(ResponseBody body) {
    if (body == null) {
      return "";
    }
    try (JsonParser p = JSON.createParser(body.byteStream())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return "";
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("code") && p.currentToken() == JsonToken.VALUE_STRING && p.getText().matches("[a-z_]{1,40}")) {
          return " (" + p.getText() + ")";
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      // no code then
    }
    return "";
  }

  private static byte[] gzip(PostHogBatchBody raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length() / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      raw.writeTo(zip);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "PostHogDestination{url=" + batchUrl + ", compression=" + (gzip ? "gzip" : "none") + ", apiKey=<redacted>}";
  }
}
