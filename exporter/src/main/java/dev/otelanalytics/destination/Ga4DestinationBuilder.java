package dev.otelanalytics.destination;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Builds a {@link Ga4Destination}; every setter validates and never echoes the secret. */
public final class Ga4DestinationBuilder {
  private String endpoint = Ga4Destination.DEFAULT_ENDPOINT;
  private String measurementId;
  private String apiSecret;
  private Duration timeout = HttpDestination.DEFAULT_TIMEOUT;
  private Clock clock = Clock.systemUTC();

  Ga4DestinationBuilder() {}

  /**
   * The Measurement Protocol host (or a proxy's base); default {@value Ga4Destination#DEFAULT_ENDPOINT}.
   * Events go to {@code {endpoint}/mp/collect}; an endpoint that already ends in {@code /mp/collect} is
   * taken without it. http:// only for loopback.
   *
   * @param endpoint the base URL; trailing slashes are ignored
   * @return this builder
   * @throws IllegalArgumentException when it is empty, not a URL with a host, has a port outside 1 to 65535,
   *     holds credentials, a query or a fragment, uses plain http to a host that is not loopback, or ends in {@code /debug/mp/collect} (the
   *     validation server, which records nothing)
   */
  public Ga4DestinationBuilder setEndpoint(String endpoint) {
    String checked = HttpSupport.checkEndpoint(endpoint, "endpoint", Ga4Destination.DEFAULT_ENDPOINT);
    if (HttpSupport.pathEndsWith(checked, "/debug" + Ga4Destination.COLLECT_PATH)) {
      throw new IllegalArgumentException("endpoint ends in /debug/mp/collect, GA4's validation server, which records"
          + " nothing; give the host only, e.g. " + Ga4Destination.DEFAULT_ENDPOINT + " (the validate command uses the"
          + " validation server by itself)");
    }
    this.endpoint = HttpSupport.base(checked, Ga4Destination.COLLECT_PATH);
    return this;
  }

  /**
   * The web data stream's measurement id, e.g. {@code G-3K2P9QW7LM}. Required.
   *
   * @param measurementId the id; surrounding spaces are trimmed
   * @return this builder
   * @throws IllegalArgumentException when it is not 1 to 40 letters, digits and hyphens
   */
  public Ga4DestinationBuilder setMeasurementId(String measurementId) {
    if (measurementId == null || !measurementId.trim().matches("[A-Za-z0-9-]{1,40}")) {
      throw new IllegalArgumentException("the GA4 measurement id must look like G-3K2P9QW7LM (Admin > Data streams > your stream)");
    }
    this.measurementId = measurementId.trim();
    return this;
  }

  /**
   * A Measurement Protocol API secret of the data stream. Required.
   *
   * @param apiSecret the secret; surrounding spaces are trimmed
   * @return this builder
   * @throws IllegalArgumentException when it is empty, longer than 200 characters, or has spaces or
   *     characters outside printable ASCII (the message never shows the secret)
   */
  public Ga4DestinationBuilder setApiSecret(String apiSecret) {
    if (apiSecret == null || !apiSecret.trim().matches("[\\x21-\\x7e]{1,200}")) {
      throw new IllegalArgumentException("the GA4 API secret is empty or has spaces or unusual characters; copy it again"
          + " from Admin > Data streams > your stream > Measurement Protocol API secrets");
    }
    this.apiSecret = apiSecret.trim();
    return this;
  }

  /**
   * Connect, read, write and whole-call time-out of one request. Default 10 s.
   *
   * @param timeout the time-out, positive
   * @return this builder
   * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
   */
  public Ga4DestinationBuilder setTimeout(Duration timeout) {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * The clock for the 72-hour limit and Retry-After dates (tests inject one).
   *
   * @param clock the clock; default {@link Clock#systemUTC()}
   * @return this builder
   */
  public Ga4DestinationBuilder setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Builds the destination.
   *
   * @return the destination
   * @throws IllegalArgumentException when the measurement id or the API secret is not set
   */
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
