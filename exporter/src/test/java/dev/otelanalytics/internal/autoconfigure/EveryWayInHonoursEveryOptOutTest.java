package dev.otelanalytics.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.AnalyticsControl;
import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.testing.AutoConfigured;
import dev.otelanalytics.testing.Canaries;
import dev.otelanalytics.testing.LogCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way analytics starts (the SDK autoconfigure, the programmatic builder, and through each
 * of them the span processor and the usage-report metric exporter) against every opt-out the
 * person running the app has. An opted-out run makes no request and writes nothing but the
 * stored choice itself; the same run without the opt-out does write, so each case can fail.
 * Then: {@code level off} stored by the app's {@code telemetry} command always reaches the
 * analytics it controls, whatever the SDK calls the service. (The Java agent, the third way in,
 * is tested the same way in {@code examples/web-service}'s {@code AgentExtensionIT}.)
 */
class EveryWayInHonoursEveryOptOutTest {
  private static final String SERVICE = "my-cli";
  private static final String COUNTER = "cli.items.inspected";
  private static final String API_KEY = "phc_everyWayIn_1234567890";

  enum WayIn {
    AUTOCONFIGURE_SPANS, AUTOCONFIGURE_USAGE_REPORTS, BUILDER_SPANS, BUILDER_USAGE_REPORTS
  }

  enum OptOut {
    NONE, DO_NOT_TRACK, APP_OPT_OUT_VARIABLE, ENABLED_FALSE, LEVEL_OFF, STORED_LEVEL_OFF
  }

  @TempDir Path temp;
  private Path stateDir;
  private MockWebServer server;
  /** The settings, by property name: the autoconfigure gets them as properties, the builder through setSettings. */
  private final Map<String, String> settings = new HashMap<>();
  /** The environment variables the person set. */
  private final Map<String, String> environment = new HashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    stateDir = temp.resolve("state");
    server = new MockWebServer();
    server.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
        return new mockwebserver3.MockResponse.Builder().code(200).body("{\"status\":1}").build();
      }
    });
    server.start();
    settings.put("otel.service.name", SERVICE);
    settings.put("otel.analytics.state.dir", stateDir.toString());
    settings.put("otel.analytics.destination", "posthog");
    settings.put("otel.exporter.posthog.endpoint", server.url("/").toString());
    settings.put("otel.exporter.posthog.api.key", API_KEY);
    settings.put("otel.analytics.allowed.metrics", COUNTER);
  }

  @AfterEach
  void tearDown() throws IOException {
    server.close();
  }

  static Stream<Arguments> everyWayInAndOptOut() {
    List<Arguments> cases = new ArrayList<>();
    for (WayIn wayIn : WayIn.values()) {
      for (OptOut optOut : OptOut.values()) {
        cases.add(Arguments.of(wayIn, optOut));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("everyWayInAndOptOut")
  void anOptOutStopsAllCollectionAndWriting(WayIn wayIn, OptOut optOut) throws Exception {
    apply(optOut);
    run(wayIn);
    List<String> files = filesIn(stateDir);
    if (optOut == OptOut.NONE) {
      assertThat(files).as("the same run without an opt-out writes").isNotEmpty();
      assertThat(files.toString()).doesNotContain(Canaries.EMAIL);
      return;
    }
    assertThat(files).as("files written").isSubsetOf(List.of(StateDirectory.LEVEL_FILE));
    assertThat(server.getRequestCount()).as("requests made").isZero();
  }

  private void apply(OptOut optOut) throws IOException {
    switch (optOut) {
      case DO_NOT_TRACK:
        environment.put("DO_NOT_TRACK", "1");
        break;
      case APP_OPT_OUT_VARIABLE:
        settings.put("otel.analytics.opt.out.env", "MYCLI_NO_ANALYTICS");
        environment.put("MYCLI_NO_ANALYTICS", "1");
        break;
      case ENABLED_FALSE:
        settings.put("otel.analytics.enabled", "false");
        break;
      case LEVEL_OFF:
        settings.put("otel.analytics.level", "off");
        break;
      case STORED_LEVEL_OFF:
        // Exactly what `mycli telemetry level off` does.
        AnalyticsControl.create(settings::get, environment::get, SERVICE).setLevel(AnalyticsLevel.OFF);
        break;
      default:
        break;
    }
  }

  /** One command of the app (a root span, a counter) through {@code wayIn}, then shutdown. */
  private void run(WayIn wayIn) {
    switch (wayIn) {
      case AUTOCONFIGURE_SPANS:
      case AUTOCONFIGURE_USAGE_REPORTS: {
        Map<String, String> properties = new HashMap<>(settings);
        properties.putIfAbsent("otel.analytics.enabled", "true");
        if (wayIn == WayIn.AUTOCONFIGURE_USAGE_REPORTS) {
          properties.put("otel.metrics.exporter", "analytics");
        }
        // The autoconfigure reads environment variables through its own configuration, by dotted name.
        environment.forEach((name, value) -> properties.put(AnalyticsSetup.propertyNameOf(name), value));
        try (OpenTelemetrySdk sdk = AutoConfigured.sdk(properties)) {
          oneCommand(sdk.getTracerProvider().get("test"), sdk.getMeter("test"), wayIn == WayIn.AUTOCONFIGURE_SPANS);
        }
        break;
      }
      default: {
        OtelAnalytics analytics = OtelAnalytics.builder()
            .setServiceName(SERVICE)
            .setSettings(settings::get)
            .setEnvironment(environment::get)
            .setDestination(PostHogDestination.builder().setEndpoint(server.url("/").toString()).setApiKey(API_KEY).build())
            .build();
        boolean spans = wayIn == WayIn.BUILDER_SPANS;
        SdkTracerProvider tracers = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
        SdkMeterProvider meters = SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.create(analytics.metricExporter())).build();
        oneCommand(tracers.get("test"), meters.get("test"), spans);
        meters.shutdown().join(10, TimeUnit.SECONDS);
        tracers.shutdown().join(10, TimeUnit.SECONDS);
        break;
      }
    }
  }

  private static void oneCommand(io.opentelemetry.api.trace.Tracer tracer, io.opentelemetry.api.metrics.Meter meter,
      boolean span) {
    if (span) {
      tracer.spanBuilder("inspect").setAttribute("owner", Canaries.EMAIL).startSpan().end();
    } else {
      meter.counterBuilder(COUNTER).build().add(3, Attributes.of(AttributeKey.stringKey("owner"), Canaries.EMAIL));
    }
  }

  private static List<String> filesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new ArrayList<>();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted().collect(Collectors.toList());
    }
  }

  // --- one identity: the telemetry command and the SDK agree on the program ---

  /** The default state directory lives under user.home here, as it does for a real user. */
  private String savedHome;

  private void useTemporaryHome() {
    Assumptions.assumeTrue(System.getenv("XDG_STATE_HOME") == null, "XDG_STATE_HOME would move the default state directory");
    settings.remove("otel.analytics.state.dir");
    savedHome = System.getProperty("user.home");
    System.setProperty("user.home", temp.resolve("home").toString());
  }

  @AfterEach
  void restoreHome() {
    if (savedHome != null) {
      System.setProperty("user.home", savedHome);
    }
  }

  private Path home() {
    return temp.resolve("home");
  }

  private long storedEvents() throws IOException {
    return filesIn(home()).stream().filter(f -> f.contains("events")).count();
  }

  @Test
  void withoutAServiceNameTheAutoconfigureCollectsNothingAndSaysWhichSettingToSet() throws IOException {
    useTemporaryHome();
    settings.remove("otel.service.name");
    settings.put("otel.analytics.destination", "file");
    AnalyticsControl.create(settings::get, environment::get, SERVICE).setLevel(AnalyticsLevel.ANONYMOUS);
    try (LogCapture logs = new LogCapture()) {
      run(WayIn.AUTOCONFIGURE_SPANS);
      assertThat(logs.messages(Level.WARNING)).singleElement().asString()
          .contains("no service.name", "unknown_service:java", "OTEL_SERVICE_NAME");
    }
    assertThat(storedEvents()).isZero();
  }

  @Test
  void levelOffFromTheTelemetryCommandReachesTheBuilderWithoutAnyServiceNameSetting() throws IOException {
    useTemporaryHome();
    settings.remove("otel.service.name");
    settings.put("otel.analytics.destination", "file");
    run(WayIn.BUILDER_SPANS);
    assertThat(storedEvents()).as("on before the opt-out").isEqualTo(1);

    AnalyticsControl.create(settings::get, environment::get, SERVICE).setLevel(AnalyticsLevel.OFF);
    server.close();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName(SERVICE).setSettings(settings::get).build();
    assertThat(analytics.level()).isEqualTo(AnalyticsLevel.OFF);
  }

  @Test
  void whenOtelServiceNameNamesAnotherProgramTheTelemetryCommandFollowsItLikeTheSdk() throws IOException {
    useTemporaryHome();
    settings.put("otel.service.name", "renamed-by-the-operator");
    settings.put("otel.analytics.destination", "file");
    AnalyticsControl control = AnalyticsControl.create(settings::get, environment::get, SERVICE);
    assertThat(control.status().toText("my-cli telemetry level"))
        .startsWith("Usage analytics for renamed-by-the-operator (from OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES;"
            + " the program calls itself my-cli)");
    control.setLevel(AnalyticsLevel.OFF);
    for (WayIn wayIn : new WayIn[] {WayIn.AUTOCONFIGURE_SPANS, WayIn.BUILDER_SPANS}) {
      run(wayIn);
      assertThat(storedEvents()).as(wayIn.toString()).isZero();
    }
    assertThat(filesIn(home())).singleElement().asString().endsWith("renamed-by-the-operator/level");
  }

  @Test
  void theControlRefusesTheSdksFallbackName() {
    assertThatThrownBy(() -> AnalyticsControl.fromEnvironment("unknown_service:java"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OTEL_SERVICE_NAME");
  }

  @Test
  void eventsCarryTheServiceNameInForceAndTheOsTypeEvenWhenTheSdkResourceHasNeither() throws IOException {
    settings.put("otel.analytics.destination", "file");
    settings.remove("otel.service.name");
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName(SERVICE).setSettings(settings::get)
        .setPolicy(dev.otelanalytics.policy.PrivacyPolicy.defaultPolicy().toBuilder()
            .allowResourceAttribute("os.type", "which OS the program runs on").build())
        .build();
    SdkTracerProvider tracers = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    tracers.get("test").spanBuilder("inspect").startSpan().end();
    tracers.shutdown().join(10, TimeUnit.SECONDS);
    String stored = String.join("\n", readAll(stateDir.resolve("events")));
    assertThat(stored).contains("\"service.name\":\"my-cli\"").doesNotContain("unknown_service")
        .containsPattern("\"os.type\":\"(linux|darwin|windows|[a-z_]+)\"");
  }

  @Test
  void statusAgreesWithABuilderAppThatLeavesOtelAnalyticsEnabledUnset() throws IOException {
    settings.put("otel.analytics.destination", "file");
    AnalyticsControl control = AnalyticsControl.create(settings::get, environment::get, SERVICE);
    assertThat(control.status().toText("x")).contains("Last start:   never collected here");
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName(SERVICE).setSettings(settings::get).build();
    analytics.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(analytics.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    String status = control.status().toText("x");
    assertThat(control.status().level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    assertThat(status).contains("started by the app's code (OtelAnalytics.builder()), at level anonymous")
        .doesNotContain("not enabled");
  }

  @Test
  void codeSuppliedSettingsNeverOutrankThisProcesssOwnOptOut() throws IOException {
    settings.put("otel.analytics.destination", "file");
    for (String[] processSetting : new String[][] {{"otel.analytics.level", "off"}, {"otel.analytics.enabled", "false"}}) {
      String before = System.getProperty(processSetting[0]);
      System.setProperty(processSetting[0], processSetting[1]);
      try {
        OtelAnalytics analytics = OtelAnalytics.builder().setServiceName(SERVICE).setSettings(settings::get)
            .setEnvironment(environment::get).build();
        assertThat(analytics.level()).as(processSetting[0]).isEqualTo(AnalyticsLevel.OFF);
      } finally {
        if (before == null) {
          System.clearProperty(processSetting[0]);
        } else {
          System.setProperty(processSetting[0], before);
        }
      }
    }
    assertThat(stateDir).doesNotExist();
  }

  private static List<String> readAll(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.collect(Collectors.toList())) {
        out.add(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
