package dev.otelanalytics.leaks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.DeliveryStats;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.OtelAnalyticsBuilder;
import dev.otelanalytics.destination.ConsoleDestination;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.destination.Ga4Destination;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.internal.destination.FileDestination;
import dev.otelanalytics.internal.ga4.Ga4Rules;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.leaks.FuzzCorpus.Case;
import dev.otelanalytics.leaks.FuzzCorpus.Field;
import dev.otelanalytics.leaks.NeedleScanner.Hit;
import dev.otelanalytics.policy.AttributeType;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.Json;
import dev.otelanalytics.testing.LogCapture;
import dev.otelanalytics.testing.PhasedDispatcher;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adversarial privacy fuzzing of the whole pipeline.
 *
 * <p>{@link FuzzCorpus} makes thousands of cases (fixed seed): a canary of one kind (e-mail
 * variants, IPv4/IPv6 forms, home paths, Windows profile paths, URLs with user-info or queries,
 * tokens and keys, Luhn card numbers), wrapped in benign text, put into one field a span can
 * carry. The policy <em>allows</em> the attribute keys the canaries go into (and hashes two), so
 * the value guards, not the allowlist, are what is tested. Every case runs through the real
 * SDK and {@link OtelAnalytics#builder()} with each {@link Destination} implementation; every
 * byte of every output is then searched for every canary's marker: the files written, the
 * console stream, the PostHog request bodies (gunzipped), URLs and headers, the outbox files, the
 * debug output, every file in the state directory, and every java.util.logging record.
 *
 * <p>Attribute keys that carry canaries are <em>not</em> listed in the policy (fields
 * {@code attr.key}, {@code spanevent.attr.key}, {@code resource.key}): a key the policy lists is
 * emitted as written (keys are not guarded), so listing a canary key would only test the policy
 * author. Non-ASCII resource keys are refused by the SDK itself ({@code Resource.create} throws),
 * which the test asserts; those cases then carry no canary.
 *
 * <p><b>KNOWN_LEAKS</b> is empty: no input leaks. The suite asserts that the set of leaking
 * inputs is <em>exactly</em> that set, so any leak fails it, and the failure message prints the
 * exact inputs (a first run found 165, all fixed in the value guards).
 */
class LeakFuzzTest {
  static final String CASE_KEY = "fuzz.case";
  static final String ALLOWED_KEY = "app.target";
  static final String ALLOWED_ARRAY_KEY = "app.tags";
  static final String HASHED_KEY = "enduser.id";
  static final String HASHED_ARRAY_KEY = "app.account_ids";
  static final String UNLISTED_KEY = "app.note";
  static final String NUMBER_KEY = "app.amount";
  /** One allowed key per type but text, each given the canary of an {@code attr.typed} case. */
  static final Map<String, AttributeType> TYPED_KEYS = typedKeys();
  static final String ALLOWED_SPAN_EVENT = "cache.miss";
  static final String ALLOWED_RESOURCE_KEY = "service.version";
  static final String UNLISTED_RESOURCE_KEY = "app.build.note";
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{32}");
  private static final byte[] HASH_KEY = "leak-fuzz-hash-key-0123456789".getBytes(StandardCharsets.UTF_8);

  /** Inputs allowed to leak, as {@code "<field> | <exact input>"}: none. */
  static final Set<String> KNOWN_LEAKS = Set.of();

  /** The destination implementations this test runs, and the test that covers each. */
  static final Map<Class<? extends Destination>, String> COVERED = Map.of(
      FileDestination.class, "fileDestinationAndDebugOutput",
      ConsoleDestination.class, "consoleDestination",
      PostHogDestination.class, "postHogDestinationDelivered and postHogOutboxWhileServerAnswers503",
      Ga4Destination.class, "ga4DestinationDelivered");

  static List<Case> cases;
  static NeedleScanner scanner;

  @BeforeAll
  static void generate() {
    cases = FuzzCorpus.generate();
    scanner = new NeedleScanner();
    for (Case c : cases) {
      for (String needle : c.needles()) {
        scanner.add(needle, c.index());
      }
    }
    scanner.build();
  }

  // ---------------------------------------------------------------------------------------------
  // The corpus and the scanner themselves

  @Test
  void theCorpusIsLargeAndCoversEveryKindInEveryField() {
    assertThat(cases.size()).isGreaterThanOrEqualTo(5000);
    Map<Field, Set<String>> kindsByField = new TreeMap<>();
    for (Case c : cases) {
      kindsByField.computeIfAbsent(c.field(), f -> new TreeSet<>()).add(c.kind());
    }
    for (Field field : Field.values()) {
      assertThat(kindsByField.get(field)).as("kinds in %s", field.label)
          .isEqualTo(field.numericOnly() ? Set.of("card.plain") : new TreeSet<>(FuzzCorpus.KINDS));
    }
    assertThat(cases).extracting(Case::key).doesNotHaveDuplicates();
    for (Case c : cases) {
      if (c.kind().startsWith("card.")) {
        assertThat(FuzzCorpus.luhnValid(c.canary().replaceAll("[ -]", ""))).as(c.canary()).isTrue();
      }
    }
    long refused = cases.stream().filter(LeakFuzzTest::sdkRefusesResourceKey).count();
    System.out.println("[leak-fuzz] " + cases.size() + " cases (" + refused + " non-ASCII resource keys the SDK refuses), "
        + FuzzCorpus.KINDS.size() + " canary kinds, " + Field.values().length + " fields, " + FuzzCorpus.WRAPPERS.size()
        + " wrappers, seed " + Long.toHexString(FuzzCorpus.SEED));
  }

  /** The scanner finds each case in its own input, raw and as JSON would write it, and nothing of any other case. */
  @Test
  void everyCanaryIsFoundInItsOwnInputAndNoOtherCaseIs() {
    for (Case c : cases) {
      for (String text : List.of(c.input(), jsonString(c.input()))) {
        Set<Integer> owners = scanner.scanText(text).stream().map(Hit::owner).collect(Collectors.toSet());
        assertThat(owners).as("cases found in %s (case %s)", text, c.key()).containsExactly(c.index());
      }
    }
    // The fixed parts of every output must not look like any canary.
    assertThat(scanner.scanText(String.join(" ", CASE_KEY, ALLOWED_KEY, ALLOWED_ARRAY_KEY, HASHED_KEY, HASHED_ARRAY_KEY,
        UNLISTED_KEY, NUMBER_KEY, ALLOWED_SPAN_EVENT, ALLOWED_RESOURCE_KEY, UNLISTED_RESOURCE_KEY,
        String.join(" ", TYPED_KEYS.keySet()), "alpha beta other <1 1..9 10..99 100+ <0.5 0.5..<1 1+ {id}",
        "fuzz.case unnamed duration_ms success error_type $lib $lib_version $process_person_profile $geoip_disable"))).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Every Destination implementation must be covered

  @Test
  void everyDestinationImplementationIsCovered() throws Exception {
    assertThat(destinationImplementations())
        .as("classes implementing Destination in dev.otelanalytics; a new one needs a pipeline run here")
        .isEqualTo(new TreeSet<>(COVERED.keySet().stream().map(Class::getName).collect(Collectors.toSet())));
  }

  /** Concrete classes of this library (public or internal packages) that implement {@link Destination}. */
  static Set<String> destinationImplementations() throws Exception {
    String folder = "dev/otelanalytics";
    Path location = Path.of(Destination.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> classNames = new ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location.resolve(folder))) {
        files.map(f -> location.relativize(f).toString().replace('\\', '/')).filter(n -> n.endsWith(".class"))
            .forEach(n -> classNames.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String name = e.nextElement().getName();
          if (name.startsWith(folder + "/") && name.endsWith(".class") && !name.endsWith("package-info.class")) {
            classNames.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
          }
        }
      }
    }
    classNames.removeIf(n -> n.endsWith(".package-info"));
    assertThat(classNames).as("class files found next to Destination.class in %s", location)
        .contains(Destination.class.getName());
    Set<String> out = new TreeSet<>();
    for (String name : classNames) {
      Class<?> c = Class.forName(name, false, Destination.class.getClassLoader());
      if (Destination.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
        out.add(c.getName());
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // One pipeline run per destination

  @Test
  void fileDestinationAndDebugOutput(@TempDir Path stateDir) throws Exception {
    ByteArrayOutputStream debug = new ByteArrayOutputStream();
    Run run = run("file+debug", stateDir, FileDestination.create(stateDir.resolve(StateDirectory.EVENTS_DIRECTORY)),
        b -> b.setDebugOutput(new PrintStream(debug, true, StandardCharsets.UTF_8)));
    run.outputs.add(new Output("debug output", debug.toByteArray()));

    List<Map<String, Object>> stored = new ArrayList<>();
    try (Stream<Path> files = Files.list(stateDir.resolve(StateDirectory.EVENTS_DIRECTORY))) {
      for (Path f : files.collect(Collectors.toList())) {
        stored.addAll(jsonLines(Files.readAllBytes(f)));
      }
    }
    assertEveryCaseArrived("file destination", stored);
    assertEveryCaseArrived("debug output", prettyEvents(debug.toString(StandardCharsets.UTF_8), "[otel-analytics] debug: "));
    assertLeaksAreExactlyTheKnownOnes(run);
  }

  @Test
  void consoleDestination(@TempDir Path stateDir) throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Run run = run("console", stateDir, ConsoleDestination.create(new PrintStream(console, true, StandardCharsets.UTF_8)),
        b -> b.setDebugOutput(new PrintStream(console, true, StandardCharsets.UTF_8)));
    run.outputs.add(new Output("console stream", console.toByteArray()));
    assertEveryCaseArrived("console", prettyEvents(console.toString(StandardCharsets.UTF_8), "[otel-analytics] event: "));
    assertLeaksAreExactlyTheKnownOnes(run);
  }

  @Test
  void postHogDestinationDelivered(@TempDir Path stateDir) throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(200));
      server.setDispatcher(dispatcher);
      server.start();
      ByteArrayOutputStream debug = new ByteArrayOutputStream();
      Run run = run("posthog 200", stateDir, postHog(server),
          b -> b.setDebugOutput(new PrintStream(debug, true, StandardCharsets.UTF_8)));
      run.outputs.add(new Output("debug output", debug.toByteArray()));
      addRequests(run, dispatcher);
      assertThat(run.stats.eventsDelivered()).as("events PostHog took").isEqualTo(expectedEventTotal());
      assertEveryCaseArrived("posthog request bodies", dispatcher.deliveredEvents());
      assertLeaksAreExactlyTheKnownOnes(run);
    }
  }

  @Test
  void postHogOutboxWhileServerAnswers503(@TempDir Path stateDir) throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      PhasedDispatcher dispatcher = new PhasedDispatcher(
          () -> new MockResponse.Builder().code(503).addHeader("Retry-After", "3600").body("{\"status\":\"busy\"}").build());
      server.setDispatcher(dispatcher);
      server.start();
      Run run = run("posthog 503 (outbox)", stateDir, postHog(server), b -> {});
      addRequests(run, dispatcher);
      assertThat(run.stats.eventsDelivered()).isZero();
      List<Map<String, Object>> waiting = new ArrayList<>();
      Path outbox = stateDir.resolve(StateDirectory.OUTBOX_DIRECTORY);
      try (Stream<Path> files = Files.list(outbox)) {
        for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).collect(Collectors.toList())) {
          waiting.addAll(jsonLines(Files.readAllBytes(f)));
        }
      }
      assertEveryCaseArrived("outbox files", waiting);
      assertLeaksAreExactlyTheKnownOnes(run);
    }
  }

  @Test
  void ga4DestinationDelivered(@TempDir Path stateDir) throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      PhasedDispatcher dispatcher = new PhasedDispatcher(() -> PhasedDispatcher.status(200));
      server.setDispatcher(dispatcher);
      server.start();
      ByteArrayOutputStream debug = new ByteArrayOutputStream();
      Ga4Destination ga4 = Ga4Destination.builder().setEndpoint(server.url("/").toString())
          .setMeasurementId("G-LEAKFUZZ1").setApiSecret("leakFuzzApiSecret").build();
      Run run = run("ga4 200", stateDir, ga4, b -> b.setDebugOutput(new PrintStream(debug, true, StandardCharsets.UTF_8)));
      run.outputs.add(new Output("debug output", debug.toByteArray()));
      addRequests(run, dispatcher);
      assertThat(run.stats.eventsDelivered()).as("events GA4 took; %s", run.stats).isEqualTo(expectedEventTotal());
      assertEveryCaseArrived("ga4 request bodies", ga4Events(dispatcher));
      assertLeaksAreExactlyTheKnownOnes(run);
    }
  }

  /** GA4 events put back in the shape the checks read: properties under their policy keys. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> ga4Events(PhasedDispatcher dispatcher) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PhasedDispatcher.Exchange e : dispatcher.exchanges()) {
      String body = e.request().getBody() == null ? "{}" : e.request().getBody().utf8();
      for (Map<String, Object> event : (List<Map<String, Object>>) Json.object(body).get("events")) {
        Map<String, Object> params = (Map<String, Object>) event.get("params");
        Map<String, Object> properties = new HashMap<>();
        for (String key : List.of(CASE_KEY, HASHED_KEY, HASHED_ARRAY_KEY)) {
          Object value = params.get(Ga4Rules.paramName(key));
          // GA4 params hold no lists: an array arrives joined with commas.
          properties.put(key, value instanceof String && key.equals(HASHED_ARRAY_KEY) ? ((String) value).split(",")[0] : value);
        }
        out.add(Map.of("properties", properties));
      }
    }
    return out;
  }

  private static PostHogDestination postHog(MockWebServer server) {
    return PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey("phc_leakFuzzProjectKey")
        .setTimeout(Duration.ofSeconds(10)).build();
  }

  private static void addRequests(Run run, PhasedDispatcher dispatcher) throws IOException {
    int i = 0;
    for (PhasedDispatcher.Exchange e : dispatcher.exchanges()) {
      RecordedRequest r = e.request();
      i++;
      run.outputs.add(new Output("posthog request #" + i + " (HTTP " + e.status() + ") request line, URL and headers",
          (r.getRequestLine() + "\n" + r.getUrl() + "\n" + r.getHeaders()).getBytes(StandardCharsets.UTF_8)));
      byte[] raw = r.getBody() == null ? new byte[0] : r.getBody().toByteArray();
      if ("gzip".equals(r.getHeaders().get("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
          raw = in.readAllBytes();
        }
      }
      run.outputs.add(new Output("posthog request #" + i + " (HTTP " + e.status() + ") body (gunzipped)", raw));
    }
    assertThat(i).as("requests PostHog got").isPositive();
  }

  // ---------------------------------------------------------------------------------------------
  // The pipeline

  record Output(String where, byte[] bytes) {}

  static final class Run {
    final String name;
    final List<Output> outputs = new ArrayList<>();
    DeliveryStats stats;
    long millis;

    Run(String name) {
      this.name = name;
    }
  }

  static Map<String, AttributeType> typedKeys() {
    Map<String, AttributeType> keys = new LinkedHashMap<>();
    keys.put("typed.token", AttributeType.token());
    keys.put("typed.route", AttributeType.route());
    keys.put("typed.version", AttributeType.version());
    keys.put("typed.enum", AttributeType.enumOf(List.of("alpha", "beta")));
    keys.put("typed.int", AttributeType.integer());
    keys.put("typed.int_buckets", AttributeType.integer(List.of(1L, 10L, 100L)));
    keys.put("typed.number", AttributeType.number());
    keys.put("typed.number_buckets", AttributeType.number(List.of(0.5, 1.0)));
    keys.put("typed.bool", AttributeType.bool());
    return keys;
  }

  /** The guards get every value of the free-text keys: they, not the types, are what most fields test. */
  static PrivacyPolicy policy() {
    PrivacyPolicy.Builder b = PrivacyPolicy.builder()
        .allowAttribute(CASE_KEY, "which fuzz case (test only)")
        .allowAttribute(ALLOWED_KEY, "test: an allowlisted string", AttributeType.text())
        .allowAttribute(ALLOWED_ARRAY_KEY, "test: an allowlisted string array", AttributeType.text())
        .allowAttribute("analytics.event", "test: the event name attribute, also as a property", AttributeType.text())
        .allowAttribute("error.type", "test: error type, also as a property", AttributeType.text())
        .allowAttribute("exception.type", "test: exception class on exception events", AttributeType.text())
        .allowAttribute(NUMBER_KEY, "test: a number", AttributeType.text())
        .hashAttribute(HASHED_KEY, "test: hashed")
        .hashAttribute(HASHED_ARRAY_KEY, "test: hashed array")
        .addSpanEvent(ALLOWED_SPAN_EVENT)
        .addSpanEvent("exception")
        .allowResourceAttribute("service.name", "test")
        .allowResourceAttribute(ALLOWED_RESOURCE_KEY, "test: an allowlisted resource attribute", AttributeType.text());
    TYPED_KEYS.forEach((key, type) -> b.allowAttribute(key, "test: a typed value", type));
    for (Case c : cases) {
      if (c.field() == Field.SPAN_EVENT_NAME_ALLOWED) {
        b.addSpanEvent(c.input());
      }
    }
    return b.build();
  }

  private Run run(String name, Path stateDir, Destination destination, Consumer<OtelAnalyticsBuilder> extra) throws Exception {
    Run run = new Run(name);
    long start = System.nanoTime();
    try (LogCapture ourLogs = new LogCapture(); AllLogs allLogs = new AllLogs()) {
      OtelAnalyticsBuilder builder = OtelAnalytics.builder()
          .setServiceName("leak-fuzz")
          .setStateDirectory(stateDir)
          .setPolicy(policy())
          .setHashKey(HASH_KEY)
          .setDestination(destination)
          .setQueueSize(cases.size() * 2 + 100)
          .setBatchSize(200)
          .setFlushInterval(Duration.ofHours(1))
          .setShutdownTimeout(Duration.ofSeconds(60))
          .setOutboxMaxSize(1L << 30)
          .setRetryBackoff(Duration.ofMinutes(10), Duration.ofMinutes(10));
      extra.accept(builder);
      OtelAnalytics analytics = builder.build();
      SpanProcessor processor = analytics.spanProcessor();
      SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
      for (Case c : cases) {
        emit(c, provider, processor);
      }
      assertThat(provider.shutdown().join(60, TimeUnit.SECONDS).isSuccess()).as("shutdown completed").isTrue();
      run.stats = analytics.stats();
      run.outputs.add(new Output("java.util.logging records (dev.otelanalytics, via LogCapture)",
          String.join("\n", ourLogs.messages(Level.ALL)).getBytes(StandardCharsets.UTF_8)));
      run.outputs.add(new Output("java.util.logging records (every logger, formatted with parameters and stack traces)",
          allLogs.text().getBytes(StandardCharsets.UTF_8)));
    }
    try (Stream<Path> files = Files.walk(stateDir)) {
      for (Path f : files.collect(Collectors.toList())) {
        String relative = stateDir.relativize(f).toString();
        run.outputs.add(new Output("state dir file name " + relative, relative.getBytes(StandardCharsets.UTF_8)));
        if (Files.isRegularFile(f)) {
          run.outputs.add(new Output("state dir file " + relative, Files.readAllBytes(f)));
        }
      }
    }
    run.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(run.stats.accepted()).as("spans accepted").isEqualTo(cases.size());
    assertThat(run.stats.droppedQueueFull()).isZero();
    assertThat(run.stats.mappingFailures()).isZero();
    return run;
  }

  /** Puts case {@code c}'s input into its field of one span (and, for resources and scopes, its own provider or tracer). */
  static void emit(Case c, SdkTracerProvider provider, SpanProcessor processor) {
    String x = c.input();
    Tracer tracer;
    switch (c.field()) {
      case SCOPE_NAME:
        tracer = provider.get(x);
        break;
      case SCOPE_VERSION:
        tracer = provider.tracerBuilder("leak-fuzz").setInstrumentationVersion(x).build();
        break;
      case RESOURCE_ALLOWED:
      case RESOURCE_UNLISTED:
      case RESOURCE_KEY: {
        Attributes attributes = c.field() == Field.RESOURCE_ALLOWED ? Attributes.of(AttributeKey.stringKey(ALLOWED_RESOURCE_KEY), x)
            : c.field() == Field.RESOURCE_UNLISTED ? Attributes.of(AttributeKey.stringKey(UNLISTED_RESOURCE_KEY), x)
            : Attributes.of(AttributeKey.stringKey(x), "benign");
        Resource resource;
        if (sdkRefusesResourceKey(c)) {
          // The SDK itself refuses a non-ASCII resource key: the canary cannot enter the pipeline this way.
          assertThatThrownBy(() -> Resource.create(attributes)).isInstanceOf(IllegalArgumentException.class);
          resource = Resource.getDefault();
        } else {
          resource = Resource.getDefault().merge(Resource.create(attributes));
        }
        // A provider of its own (never shut down: that would shut the shared processor down).
        tracer = SdkTracerProvider.builder().setResource(resource).addSpanProcessor(processor).build().get("leak-fuzz");
        break;
      }
      default:
        tracer = provider.get("leak-fuzz");
    }
    SpanBuilder b = tracer.spanBuilder(c.field() == Field.SPAN_NAME ? x : "fuzz.case").setNoParent()
        .setAttribute(CASE_KEY, c.id());
    switch (c.field()) {
      case ATTR_ALLOWED:
        b.setAttribute(ALLOWED_KEY, x);
        break;
      case ATTR_ALLOWED_ARRAY:
        b.setAttribute(AttributeKey.stringArrayKey(ALLOWED_ARRAY_KEY), List.of("alpha", x, "beta"));
        break;
      case ATTR_HASHED:
        b.setAttribute(HASHED_KEY, x);
        break;
      case ATTR_HASHED_ARRAY:
        b.setAttribute(AttributeKey.stringArrayKey(HASHED_ARRAY_KEY), List.of("first", x));
        break;
      case ATTR_UNLISTED:
        b.setAttribute(UNLISTED_KEY, x);
        break;
      case ATTR_KEY:
        b.setAttribute(x, "benign");
        break;
      case ANALYTICS_EVENT:
        b.setAttribute("analytics.event", x);
        break;
      case ERROR_TYPE:
        b.setAttribute("error.type", x);
        break;
      case LINK_ATTR:
        b.addLink(SpanContext.create(TraceId.fromLongs(0x1234L, c.index() + 1L), SpanId.fromLong(c.index() + 1L),
            TraceFlags.getSampled(), TraceState.getDefault()), Attributes.of(AttributeKey.stringKey(ALLOWED_KEY), x));
        break;
      case ATTR_ALLOWED_LONG:
        b.setAttribute(NUMBER_KEY, c.number());
        break;
      case ATTR_ALLOWED_DOUBLE:
        b.setAttribute(NUMBER_KEY, (double) c.number());
        break;
      case ATTR_TYPED:
        for (String key : TYPED_KEYS.keySet()) {
          b.setAttribute(key, x);
        }
        break;
      default:
        break;
    }
    Span span = b.startSpan();
    switch (c.field()) {
      case SPAN_EVENT_NAME_ALLOWED:
      case SPAN_EVENT_NAME_UNLISTED:
        span.addEvent(x);
        break;
      case SPAN_EVENT_ATTR_ALLOWED:
        span.addEvent(ALLOWED_SPAN_EVENT, Attributes.of(AttributeKey.stringKey(ALLOWED_KEY), x));
        break;
      case SPAN_EVENT_ATTR_UNLISTED:
        span.addEvent(ALLOWED_SPAN_EVENT, Attributes.of(AttributeKey.stringKey(UNLISTED_KEY), x));
        break;
      case SPAN_EVENT_ATTR_KEY:
        span.addEvent(ALLOWED_SPAN_EVENT, Attributes.of(AttributeKey.stringKey(x), "benign"));
        break;
      case EXCEPTION_MESSAGE:
        span.recordException(new CanaryException(x));
        span.setStatus(StatusCode.ERROR);
        break;
      case EXCEPTION_CAUSE_MESSAGE:
        span.recordException(new IllegalStateException("request failed", new CanaryException(x)));
        span.setStatus(StatusCode.ERROR);
        break;
      case EXCEPTION_TYPE:
        span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, x, EXCEPTION_MESSAGE, "see the log"));
        span.setStatus(StatusCode.ERROR);
        break;
      case STATUS_DESCRIPTION:
        span.setStatus(StatusCode.ERROR, x);
        break;
      case ERROR_TYPE:
        span.setStatus(StatusCode.ERROR);
        break;
      default:
        break;
    }
    span.end();
  }

  /** Resource keys must be printable ASCII of at most 255 chars; the SDK throws for anything else. */
  static boolean sdkRefusesResourceKey(Case c) {
    return c.field() == Field.RESOURCE_KEY && (c.input().length() > 255 || !c.input().chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f));
  }

  /** Events a case makes: its span, plus one for a span event the policy names. */
  static int expectedEvents(Case c) {
    switch (c.field()) {
      case SPAN_EVENT_NAME_ALLOWED:
      case SPAN_EVENT_ATTR_ALLOWED:
      case SPAN_EVENT_ATTR_UNLISTED:
      case SPAN_EVENT_ATTR_KEY:
      case EXCEPTION_MESSAGE:
      case EXCEPTION_CAUSE_MESSAGE:
      case EXCEPTION_TYPE:
        return 2;
      default:
        return 1;
    }
  }

  static long expectedEventTotal() {
    return cases.stream().mapToLong(LeakFuzzTest::expectedEvents).sum();
  }

  /** An application exception type whose message carries the canary. */
  static final class CanaryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CanaryException(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checking the outputs

  /** Every case's events arrived (so no case passes by being lost), and hashed fields came out as hashes. */
  private static void assertEveryCaseArrived(String where, List<Map<String, Object>> events) {
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Case> byId = new HashMap<>();
    for (Case c : cases) {
      byId.put(c.id(), c);
    }
    for (Map<String, Object> event : events) {
      @SuppressWarnings("unchecked")
      Map<String, Object> properties = (Map<String, Object>) event.get("properties");
      String id = (String) properties.get(CASE_KEY);
      assertThat(id).as("%s: event without %s: %s", where, CASE_KEY, event).isNotNull();
      counts.merge(id, 1, Integer::sum);
      Case c = byId.get(id);
      if (c.field() == Field.ATTR_HASHED || c.field() == Field.ATTR_HASHED_ARRAY) {
        String key = c.field() == Field.ATTR_HASHED ? HASHED_KEY : HASHED_ARRAY_KEY;
        assertThat(properties.get(key)).as("%s: hashed %s of %s", where, key, id).isInstanceOf(String.class);
        assertThat((String) properties.get(key)).as("%s: hashed %s of %s", where, key, id).matches(HASH);
      }
    }
    List<String> wrong = new ArrayList<>();
    for (Case c : cases) {
      int got = counts.getOrDefault(c.id(), 0);
      if (got != expectedEvents(c)) {
        wrong.add(c.id() + " " + c.key() + ": " + got + " events, expected " + expectedEvents(c));
      }
    }
    assertThat(wrong).as("%s: cases whose events did not all arrive", where).isEmpty();
  }

  private static void assertLeaksAreExactlyTheKnownOnes(Run run) {
    Map<Integer, Set<String>> where = new TreeMap<>();
    long bytes = 0;
    for (Output output : run.outputs) {
      bytes += output.bytes().length;
      for (Hit hit : scanner.scan(output.bytes())) {
        where.computeIfAbsent(hit.owner(), i -> new LinkedHashSet<>()).add(output.where() + " (found '" + hit.needle() + "')");
      }
    }
    Map<String, Case> leaking = new TreeMap<>();
    for (int index : where.keySet()) {
      leaking.put(cases.get(index).key(), cases.get(index));
    }
    StringBuilder report = new StringBuilder();
    report.append("[leak-fuzz] ").append(run.name).append(": ").append(cases.size()).append(" cases, ")
        .append(expectedEventTotal()).append(" events, ").append(run.outputs.size()).append(" outputs, ")
        .append(bytes).append(" bytes scanned, ").append(run.millis).append(" ms; ")
        .append(leaking.size()).append(" leaking inputs\n");
    for (int index : where.keySet()) {
      Case c = cases.get(index);
      report.append("  LEAK ").append(c.id()).append(" kind=").append(c.kind()).append(" wrapper=").append(c.wrapper())
          .append(" field=").append(c.field().label).append(" input=").append(javaLiteral(c.field().numericOnly()
              ? Long.toString(c.number()) : c.input())).append('\n');
      for (String w : where.get(index)) {
        report.append("      in ").append(w).append('\n');
      }
    }
    System.out.print(report);

    Set<String> added = new TreeSet<>(leaking.keySet());
    added.removeAll(KNOWN_LEAKS);
    Set<String> fixed = new TreeSet<>(KNOWN_LEAKS);
    fixed.removeAll(leaking.keySet());
    StringBuilder message = new StringBuilder();
    if (!added.isEmpty()) {
      message.append("NEW LEAKS (").append(added.size()).append("), not in KNOWN_LEAKS:\n");
      added.forEach(k -> message.append("      ").append(javaLiteral(k)).append(",\n"));
    }
    if (!fixed.isEmpty()) {
      message.append("KNOWN_LEAKS entries that no longer leak (").append(fixed.size()).append("): remove them:\n");
      fixed.forEach(k -> message.append("      ").append(javaLiteral(k)).append(",\n"));
    }
    assertThat(leaking.keySet()).as("%s: the inputs that leak must be exactly KNOWN_LEAKS\n%s", run.name, message)
        .isEqualTo(KNOWN_LEAKS);
  }

  private static List<Map<String, Object>> jsonLines(byte[] bytes) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        out.add(Json.object(line));
      }
    }
    return out;
  }

  private static List<Map<String, Object>> prettyEvents(String text, String prefix) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String chunk : text.split(Pattern.quote(prefix))) {
      if (!chunk.trim().isEmpty()) {
        out.add(Json.object(chunk.trim()));
      }
    }
    return out;
  }

  static String jsonString(String value) {
    StringWriter out = new StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
      g.writeString(value);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString();
  }

  /** {@code value} as a Java string literal (ASCII only), for KNOWN_LEAKS lines. */
  static String javaLiteral(String value) {
    StringBuilder s = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        s.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        s.append(c);
      } else {
        s.append(String.format("\\u%04x", (int) c));
      }
    }
    return s.append('"').toString();
  }

  /**
   * Every java.util.logging record of every logger (root handler), formatted with its parameters
   * and stack trace; okhttp's and MockWebServer's loggers are opened to ALL while it runs.
   */
  static final class AllLogs extends Handler implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    private final Map<Logger, Level> previous = new LinkedHashMap<>();
    private final StringBuilder text = new StringBuilder();
    private final SimpleFormatter formatter = new SimpleFormatter();

    AllLogs() {
      setLevel(Level.ALL);
      for (String name : List.of("dev.otelanalytics", "okhttp3", "mockwebserver3")) {
        Logger logger = Logger.getLogger(name);
        previous.put(logger, logger.getLevel());
        logger.setLevel(Level.ALL);
      }
      root.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ")
          .append(formatter.formatMessage(record)).append('\n');
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        text.append(trace).append('\n');
      }
    }

    synchronized String text() {
      return text.toString();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      root.removeHandler(this);
      previous.forEach(Logger::setLevel);
    }
  }
}
