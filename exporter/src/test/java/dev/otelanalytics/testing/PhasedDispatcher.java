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
}
