package dev.otelanalytics.destination;

import dev.otelanalytics.internal.http.ConnectionTrace;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;

/** What the HTTP destinations share: endpoint checks, the client, and what a failed call means. */
final class HttpSupport {
  private HttpSupport() {}

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
        // Not OkHttp's own retries: they also resend a request that was written in full on a new
        // connection, once for each address of the host, without a backoff and unseen by the delivery
        // stats. A stale pooled connection is the one case resent at once (HttpDestination.execute).
        .retryOnConnectionFailure(false)
        .eventListenerFactory(ConnectionTrace.FACTORY)
        .build();
  }

  /** Validates an HTTP endpoint: https, or http to a loopback host only. */
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

  /**
   * {@code endpoint} (already {@link #checkEndpoint checked}) without trailing slashes, and without
   * {@code apiPath} when its path ends with it: people paste the whole API address they found in
   * the destination's documentation. A base path in front of it (a reverse proxy's prefix) stays.
   */
  static String base(String endpoint, String apiPath) {
    String base = withoutTrailingSlashes(endpoint);
    if (pathEndsWith(base, apiPath)) {
      base = withoutTrailingSlashes(base.substring(0, base.length() - apiPath.length()));
    }
    return base;
  }

  /** True when the path of {@code url} ends with {@code suffix} (ignoring trailing slashes and case). */
  static boolean pathEndsWith(String url, String suffix) {
    String path = URI.create(withoutTrailingSlashes(url)).getRawPath();
    return path != null && path.toLowerCase(Locale.ROOT).endsWith(suffix.toLowerCase(Locale.ROOT));
  }

  private static String withoutTrailingSlashes(String url) {
    String out = url;
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
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

  /**
   * What a call that threw {@code e} means for its batch: a retry, whatever the failure (a
   * time-out, an I/O error, a call cancelled at shutdown). Never names the URL (it may hold a secret).
   */
  static DeliveryResult failure(Call call, IOException e) {
    if (e instanceof InterruptedIOException) {
      return DeliveryResult.retry("timed out", null);
    }
    return DeliveryResult.retry(call.isCanceled() ? "cancelled at shutdown" : "I/O error " + e.getClass().getSimpleName(), null);
  }
}
