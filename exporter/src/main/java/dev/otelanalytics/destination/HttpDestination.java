package dev.otelanalytics.destination;

import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.http.ConnectionTrace;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Level;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * What the HTTP destinations share: one OkHttp client, created on first use on the delivery
 * thread, and the request in flight, cancelled on {@link #close()}.
 */
abstract class HttpDestination implements Destination {
  /** How long one request may take, unless the builder was told otherwise. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final ThrottledLogger logger = ThrottledLogger.get(HttpDestination.class);

  private final Duration timeout;
  private OkHttpClient client;
  private volatile Call inFlight;
  private volatile boolean closed;

  HttpDestination(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public final boolean isRemote() {
    return true;
  }

  /** Loads OkHttp (and Kotlin's standard library) and builds the client; sends nothing. */
  @Override
  public void warmUp() {
    try {
      client();
    } catch (RuntimeException | LinkageError e) {
      // The first real send will report what is wrong.
    }
  }

  final synchronized OkHttpClient client() {
    if (client == null) {
      client = HttpSupport.newClient(timeout);
    }
    return client;
  }

  /**
   * Sends {@code request} and interprets the answer, remembering the call so that {@link #close()}
   * can cancel it. Never throws: a time-out or I/O error is a retry.
   *
   * <p>A request that failed on a stale pooled connection ({@link ConnectionTrace#staleConnection})
   * is sent once more, at once, on a new connection. Resending it costs no more than the retry it
   * would otherwise become: the batch would be resent after a backoff with the same uuids anyway.
   * What the resend saves is that wait, which a CLI does not live to see (a server closing the
   * connection after each answer let only one batch a run through). It is one resend, never a loop.
   */
  final DeliveryResult execute(Request request, Function<Response, DeliveryResult> interpret) {
    ConnectionTrace trace = new ConnectionTrace();
    Call call = start(request, trace);
    try (Response response = call.execute()) {
      return interpret.apply(response);
    } catch (IOException e) {
      if (closed || call.isCanceled() || !trace.staleConnection(e)) {
        return HttpSupport.failure(call, e);
      }
    } finally {
      inFlight = null;
    }
    // Other idle connections to the same server are likely as dead: the resend opens a new one.
    client().connectionPool().evictAll();
    logger.log(Level.FINE, "otel-analytics: " + name() + " had closed a kept-alive connection; sending again on a new one");
    Call again = start(request, new ConnectionTrace());
    try (Response response = again.execute()) {
      return interpret.apply(response);
    } catch (IOException e) {
      return HttpSupport.failure(again, e);
    } finally {
      inFlight = null;
    }
  }

  private Call start(Request request, ConnectionTrace trace) {
    Call call = client().newCall(request.newBuilder().tag(ConnectionTrace.class, trace).build());
    inFlight = call;
    if (closed) {
      call.cancel(); // close() ran before this call was in flight
    }
    return call;
  }

  /**
   * Cancels a request still in flight (its batch stays in the outbox) and releases the client.
   * Cancelling closes the socket: a thread blocked reading it would otherwise hold up the JVM's
   * exit by up to 300 ms, which HotSpot waits for threads in native code.
   */
  @Override
  public final synchronized void close() {
    closed = true;
    Call call = inFlight;
    if (call != null) {
      call.cancel();
    }
    if (client != null) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
