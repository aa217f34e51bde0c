package dev.otelanalytics.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.testing.PhasedDispatcher;
import dev.otelanalytics.testing.PostHogRequests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A relay started in this JVM with its settings in a map, delivering to a MockWebServer that
 * answers as PostHog does; and a plain HTTP client to talk OTLP/HTTP to it.
 */
final class RelayHarness implements AutoCloseable {
  static final String HASH_KEY = "relay-test-shared-hash-key-0123456789";
  static final String API_KEY = "phc_relayTestProjectKey42";
  static final String POLICY = String.join("\n",
      "version: 1",
      "events:",
      "  spans: local-root",
      "  span_events: [cache.miss]",
      "attributes:",
      "  allow:",
      "    - {key: http.route, why: \"which endpoint template\", type: route}",
      "    - {key: cli.command, why: \"which command\", type: text}",
      "    - {key: http.response.status_code, why: \"how requests end\", type: int}",
      "    - {key: feature.flags, why: \"which features are on\"}",
      "    - {key: cache.tier, why: \"which cache missed\"}",
      "  hash:",
      "    - {key: enduser.id, why: \"count distinct users without knowing who they are\"}",
      "resource:",
      "  allow:",
      "    - {key: service.name, why: \"which service sent it\"}",
      "    - {key: service.version, why: \"which version\"}",
      "metrics:",
      "  allow:",
      "    - {key: requests.count, why: \"how many requests\"}",
      "    - {key: request.duration, why: \"how long requests take\"}",
      "  report_interval: 1s",
      "");

  final MockWebServer postHog = new MockWebServer();
  final PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(200));
  final Path stateDir;
  final Map<String, String> settings = new HashMap<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  OtlpRelay relay;
  private final List<Map<String, Object>> decoded = new ArrayList<>();
  private int decodedRequests;

  private RelayHarness(Path dir) {
    this.stateDir = dir.resolve("state");
  }

  /** A relay with the test policy, the shared hash key and PostHog as its destination; {@code extra} settings on top. */
  static RelayHarness start(Path dir, Map<String, String> extra) throws IOException {
    RelayHarness h = new RelayHarness(dir);
    h.postHog.setDispatcher(h.dispatcher);
    h.postHog.start();
    Path policy = dir.resolve("policy.yaml");
    Files.write(policy, POLICY.getBytes(StandardCharsets.UTF_8));
    h.settings.put("otel.analytics.relay.endpoint", "127.0.0.1:0");
    h.settings.put("otel.analytics.state.dir", h.stateDir.toString());
    h.settings.put("otel.analytics.policy.file", policy.toString());
    h.settings.put("otel.analytics.hash.key", HASH_KEY);
    h.settings.put("otel.analytics.destination", "posthog");
    h.settings.put("otel.exporter.posthog.endpoint", h.postHog.url("/").toString());
    h.settings.put("otel.exporter.posthog.api.key", API_KEY);
    h.settings.put("otel.analytics.flush.interval", "100ms");
    h.settings.put("otel.analytics.shutdown.timeout", "5s");
    h.settings.put("otel.service.name", "relay-under-test");
    h.settings.putAll(extra);
    h.relay = OtlpRelay.builder().setSettings(h.settings::get).start();
    return h;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + relay.address().getPort() + path);
  }

  String endpoint() {
    return "http://127.0.0.1:" + relay.address().getPort();
  }

  HttpResponse<byte[]> post(String path, byte[] body, String contentType, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Every PostHog request body so far, gunzipped, as text. */
  List<String> postHogBodies() {
    List<String> out = new ArrayList<>();
    for (PhasedDispatcher.Exchange e : dispatcher.exchanges()) {
      out.add(text(e.request()));
    }
    return out;
  }

  /** Every event PostHog received so far, in order; each request is decoded once. */
  synchronized List<Map<String, Object>> events() {
    List<PhasedDispatcher.Exchange> exchanges = dispatcher.exchanges();
    for (int i = decodedRequests; i < exchanges.size(); i++) {
      decoded.addAll(PostHogRequests.events(exchanges.get(i).request()));
    }
    decodedRequests = exchanges.size();
    return new ArrayList<>(decoded);
  }

  /** Waits (bounded) until PostHog received at least {@code count} events. */
  List<Map<String, Object>> awaitEvents(int count, Duration most) throws InterruptedException {
    long deadline = System.nanoTime() + most.toNanos();
    List<Map<String, Object>> events = events();
    while (events.size() < count && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
      events = events();
    }
    assertThat(events).as("events received by PostHog").hasSizeGreaterThanOrEqualTo(count);
    return events;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> event) {
    return (Map<String, Object>) event.get("properties");
  }

  static String text(RecordedRequest request) {
    byte[] raw = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    if ("gzip".equals(request.getHeaders().get("Content-Encoding"))) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        raw = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new String(raw, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    if (relay != null) {
      relay.shutdown().join(15, TimeUnit.SECONDS);
    }
    postHog.close();
  }
}
