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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;

/** What the HTTP destinations share: endpoint checks, the client, and what a failed call means. */
final class HttpSupport {
  private HttpSupport() {}

  /** {@code application/json}, in a holder: checking an endpoint loads no part of the HTTP client. */
  private static final class Json {
    static final MediaType TYPE = MediaType.get("application/json; charset=utf-8");
  }

  static MediaType json() {
    return Json.TYPE;
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
        // Not OkHttp's own retries: they also resend a request that was written in full on a new
        // connection, once for each address of the host, without a backoff and unseen by the delivery
        // stats. A stale pooled connection is the one case resent at once (HttpDestination.execute).
        .retryOnConnectionFailure(false)
        .eventListenerFactory(ConnectionTrace.FACTORY)
        .build();
  }

  /** An authority's host and port, for saying which of them is wrong: {@code [user@]host[:port]}. */
  private static final Pattern AUTHORITY = Pattern.compile("(?:[^@]*@)?(\\[[^\\]]*\\]|[^:]*)(?::(.*))?");

  /**
   * Validates an HTTP endpoint in full, so that whatever passes can be sent to: https (or http to
   * a loopback host only), a host name or IP address, a port from 1 to 65535 or none, and no
   * credentials, query or fragment. The one-line message says what is wrong and shows
   * {@code example}; it never repeats the endpoint, which may hold a secret pasted by mistake.
   *
   * @param endpoint the endpoint as configured
   * @param what how the message names it, e.g. {@code endpoint}
   * @param example a good endpoint for this destination, e.g. {@code https://eu.i.posthog.com}
   * @return the endpoint, trimmed
   * @throws IllegalArgumentException when it is not usable
   */
  static String checkEndpoint(String endpoint, String what, String example) {
    if (endpoint == null || endpoint.trim().isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    String trimmed = endpoint.trim();
    URI url;
    try {
      url = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(what + " is not a valid URL, e.g. " + example);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException(what + " must be an https URL with a host, e.g. " + example);
    }
    if (url.getRawAuthority() == null || url.getRawAuthority().startsWith(":")
        || url.getRawAuthority().matches("[^@]*@(:.*)?")) {
      throw new IllegalArgumentException(what + " has no host name, e.g. " + example);
    }
    if (url.getHost() == null) {
      // java.net.URI took the authority as a registry name: say whether the port or the host is at fault.
      Matcher parts = AUTHORITY.matcher(url.getRawAuthority());
      String port = parts.matches() ? parts.group(2) : null;
      if (port != null && !port.isEmpty() && !port.matches("\\d+")) {
        throw new IllegalArgumentException(what + " has a port that is not a number from 1 to 65535");
      }
      if (port != null && port.matches("\\d{6,}")) {
        checkPort(url, what); // too long for java.net.URI's port: out of range
      }
      throw new IllegalArgumentException(what + " has no valid host name (letters, digits, hyphens and dots, or an IP"
          + " address), e.g. " + example);
    }
    checkPort(url, what);
    if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(what + " must not hold credentials, a query or a fragment; put the key in its own setting");
    }
    String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
    if (url.getHost().startsWith("[") && host.indexOf('%') >= 0) {
      throw new IllegalArgumentException(what + " has an IPv6 address with a zone (%...), which the HTTP client cannot send to;"
          + " use a host name or the address without its zone");
    }
    if (scheme.equals("http") && !isLoopback(host)) {
      throw new IllegalArgumentException(what + " uses plain http to " + host
          + "; use https (plain http is only for a local test server on loopback)");
    }
    // What passes is a URL the HTTP client takes (tested against its parser); the client itself is
    // not asked here, so that configuring a destination loads none of it on the app's thread.
    return trimmed;
  }

  private static void checkPort(URI url, String what) {
    // java.net.URI takes any digits as a port; the HTTP client refuses 0 and anything over 65535 when
    // it builds the request, which would fail every send.
    String authority = url.getRawAuthority();
    Matcher parts = AUTHORITY.matcher(authority);
    String digits = parts.matches() && parts.group(2) != null ? parts.group(2) : "";
    if (digits.isEmpty()) {
      return; // none, or "host:" (the scheme's default)
    }
    String port = digits.replaceFirst("^0+(?=\\d)", "");
    if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException(what + " has port " + (port.length() > 7 ? port.substring(0, 7) + "…" : port)
          + "; a port is 1 to 65535, or leave it out (https uses 443)");
    }
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
