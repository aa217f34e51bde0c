package dev.otelanalytics.destination;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;


/** Builds a {@link PostHogDestination}; every setter validates its argument and says what is wrong. */
public final class PostHogDestinationBuilder {
  private String endpoint = PostHogDestination.DEFAULT_ENDPOINT;
  private String apiKey;
  private boolean gzip = true;
  private Duration timeout = HttpDestination.DEFAULT_TIMEOUT;
  private Clock clock = Clock.systemUTC();

  PostHogDestinationBuilder() {}

  /**
   * The PostHog host, e.g. {@code https://eu.i.posthog.com} or a self-hosted address; default
   * {@value PostHogDestination#DEFAULT_ENDPOINT}. Plain {@code http://} is accepted only for a
   * loopback host (a local test server).
   *
   * @param endpoint the base URL; requests go to its {@code /batch/} path
   * @return this builder
   * @throws IllegalArgumentException when it is empty, not a URL with a host, holds credentials, a query or a
   *     fragment, or uses plain http to a host that is not loopback
   */
  public PostHogDestinationBuilder setEndpoint(String endpoint) {
    this.endpoint = HttpSupport.checkEndpoint(endpoint, "endpoint");
    return this;
  }

  /**
   * The project API key ({@code phc_…}). Required.
   *
   * @param apiKey the key; surrounding spaces are trimmed
   * @return this builder
   * @throws IllegalArgumentException when it is empty, longer than 200 characters, or has spaces or
   *     characters outside printable ASCII (the message never shows the key)
   */
  public PostHogDestinationBuilder setApiKey(String apiKey) {
    if (apiKey == null || apiKey.trim().isEmpty()) {
      throw new IllegalArgumentException("the PostHog project API key is empty");
    }
    if (!apiKey.trim().matches("[\\x21-\\x7e]{1,200}")) {
      // Never echo the key.
      throw new IllegalArgumentException("the PostHog project API key has spaces or unusual characters; copy it again from the project settings");
    }
    this.apiKey = apiKey.trim();
    return this;
  }

  /**
   * Whether request bodies are compressed: {@code gzip} (default) or {@code none}.
   *
   * @param compression {@code gzip} or {@code none}, in any case
   * @return this builder
   * @throws IllegalArgumentException when it is neither
   */
  public PostHogDestinationBuilder setCompression(String compression) {
    String c = Objects.requireNonNull(compression, "compression").trim().toLowerCase(Locale.ROOT);
    if (!c.equals("gzip") && !c.equals("none")) {
      throw new IllegalArgumentException("compression must be gzip or none, not '" + compression + "'");
    }
    this.gzip = c.equals("gzip");
    return this;
  }

  /**
   * Connect, read, write and whole-call time-out of one request. Default 10 s.
   *
   * @param timeout the time-out, positive
   * @return this builder
   * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
   */
  public PostHogDestinationBuilder setTimeout(Duration timeout) {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * The clock that dates in {@code Retry-After} are measured against (tests inject one).
   *
   * @param clock the clock; default {@link Clock#systemUTC()}
   * @return this builder
   */
  public PostHogDestinationBuilder setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Builds the destination.
   *
   * @return the destination
   * @throws IllegalArgumentException when the API key is not set
   */
  public PostHogDestination build() {
    if (apiKey == null) {
      throw new IllegalArgumentException("the PostHog project API key is not set");
    }
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    return new PostHogDestination(base + "/batch/", apiKey, gzip, timeout, clock);
  }
}
