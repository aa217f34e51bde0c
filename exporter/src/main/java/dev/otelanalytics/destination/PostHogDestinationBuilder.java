package dev.otelanalytics.destination;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;


/** Builds a {@link PostHogDestination}; every setter validates its argument and says what is wrong. */
public final class PostHogDestinationBuilder {
  private static final String BATCH_PATH = "/batch";
  /** PostHog's capture paths for one event at a time; an endpoint ending in one is a mistake. */
  private static final String[] SINGLE_EVENT_PATHS = {"/i/v0/e", "/capture"};

  private String endpoint = PostHogDestination.DEFAULT_ENDPOINT;
  private String apiKey;
  private boolean gzip = true;
  private Duration timeout = HttpDestination.DEFAULT_TIMEOUT;
  private Clock clock = Clock.systemUTC();

  PostHogDestinationBuilder() {}

  /**
   * The PostHog host, e.g. {@code https://eu.i.posthog.com}, a self-hosted address, or a reverse
   * proxy's base such as {@code https://example.com/ingest}; default
   * {@value PostHogDestination#DEFAULT_ENDPOINT}. Requests go to {@code {endpoint}/batch/}; an
   * endpoint that already ends in {@code /batch} or {@code /batch/} is taken without it. Plain
   * {@code http://} is accepted only for a loopback host (a local test server).
   *
   * @param endpoint the base URL
   * @return this builder
   * @throws IllegalArgumentException when it is empty, not a URL with a host, has a port outside 1 to 65535,
   *     holds credentials, a query or a fragment, uses plain http to a host that is not loopback, or ends in one of PostHog's single-event
   *     paths ({@code /i/v0/e}, {@code /capture})
   */
  public PostHogDestinationBuilder setEndpoint(String endpoint) {
    String checked = HttpSupport.checkEndpoint(endpoint, "endpoint", "https://eu.i.posthog.com");
    for (String singleEvent : SINGLE_EVENT_PATHS) {
      if (HttpSupport.pathEndsWith(checked, singleEvent)) {
        throw new IllegalArgumentException("endpoint ends in " + singleEvent + "/, PostHog's single-event path; give the host"
            + " only, e.g. https://eu.i.posthog.com (events are sent in batches to its /batch/)");
      }
    }
    this.endpoint = HttpSupport.base(checked, BATCH_PATH);
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
    return new PostHogDestination(endpoint + BATCH_PATH + "/", apiKey, gzip, timeout, clock);
  }
}
