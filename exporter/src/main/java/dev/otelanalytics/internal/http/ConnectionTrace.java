package dev.otelanalytics.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Response;

/**
 * What one call did with its connection, enough to recognise a <em>stale</em> one: a connection
 * taken from the pool (no connect for this call) that failed before any answer arrived.
 *
 * <p>A server that closes the connection after each answer (HTTP/1.0 style, as some proxies and
 * small servers do), or a load balancer that closes an idle keep-alive connection, leaves a dead
 * connection in the pool. OkHttp checks a pooled connection's socket only after it has been idle
 * for 10 s, so the next request is written into it and fails at once, although the server never
 * saw it. Browsers resend a request in exactly this case (a reused connection, nothing received),
 * and so does the destination, once, on a new connection.
 *
 * <p>Attach one to a request with {@code Request.Builder.tag(ConnectionTrace.class, trace)}; the
 * client's {@link #FACTORY} hands it the call's events.
 */
public final class ConnectionTrace extends EventListener {
  /** Gives each call the trace its request carries, or no listener at all. */
  public static final EventListener.Factory FACTORY = call -> {
    ConnectionTrace trace = call.request().tag(ConnectionTrace.class);
    return trace != null ? trace : EventListener.NONE;
  };

  private volatile boolean connected;
  private volatile boolean acquired;
  private volatile boolean answered;

  @Override
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
    connected = true;
  }

  @Override
  public void connectionAcquired(Call call, Connection connection) {
    acquired = true;
  }

  @Override
  public void responseHeadersEnd(Call call, Response response) {
    answered = true;
  }

  /**
   * Whether {@code failure} of this call is a stale pooled connection: the connection came from
   * the pool, no answer arrived on it, and the failure is not a time-out (a server that is slow to
   * answer may be working on the request: that waits for the backoff).
   *
   * @param failure what the call threw
   * @return true when one more attempt on a new connection is in order
   */
  public boolean staleConnection(IOException failure) {
    return acquired && !connected && !answered && !(failure instanceof InterruptedIOException);
  }
}
