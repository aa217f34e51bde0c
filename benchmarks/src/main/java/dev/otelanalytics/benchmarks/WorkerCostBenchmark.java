package dev.otelanalytics.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.posthog.PostHogBenchmarkAccess;
import com.posthog.PostHogEvent;
import com.posthog.internal.PostHogBatchEvent;
import com.posthog.server.PostHog;
import com.posthog.server.PostHogConfig;
import com.posthog.server.PostHogInterface;
import com.posthog.vendor.uuid.TimeBasedEpochGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.OsType;
import dev.otelanalytics.internal.event.PostHogBatchBody;
import dev.otelanalytics.internal.event.SpanEventMapper;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.policy.PrivacyPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the worker thread pays per event to turn finished spans into the body of a PostHog batch
 * request, next to two ways a team could send the same events without otel-analytics, in the same
 * run. Every invocation handles the same {@value #EVENTS} spans (as {@link SpanData}, built once
 * through a real {@link SdkTracerProvider}), cut into bodies of {@code batchSize} events; results
 * are per event ({@code @OperationsPerInvocation}), so is {@code -prof gc}'s {@code gc.alloc.rate.norm}.
 *
 * <ul>
 *   <li>{@link #otelAnalytics}: our worker's path. {@link SpanEventMapper#map} on each span, with
 *       the mapper built as {@code OtelAnalyticsBuilder} builds it (an {@link AttributeScrubber}
 *       with a {@link KeyedHasher}, the service name override), so every attribute is checked
 *       against its typed policy entry and the value guards, and two of them are HMAC-hashed; then
 *       the events are encoded into the batch body by {@link PostHogBatchBody}, the encoder
 *       {@code PostHogDestination.send} uses, without gzip and without HTTP; setup checks it byte
 *       for byte against what the real destination posts.
 *   <li>{@link #objectMapper}: the same events, already built as plain maps from the same span
 *       data (same keys, raw values, nothing scrubbed or hashed: what a team writing its own events
 *       would send), written as the same {@code {"api_key", "batch"}} body with one shared Jackson
 *       {@link ObjectMapper#writeValueAsBytes}.
 *   <li>{@link #postHogServerGson}: the same events as posthog-server 2.3.0's own
 *       {@link PostHogEvent}s (built in setup, as its {@code capture} builds them), encoded into a
 *       {@link PostHogBatchEvent} by the client's own Gson (its serializer, taken from a live
 *       client), as its {@code PostHogApi.batch} does, without gzip and without HTTP.
 *   <li>{@link #gzipOfBody}: gzip of our already encoded bodies (default level, as both clients
 *       use), to add to each of the three alike.
 * </ul>
 *
 * <p>Only our path maps and scrubs: the other two start from ready-made events (their building
 * happens on the app thread in {@code capture}, or in the team's own code). Setup checks that the
 * three bodies hold the same events: each parses as JSON with a {@code batch} of
 * {@code batchSize} items, and event {@code k} has the same name and property keys in all three.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WorkerCostBenchmark {
  /** Spans (and so events) handled by one invocation; batchSize must divide it. */
  static final int EVENTS = 100;
  static final String API_KEY = "phc_benchmark0123456789abcdefghijklmnopqrstuvw";
  static final String SERVICE_NAME = "shop-cli";
  static final String SERVICE_VERSION = "1.4.2";
  /** posthog-server's {@code $lib} and {@code $lib_version}, which its capture adds to every event. */
  static final String POSTHOG_LIB = "posthog-server";
  static final String POSTHOG_LIB_VERSION = "2.3.0";

  /** Events per request body: 100 is our default batch; PostHog's client sends at most 50. Must divide 100. */
  @Param({"100"})
  public int batchSize;

  /** Attributes per span: with 10 or more, two of them are hashed. */
  @Param({"1", "10", "50"})
  public int attributes;

  private SpanEventMapper mapper;
  private final PostHogBatchBody encoder = new PostHogBatchBody();
  private SpanData[] spans;
  private AttributeScrubber scrubber;

  private final ObjectMapper objectMapper = new ObjectMapper();
  private List<Map<String, Object>> plainEvents;

  private Gson postHogGson;
  private List<PostHogEvent> postHogEvents;

  private List<byte[]> ourBodies;

  @Setup
  public void setUp() throws Exception {
    if (batchSize < 1 || EVENTS % batchSize != 0) {
      throw new IllegalArgumentException("batchSize must divide " + EVENTS + " (1, 2, 4, 5, 10, 20, 25, 50 or 100), not " + batchSize);
    }
    List<RealisticAttributes.Spec> specs = RealisticAttributes.first(attributes);
    PrivacyPolicy policy = RealisticAttributes.policy(specs);
    String installId = UUID.randomUUID().toString();
    // As OtelAnalyticsBuilder.start builds it (forwarding off).
    scrubber = new AttributeScrubber(policy, new KeyedHasher("benchmark-key-0123456789".getBytes(StandardCharsets.UTF_8)),
        Collections.singletonMap("service.name", SERVICE_NAME), Collections.singletonMap("os.type", OsType.current()), false);
    mapper = new SpanEventMapper(scrubber, installId, "");

    spans = spans(specs);
    plainEvents = new ArrayList<>(EVENTS);
    postHogEvents = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      SpanData span = spans[i];
      Map<String, Object> properties = plainProperties(span, specs, i);
      UUID uuid = TimeBasedEpochGenerator.INSTANCE.generate();
      long endMillis = TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos());
      Map<String, Object> plain = new LinkedHashMap<>();
      plain.put("event", span.getName());
      plain.put("distinct_id", installId);
      plain.put("properties", properties);
      plain.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(endMillis)));
      plain.put("uuid", uuid.toString());
      plainEvents.add(plain);
      // As PostHogStateless.buildEvent makes it (properties merged into a new LinkedHashMap there too).
      postHogEvents.add(new PostHogEvent(span.getName(), installId, new LinkedHashMap<>(properties), new Date(endMillis), uuid,
          null, null, null, null));
    }

    // posthog-server's own serializer, from a client that never sends anything (nothing is captured).
    PostHogInterface client = PostHog.with(PostHogConfig.builder(API_KEY).host("http://127.0.0.1:9").build());
    try {
      postHogGson = PostHogBenchmarkAccess.coreConfig(client).getSerializer().getGson();
    } finally {
      client.close();
    }

    selfCheck(specs);
  }

  /** The built-in properties our mapper makes, the attributes' raw values and the same PostHog controls. */
  private static Map<String, Object> plainProperties(SpanData span, List<RealisticAttributes.Spec> specs, int i) {
    Map<String, Object> properties = new LinkedHashMap<>();
    // posthog-server's capture puts its SDK info first, then the caller's properties.
    properties.put("$lib", POSTHOG_LIB);
    properties.put("$lib_version", POSTHOG_LIB_VERSION);
    properties.put("duration_ms", (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000_000L);
    properties.put("success", true);
    properties.putAll(RealisticAttributes.rawValues(specs, i));
    properties.put("service.name", SERVICE_NAME);
    properties.put("service.version", SERVICE_VERSION);
    properties.put("$process_person_profile", false);
    properties.put("$geoip_disable", true);
    return properties;
  }

  /** {@value #EVENTS} ended root spans with the given attributes, as SpanData; durations and end times differ. */
  static SpanData[] spans(List<RealisticAttributes.Spec> specs) {
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), SERVICE_NAME,
            AttributeKey.stringKey("service.version"), SERVICE_VERSION)))
        .addSpanProcessor(SimpleSpanProcessor.create(new SpanEndBenchmark.DiscardingExporter()))
        .build();
    SpanData[] out = new SpanData[EVENTS];
    long start = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 60_000);
    for (int i = 0; i < EVENTS; i++) {
      long spanStart = start + TimeUnit.MILLISECONDS.toNanos(i * 250L);
      Span span = RealisticAttributes.setOn(provider.get("benchmark").spanBuilder(RealisticAttributes.command(i)), specs, i)
          .setNoParent()
          .setStartTimestamp(spanStart, TimeUnit.NANOSECONDS)
          .startSpan();
      span.end(spanStart + TimeUnit.MICROSECONDS.toNanos(3_000 + (i * 7919L) % 900_000), TimeUnit.NANOSECONDS);
      out[i] = ((ReadableSpan) span).toSpanData();
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
    return out;
  }

  /**
   * Our worker: map and scrub each span, encode the events into PostHog batch bodies. Per event.
   */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void otelAnalytics(Blackhole bh) throws IOException {
    List<AnalyticsEvent> events = new ArrayList<>(batchSize);
    for (SpanData span : spans) {
      mapper.map(span, events::add);
      if (events.size() >= batchSize) {
        // As PostHogDestination does: one encoder whose buffers serve body after body.
        bh.consume(encoder.encode(API_KEY, events, PostHogDestination.MAX_EVENT_BYTES).length());
        events = new ArrayList<>(batchSize);
      }
    }
  }

  /** The same events as plain maps, written with a shared ObjectMapper. Per event. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void objectMapper(Blackhole bh) throws IOException {
    for (int from = 0; from < EVENTS; from += batchSize) {
      bh.consume(objectMapperBody(plainEvents.subList(from, from + batchSize)));
    }
  }

  /** The same events as posthog-server's PostHogEvents, encoded by its own Gson. Per event. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void postHogServerGson(Blackhole bh) throws IOException {
    for (int from = 0; from < EVENTS; from += batchSize) {
      bh.consume(postHogBody(postHogEvents.subList(from, from + batchSize)));
    }
  }

  /** Gzip of our encoded bodies (the same {@value #EVENTS} events), default level. Per event. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void gzipOfBody(Blackhole bh) throws IOException {
    for (byte[] body : ourBodies) {
      bh.consume(gzip(body));
    }
  }

  private byte[] objectMapperBody(List<Map<String, Object>> events) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("api_key", API_KEY);
    body.put("batch", events);
    return objectMapper.writeValueAsBytes(body);
  }

  /** As posthog-server's PostHogApi.batch: a new PostHogBatchEvent, sent_at now, Gson into a buffered UTF-8 writer. */
  private byte[] postHogBody(List<PostHogEvent> events) throws IOException {
    PostHogBatchEvent batch = new PostHogBatchEvent(API_KEY, events, new Date());
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    // Kotlin's OutputStream.bufferedWriter(): UTF-8, 8 KiB buffer.
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 8192);
    postHogGson.toJson(batch, PostHogBatchEvent.class, writer);
    writer.flush();
    return out.toByteArray();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(raw);
    }
    return out.toByteArray();
  }

  /** Fails the run unless the three ways give the same events, and our copy of the encoding is the destination's. */
  private void selfCheck(List<RealisticAttributes.Spec> specs) throws IOException {
    List<AnalyticsEvent> ours = new ArrayList<>();
    for (SpanData span : spans) {
      mapper.map(span, ours::add);
    }
    check(ours.size() == EVENTS, "the mapper made " + ours.size() + " events of " + EVENTS + " spans");
    long dropped = scrubber.keysNotAllowed() + scrubber.valuesNotOfType() + scrubber.valuesOutsideEnum()
        + scrubber.guardDrops().values().stream().mapToLong(Long::longValue).sum();
    check(dropped == 0, "the policy dropped or replaced " + dropped + " values (" + scrubber.guardDrops() + "); the spans' values"
        + " should all fit their types");
    ourBodies = new ArrayList<>();
    List<byte[]> plainBodies = new ArrayList<>();
    List<byte[]> postHogBodies = new ArrayList<>();
    for (int from = 0; from < EVENTS; from += batchSize) {
      ourBodies.add(postHogBody(API_KEY, ours.subList(from, from + batchSize)));
      plainBodies.add(objectMapperBody(plainEvents.subList(from, from + batchSize)));
      postHogBodies.add(postHogBody(postHogEvents.subList(from, from + batchSize)));
    }
    checkSameAsDestination(ours.subList(0, batchSize), ourBodies.get(0));
    int expectedKeys = 2 + specs.size() + 2 + 4; // duration_ms, success; attributes; service.*; the four $ controls
    for (int b = 0; b < ourBodies.size(); b++) {
      JsonNode a = batch(ourBodies.get(b), "otelAnalytics");
      JsonNode p = batch(plainBodies.get(b), "objectMapper");
      JsonNode g = batch(postHogBodies.get(b), "postHogServerGson");
      for (int k = 0; k < batchSize; k++) {
        Set<String> keys = keys(a.get(k).get("properties"));
        check(keys.size() == expectedKeys, "our event has " + keys.size() + " properties, not " + expectedKeys + ": " + keys);
        check(keys.equals(keys(p.get(k).get("properties"))) && keys.equals(keys(g.get(k).get("properties"))),
            "event " + k + " has other property keys in the three bodies");
        String name = a.get(k).get("event").asText();
        check(name.equals(p.get(k).get("event").asText()) && name.equals(g.get(k).get("event").asText()),
            "event " + k + " has other names in the three bodies");
      }
    }
    System.out.printf("self-check passed: %d events, %d attributes; bytes per body of %d (raw / gzip): otelAnalytics %d / %d,"
            + " objectMapper %d / %d, postHogServerGson %d / %d%n", EVENTS, attributes, batchSize,
        ourBodies.get(0).length, gzip(ourBodies.get(0)).length, plainBodies.get(0).length, gzip(plainBodies.get(0)).length,
        postHogBodies.get(0).length, gzip(postHogBodies.get(0)).length);
  }

  private JsonNode batch(byte[] body, String what) throws IOException {
    JsonNode root = objectMapper.readTree(body);
    check(root.path("api_key").asText().equals(API_KEY), what + ": no api_key");
    JsonNode batch = root.get("batch");
    check(batch != null && batch.isArray() && batch.size() == batchSize, what + ": the batch does not hold " + batchSize + " events");
    for (JsonNode event : batch) {
      for (String field : new String[] {"event", "distinct_id", "timestamp", "uuid"}) {
        check(event.path(field).isTextual(), what + ": an event without " + field);
      }
      check(event.path("properties").isObject(), what + ": an event without properties");
    }
    return batch;
  }

  private static Set<String> keys(JsonNode object) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      out.add(names.next());
    }
    return out;
  }

  /**
   * Sends {@code events} once through a real {@link PostHogDestination} (compression none) to a
   * loopback server and requires the body it received to be {@code mirrored}, byte for byte.
   */
  static void checkSameAsDestination(List<AnalyticsEvent> events, byte[] mirrored) throws IOException {
    AtomicReference<byte[]> received = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      received.set(exchange.getRequestBody().readAllBytes());
      byte[] answer = "{\"status\":1}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try (PostHogDestination destination = PostHogDestination.builder()
        .setEndpoint("http://127.0.0.1:" + server.getAddress().getPort())
        .setApiKey(API_KEY)
        .setCompression("none")
        .build()) {
      DeliveryResult result = destination.send(events);
      check(result.kind() == DeliveryResult.Kind.DELIVERED, "the real PostHog destination did not deliver: " + result);
    } finally {
      server.stop(0);
    }
    check(java.util.Arrays.equals(received.get(), mirrored), "PostHogBatchBody differs from what PostHogDestination sends");
  }

  static void check(boolean ok, String problem) {
    if (!ok) {
      throw new IllegalStateException("self-check failed: " + problem);
    }
  }

  /** The body {@code PostHogDestination.send} makes, without gzip: a copy, from a new encoder. */
  static byte[] postHogBody(String apiKey, List<AnalyticsEvent> events) {
    return new PostHogBatchBody().encode(apiKey, events, PostHogDestination.MAX_EVENT_BYTES).bytes();
  }
}
