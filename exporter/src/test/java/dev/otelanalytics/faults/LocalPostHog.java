package dev.otelanalytics.faults;

import com.sun.net.httpserver.HttpServer;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.PhasedDispatcher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A PostHog batch endpoint on loopback built on the JDK's HTTP server, for throughput: it answers
 * 200 as soon as it has read a request, and keeps only each uuid's count and content. (A server
 * that writes the status line and the body in separate packets without TCP_NODELAY meets the
 * client's delayed ACK and costs about 40 ms a request on loopback: that measures the server.)
 */
final class LocalPostHog implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Integer> times = new LinkedHashMap<>();
  private final Map<String, String> content = new HashMap<>();
  private final Set<String> conflicting = new TreeSet<>();
  private int requests;
  /** While set, requests wait on it unanswered: a stalled endpoint. */
  private volatile java.util.concurrent.CountDownLatch stall;

  LocalPostHog() throws IOException {
    this(0);
  }

  /** @param answerAfterMillis how long each answer takes, as a round trip to PostHog over the internet would */
  LocalPostHog(long answerAfterMillis) throws IOException {
    // The status line and the body go out in separate writes: without TCP_NODELAY the second waits
    // for the client's delayed ACK (40 ms on Linux loopback).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "local-posthog");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      java.util.concurrent.CountDownLatch stalled = stall;
      if (stalled != null) {
        try {
          stalled.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (answerAfterMillis > 0) {
        try {
          Thread.sleep(answerAfterMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      record(Json.object(new String(body, StandardCharsets.UTF_8)));
      byte[] answer = "{\"status\":1}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();
  }

  @SuppressWarnings("unchecked")
  private synchronized void record(Map<String, Object> body) {
    requests++;
    for (Map<String, Object> event : (List<Map<String, Object>>) body.get("batch")) {
      String uuid = String.valueOf(event.get("uuid"));
      times.merge(uuid, 1, Integer::sum);
      String text = String.valueOf(event.get("event")) + event.get("properties") + event.get("timestamp");
      String earlier = content.putIfAbsent(uuid, text);
      if (earlier != null && !earlier.equals(text)) {
        conflicting.add(uuid);
      }
    }
  }

  /** From now on requests get no answer until {@link #answer()}. */
  void stall() {
    stall = new java.util.concurrent.CountDownLatch(1);
  }

  /** Answers the stalled requests and every later one. */
  void answer() {
    java.util.concurrent.CountDownLatch stalled = stall;
    stall = null;
    if (stalled != null) {
      stalled.countDown();
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  synchronized int requests() {
    return requests;
  }

  synchronized PhasedDispatcher.Accounting accounting() {
    Set<String> duplicated = new TreeSet<>();
    times.forEach((uuid, n) -> {
      if (n > 1) {
        duplicated.add(uuid);
      }
    });
    return new PhasedDispatcher.Accounting(new LinkedHashSet<>(times.keySet()), duplicated, new TreeSet<>(conflicting));
  }

  @Override
  public void close() {
    answer();
    server.stop(0);
  }
}
