package dev.otelanalytics.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Answers every request with whatever the current phase says (not a queue, which background
 * retries would consume in unpredictable order) and records which request got which status.
 */
public final class PhasedDispatcher extends Dispatcher {
  /** One request and the status it was answered with. */
  public record Exchange(RecordedRequest request, int status) {}

  private volatile Supplier<MockResponse> phase;
  private volatile boolean requestEffects;
  private final List<Exchange> exchanges = new ArrayList<>();

  public PhasedDispatcher(Supplier<MockResponse> initial) {
    this.phase = initial;
  }

  public void setPhase(Supplier<MockResponse> next) {
    this.phase = next;
  }

  public static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("{\"status\":\"Ok\"}").build();
  }

  /**
   * Makes the phases' request-side socket effects ({@code onRequestStart}, {@code onRequestBody}: a
   * connection reset while the body is read) apply, by {@link #peek() peeking} at the phase before
   * the request is read. A phase is then asked up to three times a request: it must decide from
   * state (such as {@link #exchanges()}), never by counting its calls.
   *
   * @return this dispatcher
   */
  public PhasedDispatcher withRequestEffects() {
    this.requestEffects = true;
    return this;
  }

  @Override
  public MockResponse peek() {
    return requestEffects ? phase.get() : super.peek();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse response = phase.get();
    synchronized (this) {
      exchanges.add(new Exchange(request, response.getCode()));
    }
    return response;
  }

  public synchronized List<Exchange> exchanges() {
    return new ArrayList<>(exchanges);
  }

  /** Events (as JSON maps) of every request answered 2xx. */
  public synchronized List<java.util.Map<String, Object>> deliveredEvents() {
    List<java.util.Map<String, Object>> out = new ArrayList<>();
    for (Exchange e : exchanges) {
      if (e.status() >= 200 && e.status() < 300) {
        out.addAll(PostHogRequests.events(e.request()));
      }
    }
    return out;
  }

  /**
   * The fault suites' accounting at the endpoint: each {@code uuid} delivered (answered 2xx), how
   * often, and whether any was delivered with two different contents (a corrupted resend).
   */
  public synchronized Accounting accounting() {
    java.util.Map<String, Integer> times = new java.util.LinkedHashMap<>();
    java.util.Map<String, String> content = new java.util.HashMap<>();
    java.util.Set<String> conflicting = new java.util.TreeSet<>();
    for (java.util.Map<String, Object> event : deliveredEvents()) {
      String uuid = String.valueOf(event.get("uuid"));
      times.merge(uuid, 1, Integer::sum);
      String body = String.valueOf(event.get("event")) + event.get("properties") + event.get("timestamp");
      String earlier = content.putIfAbsent(uuid, body);
      if (earlier != null && !earlier.equals(body)) {
        conflicting.add(uuid);
      }
    }
    java.util.Set<String> duplicated = new java.util.TreeSet<>();
    times.forEach((uuid, n) -> {
      if (n > 1) {
        duplicated.add(uuid);
      }
    });
    return new Accounting(new java.util.LinkedHashSet<>(times.keySet()), duplicated, conflicting);
  }

  /**
   * What reached the endpoint.
   *
   * @param delivered every distinct uuid answered 2xx at least once
   * @param duplicated uuids delivered more than once (at-least-once delivery may resend after a lost answer)
   * @param conflicting uuids delivered with two different contents: never acceptable
   */
  public record Accounting(java.util.Set<String> delivered, java.util.Set<String> duplicated, java.util.Set<String> conflicting) {}
}
