package dev.otelanalytics.relay.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The relay's threads: all daemons, named, bounded. */
public final class RelayThreads {
  /** Connections waiting for an HTTP thread; beyond them the server's own thread runs the (cheap) 503. */
  static final int WAITING_EXCHANGES = 256;

  private RelayThreads() {}

  /**
   * The HTTP server's executor: {@code threads} daemon threads, at most {@link #WAITING_EXCHANGES}
   * exchanges waiting. When they are all taken, the server's dispatcher thread runs the handler
   * itself, which answers 503 at once without reading the body when all read permits are taken:
   * the queue never grows without bound, and no exchange is dropped unanswered.
   */
  public static ExecutorService httpPool(int threads) {
    return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<Runnable>(WAITING_EXCHANGES),
        named("otel-analytics-relay-http"), new ThreadPoolExecutor.CallerRunsPolicy());
  }

  /** One daemon thread for the usage-report timer. */
  public static ScheduledExecutorService timer() {
    return Executors.newSingleThreadScheduledExecutor(named("otel-analytics-relay-reports"));
  }

  /**
   * Bounds how long a client may take to send a request (15 s: a 4 MiB body at 2 Mbit/s) or read an
   * answer (60 s) in the JDK's server, which waits forever by default; unless the JVM was started
   * with other values.
   * Read by the server once, when the first one is made.
   */
  public static void limitSlowRequests() {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "15");
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", "60");
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
