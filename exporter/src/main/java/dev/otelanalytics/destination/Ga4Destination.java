package dev.otelanalytics.destination;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.event.EventJson;
import dev.otelanalytics.internal.ga4.Ga4Rules;
import dev.otelanalytics.internal.http.RetryAfter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends events to a Google Analytics 4 data stream with the Measurement Protocol:
 * {@code POST {endpoint}/mp/collect?measurement_id=…&api_secret=…} with
 * {@code {"client_id", "timestamp_micros", "non_personalized_ads": true, "events": [{"name", "params", "timestamp_micros"}]}}.
 *
 * <p>{@code client_id} is the random install id. Each event's params are its scrubbed
 * properties plus {@code engagement_time_msec} (the span's duration, at least 1) and
 * {@code session_id} (one per process run), which GA4's reports need. Because the production
 * endpoint answers 2xx even to data it discards, GA4's documented rules are applied first: names
 * normalised (each mapping logged once at FINE), values cut, events older than 72 hours dropped
 * and counted as too old, at most 25 events and 130 kB a request.
 *
 * <p>Answers: 2xx delivered; 413 split; 408, 429, 5xx, time-outs and I/O errors retried; a redirect,
 * 401, 403, 404 or 405 pauses sending for the longest backoff (the Measurement Protocol answers 2xx even to
 * bad data, so these mean the endpoint or a proxy in front of it is wrong); any other 4xx is taken as a bad
 * request: the batch is sent in halves until the refused events are alone, and only those are dropped, as
 * Google asks not to resend a bad request. The API secret never appears in a log line, a message or {@link #toString()}.
 */
public final class Ga4Destination extends HttpDestination {
  /** Google's Measurement Protocol host. */
  public static final String DEFAULT_ENDPOINT = "https://www.google-analytics.com";
  /** The Measurement Protocol's path on the endpoint. */
  static final String COLLECT_PATH = "/mp/collect";

  private static final ThrottledLogger logger = ThrottledLogger.get(Ga4Destination.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final String endpoint;
  private final String measurementId;
  private final String apiSecret;
  private final Clock clock;
  private final long sessionId;
  private final Set<String> loggedMappings = ConcurrentHashMap.newKeySet();

  Ga4Destination(String endpoint, String measurementId, String apiSecret, Duration timeout, Clock clock) {
    super(timeout);
    this.endpoint = endpoint; // a base without trailing slashes (the builder's)
    this.measurementId = measurementId;
    this.apiSecret = apiSecret;
    this.clock = clock;
    // GA4 session ids are positive integers; one per process run.
    this.sessionId = (new SecureRandom().nextLong() & Long.MAX_VALUE) % 1_000_000_000_000L + 1;
  }

  /**
   * Starts building a GA4 destination; the measurement id and the API secret are required.
   *
   * @return a new builder
   */
  public static Ga4DestinationBuilder builder() {
    return new Ga4DestinationBuilder();
  }

  @Override
  public String name() {
    return "ga4";
  }

  @Override
  public String description() {
    return "Google Analytics 4 (Measurement Protocol) at " + endpoint;
  }

  @Override
  public int maxBatchSize() {
    return Ga4Rules.MAX_EVENTS_PER_REQUEST;
  }

  @Override
  public DeliveryResult send(List<AnalyticsEvent> events) {
    if (events.size() > Ga4Rules.MAX_EVENTS_PER_REQUEST) {
      return DeliveryResult.tooLarge("more than 25 events");
    }
    long oldestAcceptedNanos = TimeUnit.MILLISECONDS.toNanos(clock.millis()) - TimeUnit.HOURS.toNanos(Ga4Rules.MAX_AGE_HOURS);
    List<AnalyticsEvent> fresh = new ArrayList<>(events.size());
    for (AnalyticsEvent event : events) {
      if (event.timestampEpochNanos() >= oldestAcceptedNanos) {
        fresh.add(event);
      }
    }
    int tooOld = events.size() - fresh.size();
    if (fresh.isEmpty()) {
      return DeliveryResult.delivered(0, tooOld);
    }
    for (AnalyticsEvent event : fresh) {
      if (!event.distinctId().equals(fresh.get(0).distinctId())) {
        // One client_id a request: split until each batch has one.
        return DeliveryResult.tooLarge("events of more than one install");
      }
    }
    byte[] body = body(fresh);
    if (body.length >= Ga4Rules.MAX_BODY_BYTES) {
      return fresh.size() == 1 ? DeliveryResult.delivered(1, tooOld) : DeliveryResult.tooLarge("body of 130 kB or more");
    }
    return execute(new Request.Builder().url(url(COLLECT_PATH)).post(RequestBody.create(body, HttpSupport.json())).build(),
        response -> interpret(response, tooOld));
  }

  /** One message of GA4's validation server. */
  public static final class ValidationMessage {
    private final String fieldPath;
    private final String description;
    private final String validationCode;

    ValidationMessage(String fieldPath, String description, String validationCode) {
      this.fieldPath = fieldPath;
      this.description = description;
      this.validationCode = validationCode;
    }

    /**
     * The part of the request the message is about, e.g. {@code events}.
     *
     * @return the field path; empty when GA4 gave none
     */
    public String fieldPath() {
      return fieldPath;
    }

    /**
     * What is wrong, in GA4's words.
     *
     * @return the description; empty when GA4 gave none
     */
    public String description() {
      return description;
    }

    /**
     * GA4's code for the problem, e.g. {@code NAME_INVALID} or {@code VALUE_INVALID}.
     *
     * @return the code; empty when GA4 gave none
     */
    public String validationCode() {
      return validationCode;
    }
  }

  /**
   * Posts {@code sample} to the validation server ({@code {endpoint}/debug/mp/collect}), which
   * checks it without recording it, and returns its messages; empty when GA4 found nothing wrong.
   *
   * @param sample the events to check, posted in requests of at most 25 events
   * @return GA4's messages, in order; empty when there are none
   * @throws IOException when the validation server cannot be reached, answers with an error status,
   *     or does not answer with a JSON object
   */
  public List<ValidationMessage> validate(List<AnalyticsEvent> sample) throws IOException {
    List<ValidationMessage> messages = new ArrayList<>();
    // In requests of at most 25 events, as real sends are.
    for (int from = 0; from < sample.size(); from += Ga4Rules.MAX_EVENTS_PER_REQUEST) {
      List<AnalyticsEvent> part = sample.subList(from, Math.min(sample.size(), from + Ga4Rules.MAX_EVENTS_PER_REQUEST));
      Request request = new Request.Builder().url(url("/debug" + COLLECT_PATH))
          .post(RequestBody.create(body(part), HttpSupport.json())).build();
      try (Response response = client().newCall(request).execute()) {
        if (!response.isSuccessful() || response.body() == null) {
          throw new IOException("the GA4 validation server answered HTTP " + response.code());
        }
        messages.addAll(parseValidationMessages(response.body().string()));
      }
    }
    return messages;
  }

  static List<ValidationMessage> parseValidationMessages(String json) throws IOException {
    List<ValidationMessage> messages = new ArrayList<>();
    try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new IOException("the GA4 validation server did not answer with a JSON object");
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        com.fasterxml.jackson.core.JsonToken token = p.nextToken();
        if (!field.equals("validationMessages") || token != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
          String path = "";
          String description = "";
          String code = "";
          while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            String text = p.currentToken().isScalarValue() ? p.getValueAsString("") : "";
            p.skipChildren();
            if (key.equals("fieldPath")) {
              path = text;
            } else if (key.equals("description")) {
              description = text;
            } else if (key.equals("validationCode")) {
              code = text;
            }
          }
          messages.add(new ValidationMessage(path, description, code));
        }
      }
    }
    return messages;
  }

  /**
   * The request body for {@code events}, exactly as {@link #send} would post it (after the GA4
   * rules: names normalised, values truncated, limits applied). For checking what would be sent.
   *
   * @param events the events of one request
   * @return the JSON body
   */
  public byte[] body(List<AnalyticsEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512 * events.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("client_id", events.get(0).distinctId());
      g.writeNumberField("timestamp_micros", events.get(0).timestampEpochNanos() / 1000);
      g.writeBooleanField("non_personalized_ads", true);
      g.writeArrayFieldStart("events");
      for (AnalyticsEvent event : events) {
        writeEvent(g, event);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory JSON encoding failed", e);
    }
    return out.toByteArray();
  }

  private void writeEvent(JsonGenerator g, AnalyticsEvent event) throws IOException {
    String name = Ga4Rules.eventName(event.name());
    if (name == null) {
      name = Ga4Rules.RESERVED_NAME_PREFIX + "event";
    }
    logMappingOnce("event", event.name(), name);
    Map<String, Object> params = new LinkedHashMap<>();
    Object duration = event.properties().get("duration_ms");
    long engagement = duration instanceof Long ? Math.max(1L, (Long) duration) : 1L;
    params.put("engagement_time_msec", engagement);
    params.put("session_id", sessionId);
    for (Map.Entry<String, Object> property : event.properties().entrySet()) {
      if (params.size() >= Ga4Rules.MAX_PARAMS_PER_EVENT) {
        break; // the rest cannot be sent: GA4 keeps 25 params an event
      }
      String param = Ga4Rules.paramName(property.getKey());
      Object value = Ga4Rules.paramValue(property.getValue());
      if (param == null || value == null || params.containsKey(param)) {
        continue;
      }
      logMappingOnce("parameter", property.getKey(), param);
      params.put(param, value);
    }
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeObjectFieldStart("params");
    for (Map.Entry<String, Object> param : params.entrySet()) {
      g.writeFieldName(param.getKey());
      EventJson.writeValue(g, param.getValue());
    }
    g.writeEndObject();
    g.writeNumberField("timestamp_micros", event.timestampEpochNanos() / 1000);
    g.writeEndObject();
  }

  private void logMappingOnce(String kind, String from, String to) {
    // Names only (they passed the policy); logged at FINE so a CLI's users do not see it.
    if (!from.equals(to) && loggedMappings.add(kind + ":" + from) && logger.isLoggable(Level.FINE)) {
      logger.log(Level.FINE, "otel-analytics: GA4 " + kind + " '" + from + "' is sent as '" + to + "'");
    }
  }

  private DeliveryResult interpret(Response response, int tooOld) {
    int code = response.code();
    if (code >= 200 && code < 300) {
      return DeliveryResult.delivered(0, tooOld);
    }
    String status = "HTTP " + code;
    // The Measurement Protocol answers 2xx even to malformed data, so these come from something
    // else at the configured address (a wrong path, a proxy): sending again cannot help until it is fixed.
    if ((code >= 300 && code < 400) || code == 404 || code == 405) {
      return DeliveryResult.stop(status + ": no Measurement Protocol endpoint at the configured address; check"
          + " OTEL_EXPORTER_GA4_ENDPOINT (default " + DEFAULT_ENDPOINT + ")");
    }
    if (code == 401 || code == 403) {
      return DeliveryResult.stop(status + ": the configured address refused the request (the Measurement Protocol itself"
          + " answers 2xx even to bad data); check OTEL_EXPORTER_GA4_ENDPOINT and OTEL_EXPORTER_GA4_API_SECRET");
    }
    if (code == 413) {
      return DeliveryResult.tooLarge(status);
    }
    if (code == 408 || code == 429 || code >= 500) {
      return DeliveryResult.retry(status, RetryAfter.parse(response.header("Retry-After"), clock));
    }
    return DeliveryResult.rejected(status);
  }

  /** {@code path} on the endpoint with the stream's measurement id and secret. */
  HttpUrl url(String path) {
    HttpUrl base = HttpUrl.get(endpoint + path);
    return base.newBuilder()
        .addQueryParameter("measurement_id", measurementId)
        .addQueryParameter("api_secret", apiSecret)
        .build();
  }

  @Override
  public String toString() {
    return "Ga4Destination{endpoint=" + endpoint + ", measurementId=" + measurementId + ", apiSecret=<redacted>}";
  }
}
