package dev.otelanalytics.relay.internal;

import java.util.Locale;

/** How the relay answered a request: what {@code /v1/stats} counts requests by. */
public enum Outcome {
  /** 200: everything taken (spans not selected included: they are simply not analytics). */
  ACCEPTED(200),
  /** 200 with {@code partial_success}: some spans or points were invalid and refused. */
  PARTIALLY_ACCEPTED(200),
  /** 400: the body could not be decoded, or was not valid gzip. */
  BAD_REQUEST(400),
  /** 401: no or a wrong bearer token. */
  UNAUTHENTICATED(401),
  /** 404: another path. */
  NOT_FOUND(404),
  /** 405: another method. */
  METHOD_NOT_ALLOWED(405),
  /** 413: over {@code OTEL_ANALYTICS_RELAY_MAX_BODY_SIZE}, compressed or decompressed, or more selected spans than the queue holds. */
  TOO_LARGE(413),
  /** 415: a content type other than protobuf or JSON, or an encoding other than gzip. */
  UNSUPPORTED_MEDIA_TYPE(415),
  /** 429: the queue could not take the request's selected spans whole; sent again later, nothing is lost. */
  QUEUE_FULL(429),
  /** 503: as many requests are being read as the relay reads at once. */
  BUSY(503),
  /** 503: the relay is stopping. */
  SHUTTING_DOWN(503),
  /** 503: the usage-report window could not take the points (see the log). */
  METRICS_UNAVAILABLE(503),
  /** 500: an unexpected error (its class is logged). */
  FAILED(500);

  private final int status;

  Outcome(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The name in {@code /v1/stats}: {@code queue_full}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
