package dev.otelanalytics.destination;

import java.time.Duration;
import java.util.function.Function;
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

  private final Duration timeout;
  private OkHttpClient client;
  private volatile Call inFlight;

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

  /** Sends {@code request}, remembering it so that {@link #close()} can cancel it. */
  final DeliveryResult execute(Request request, Function<Response, DeliveryResult> interpret) {
    Call call = client().newCall(request);
    inFlight = call;
    try {
      return HttpSupport.execute(call, interpret);
    } finally {
      inFlight = null;
    }
  }

  /**
   * Cancels a request still in flight (its batch stays in the outbox) and releases the client.
   * Cancelling closes the socket: a thread blocked reading it would otherwise hold up the JVM's
   * exit by up to 300 ms, which HotSpot waits for threads in native code.
   */
  @Override
  public final synchronized void close() {
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
