package dev.otelanalytics.collector;

import dev.otelanalytics.testing.PostHogRequests;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A fake PostHog that takes every batch and keeps each request body and event for the assertions. */
final class RecordingPostHog implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

  RecordingPostHog() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        bodies.add(request.getTarget() + " " + text(request));
        events.addAll(PostHogRequests.events(request));
        return new MockResponse.Builder().code(200).body("{\"status\":1}").build();
      }
    });
    server.start();
  }

  /** The body as sent, gunzipped when it was compressed: what a canary check must search. */
  private static String text(RecordedRequest request) {
    byte[] raw = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    if ("gzip".equals(request.getHeaders().get("Content-Encoding"))) {
      try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
        raw = in.readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The base URL to give the relay as {@code OTEL_EXPORTER_POSTHOG_ENDPOINT}. */
  String endpoint() {
    String url = server.url("/").toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Every event received so far. */
  List<Map<String, Object>> events() {
    return new ArrayList<>(events);
  }

  /** Every request line and decoded body received so far. */
  List<String> bodies() {
    return new ArrayList<>(bodies);
  }

  /** The events matching {@code which}. */
  List<Map<String, Object>> events(Predicate<Map<String, Object>> which) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> e : events) {
      if (which.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Waits until at least {@code count} events match {@code which}; returns whether they did in time. */
  boolean await(Predicate<Map<String, Object>> which, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (events(which).size() >= count) {
        return true;
      }
      Thread.sleep(100);
    }
    return events(which).size() >= count;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> event) {
    return (Map<String, Object>) event.get("properties");
  }

  @Override
  public void close() {
    server.close();
  }
}
