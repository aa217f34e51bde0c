package dev.otelanalytics.destination;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Builds a {@link Ga4Destination}; every setter validates and never echoes the secret. */
public final class Ga4DestinationBuilder {
  private String endpoint = Ga4Destination.DEFAULT_ENDPOINT;
  private String measurementId;
  private String apiSecret;
  private Duration timeout = Duration.ofSeconds(10);
  private Clock clock = Clock.systemUTC();

  Ga4DestinationBuilder() {}

  /** The Measurement Protocol host; default {@value Ga4Destination#DEFAULT_ENDPOINT}. http:// only for loopback. */
  public Ga4DestinationBuilder setEndpoint(String endpoint) {
    this.endpoint = HttpSupport.checkEndpoint(endpoint, "endpoint");
    return this;
  }

  /** The web data stream's measurement id, e.g. {@code G-3K2P9QW7LM}. Required. */
  public Ga4DestinationBuilder setMeasurementId(String measurementId) {
    if (measurementId == null || !measurementId.trim().matches("[A-Za-z0-9-]{1,40}")) {
      throw new IllegalArgumentException("the GA4 measurement id must look like G-3K2P9QW7LM (Admin > Data streams > your stream)");
    }
    this.measurementId = measurementId.trim();
    return this;
  }

  /** A Measurement Protocol API secret of the data stream. Required. */
  public Ga4DestinationBuilder setApiSecret(String apiSecret) {
    if (apiSecret == null || !apiSecret.trim().matches("[\\x21-\\x7e]{1,200}")) {
      throw new IllegalArgumentException("the GA4 API secret is empty or has spaces or unusual characters; copy it again"
          + " from Admin > Data streams > your stream > Measurement Protocol API secrets");
    }
    this.apiSecret = apiSecret.trim();
    return this;
  }

  public Ga4DestinationBuilder setTimeout(Duration timeout) {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    return this;
  }

  /** The clock for the 72-hour limit and Retry-After dates (tests inject one). */
  public Ga4DestinationBuilder setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  public Ga4Destination build() {
    if (measurementId == null) {
      throw new IllegalArgumentException("the GA4 measurement id is not set");
    }
    if (apiSecret == null) {
      throw new IllegalArgumentException("the GA4 API secret is not set");
    }
    return new Ga4Destination(endpoint, measurementId, apiSecret, timeout, clock);
  }
}
