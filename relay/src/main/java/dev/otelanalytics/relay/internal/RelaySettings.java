package dev.otelanalytics.relay.internal;

import dev.otelanalytics.internal.config.InvalidSettingException;
import dev.otelanalytics.internal.config.SettingsReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/**
 * The relay's own settings, read once and validated: where it listens
 * ({@code OTEL_ANALYTICS_RELAY_ENDPOINT}), the bearer token it asks for
 * ({@code OTEL_ANALYTICS_RELAY_TOKEN}) and the body size limit
 * ({@code OTEL_ANALYTICS_RELAY_MAX_BODY_SIZE}). Everything else is the analytics settings every
 * entry point shares ({@code AnalyticsConfig}). Each variable is also the system property in
 * lower case with dots ({@code otel.analytics.relay.endpoint}); a system property wins.
 */
public final class RelaySettings {
  public static final String ENDPOINT = "otel.analytics.relay.endpoint";
  public static final String TOKEN = "otel.analytics.relay.token";
  public static final String MAX_BODY_SIZE = "otel.analytics.relay.max.body.size";

  /** Loopback only, one above the Collector's OTLP/HTTP port 4318. */
  public static final String DEFAULT_ENDPOINT = "127.0.0.1:4319";
  /** 4 MiB: compressed and again decompressed; the OTLP spec recommends 64 MiB for general receivers. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
  /** Largest body limit accepted: a request body is held in memory whole. */
  public static final long MAX_MAX_BODY_BYTES = 256L * 1024 * 1024;
  /** Shortest token accepted: a shorter one can be guessed. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private final String host;
  private final int port;
  private final String token;
  private final long maxBodyBytes;

  private RelaySettings(String host, int port, String token, long maxBodyBytes) {
    this.host = host;
    this.port = port;
    this.token = token;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Reads the relay's settings.
   *
   * @param settings looks a setting up by its property name; returns null when it is not set
   * @throws RelaySettingException naming the setting that is wrong and what would be right
   */
  public static RelaySettings read(Function<String, String> settings) throws RelaySettingException {
    SettingsReader reader = new SettingsReader(settings);
    String endpoint = reader.raw(ENDPOINT);
    String[] hostPort = parseEndpoint(endpoint == null ? DEFAULT_ENDPOINT : endpoint);
    long maxBody;
    try {
      maxBody = reader.byteSize(MAX_BODY_SIZE, DEFAULT_MAX_BODY_BYTES);
    } catch (InvalidSettingException e) {
      throw new RelaySettingException(e.getMessage());
    }
    if (maxBody > MAX_MAX_BODY_BYTES) {
      throw new RelaySettingException(name(MAX_BODY_SIZE) + " is '" + printable(reader.raw(MAX_BODY_SIZE))
          + "': expected a size from 1KiB to 256MiB, e.g. 4MiB (the default)");
    }
    return new RelaySettings(hostPort[0], Integer.parseInt(hostPort[1]), token(reader.raw(TOKEN)), maxBody);
  }

  /** The address to listen on; resolving a host name may block. */
  public InetSocketAddress address() throws RelaySettingException {
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new RelaySettingException(name(ENDPOINT) + ": the host '" + printable(host)
          + "' cannot be resolved; use an address such as 127.0.0.1:4319 (the default)");
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The bearer token clients must send, or null when none is asked for. */
  public String token() {
    return token;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  @Override
  public String toString() {
    return "RelaySettings{endpoint=" + host + ":" + port + ", token=" + (token == null ? "none" : "<redacted>")
        + ", maxBodyBytes=" + maxBodyBytes + "}";
  }

  /** {@code host:port} or {@code [ipv6]:port}; port 0 picks a free port. */
  static String[] parseEndpoint(String value) throws RelaySettingException {
    String v = value.trim();
    String host;
    String port;
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      if (close < 0 || close + 1 >= v.length() || v.charAt(close + 1) != ':') {
        throw badEndpoint(value);
      }
      host = v.substring(1, close);
      port = v.substring(close + 2);
    } else {
      int colon = v.lastIndexOf(':');
      if (colon <= 0 || v.indexOf(':') != colon) {
        throw badEndpoint(value);
      }
      host = v.substring(0, colon);
      port = v.substring(colon + 1);
    }
    if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+") || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw badEndpoint(value);
    }
    return new String[] {host, port};
  }

  private static String token(String value) throws RelaySettingException {
    if (value == null) {
      return null;
    }
    if (value.length() < MIN_TOKEN_LENGTH) {
      // Never echo the token itself.
      throw new RelaySettingException(name(TOKEN) + ": the token is " + value.length() + " characters long; use at least "
          + MIN_TOKEN_LENGTH + " random characters (e.g. the output of 'openssl rand -hex 32')");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new RelaySettingException(name(TOKEN) + ": the token may hold only visible ASCII characters, no spaces"
            + " (e.g. the output of 'openssl rand -hex 32')");
      }
    }
    return value;
  }

  private static RelaySettingException badEndpoint(String value) {
    return new RelaySettingException(name(ENDPOINT) + " is '" + printable(value)
        + "': expected host:port, e.g. 127.0.0.1:4319 (the default), [::1]:4319, or 0.0.0.0:4319 to listen on every"
        + " interface (then set OTEL_ANALYTICS_RELAY_TOKEN too)");
  }

  /** {@code OTEL_X (-Dx)}. */
  static String name(String property) {
    return InvalidSettingException.envName(property) + " (-D" + property + ")";
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && i < 100; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return text.length() > 100 ? out + "…" : out.toString();
  }
}
