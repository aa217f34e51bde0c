package dev.otelanalytics.destination;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.net.URI;
import java.net.URISyntaxException;
import okhttp3.OkHttpClient;

/** Builds a {@link PostHogDestination}; every setter validates its argument and says what is wrong. */
public final class PostHogDestinationBuilder {
  private String endpoint = PostHogDestination.DEFAULT_ENDPOINT;
  private String apiKey;
  private boolean gzip = true;
  private Duration timeout = Duration.ofSeconds(10);
  private Clock clock = Clock.systemUTC();

  PostHogDestinationBuilder() {}

  /**
   * The PostHog host, e.g. {@code https://eu.i.posthog.com} or a self-hosted address; default
   * {@value PostHogDestination#DEFAULT_ENDPOINT}. Plain {@code http://} is accepted only for a
   * loopback host (a local test server).
   */
  public PostHogDestinationBuilder setEndpoint(String endpoint) {
    this.endpoint = checkEndpoint(endpoint, "endpoint");
    return this;
  }

  /** The project API key ({@code phc_…}). Required. */
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

  /** {@code gzip} (default) or {@code none}. */
  public PostHogDestinationBuilder setCompression(String compression) {
    String c = Objects.requireNonNull(compression, "compression").trim().toLowerCase(Locale.ROOT);
    if (!c.equals("gzip") && !c.equals("none")) {
      throw new IllegalArgumentException("compression must be gzip or none, not '" + compression + "'");
    }
    this.gzip = c.equals("gzip");
    return this;
  }

  /** Connect, read, write and whole-call time-out of one request. Default 10 s. */
  public PostHogDestinationBuilder setTimeout(Duration timeout) {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    return this;
  }

  /** The clock that dates in {@code Retry-After} are measured against (tests inject one). */
  public PostHogDestinationBuilder setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  public PostHogDestination build() {
    if (apiKey == null) {
      throw new IllegalArgumentException("the PostHog project API key is not set");
    }
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    return new PostHogDestination(base + "/batch/", apiKey, gzip, timeout, clock);
  }

  /** One client for the destination's life; created on first use, on the delivery worker. */
  static OkHttpClient newClient(Duration timeout) {
    long millis = timeout.toMillis();
    return new OkHttpClient.Builder()
        .connectTimeout(millis, TimeUnit.MILLISECONDS)
        .readTimeout(millis, TimeUnit.MILLISECONDS)
        .writeTimeout(millis, TimeUnit.MILLISECONDS)
        .callTimeout(millis, TimeUnit.MILLISECONDS)
        // A redirected POST turns into a GET and loses its body: treat a redirect as a wrong endpoint.
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .build();
  }

  /** Validates an HTTP endpoint: https, or http to a loopback host only. Shared with other HTTP destinations. */
  static String checkEndpoint(String endpoint, String what) {
    if (endpoint == null || endpoint.trim().isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    URI url;
    try {
      url = new URI(endpoint.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(what + " is not a valid URL, e.g. https://eu.i.posthog.com");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || url.getHost() == null) {
      throw new IllegalArgumentException(what + " must be an https URL with a host, e.g. https://eu.i.posthog.com");
    }
    if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(what + " must not hold credentials, a query or a fragment; put the key in its own setting");
    }
    String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
    if (scheme.equals("http") && !isLoopback(host)) {
      throw new IllegalArgumentException(what + " uses plain http to " + host
          + "; use https (plain http is only for a local test server on loopback)");
    }
    return endpoint.trim();
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literal addresses: never a DNS look-up from configuration code.
    if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":")) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
    return false;
  }
}
