package dev.otelanalytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.destination.PostHogDestination;
import dev.otelanalytics.testing.LogCapture;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The programmatic builder makes the same on/off decision as the SDK autoconfigure: every opt-out
 * of the person running the app wins over the code, and at {@code off} nothing starts and nothing
 * is written.
 */
class BuilderActivationTest {
  private static final String SERVICE = "my-cli";
  private static final String CANARY_PATH = "/home/alice/secret-project";

  @TempDir Path temp;
  private Path stateDir;
  private final Map<String, String> settings = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();
  private final ByteArrayOutputStream notices = new ByteArrayOutputStream();
  private MockWebServer server;

  @BeforeEach
  void setUp() throws IOException {
    stateDir = temp.resolve("state");
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void tearDown() throws IOException {
    server.close();
  }

  private OtelAnalyticsBuilder builder() {
    return OtelAnalytics.builder()
        .setServiceName(SERVICE)
        .setStateDirectory(stateDir)
        .setSettings(settings::get)
        .setEnvironment(environment::get)
        .setNoticeOutput(new PrintStream(notices, true, StandardCharsets.UTF_8));
  }

  /** Runs one command (a root span holding a personal path) through {@code analytics} and shuts down. */
  private static void oneCommand(OtelAnalytics analytics) {
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    tracerProvider.get("test").spanBuilder("inspect").setAttribute("cli.args", CANARY_PATH).startSpan().end();
    tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
  }

  private String stored() throws IOException {
    Path events = stateDir.resolve("events");
    if (!Files.isDirectory(events)) {
      return "";
    }
    try (Stream<Path> files = Files.list(events)) {
      StringBuilder out = new StringBuilder();
      for (Path f : files.collect(Collectors.toList())) {
        out.append(Files.readString(f));
      }
      return out.toString();
    }
  }

  @Test
  void withNoSettingsTheCodeDecidesAndEventsAreStoredScrubbed() throws IOException {
    OtelAnalytics analytics = builder().build();
    assertThat(analytics.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    oneCommand(analytics);
    assertThat(stored()).contains("\"inspect\"").doesNotContain("alice", CANARY_PATH);
    assertThat(analytics.stats().eventsDelivered()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "DO_NOT_TRACK=1                      | env      | DO_NOT_TRACK            | 1",
      "DO_NOT_TRACK=true                   | env      | DO_NOT_TRACK            | true",
      "OTEL_SDK_DISABLED=true              | env      | OTEL_SDK_DISABLED       | true",
      "OTEL_ANALYTICS_LEVEL=off            | setting  | otel.analytics.level    | off",
      "OTEL_ANALYTICS_ENABLED=false        | setting  | otel.analytics.enabled  | false",
      "OTEL_ANALYTICS_SERVICES=other       | setting  | otel.analytics.services | other-cli, third",
  })
  void everyOptOutTurnsTheBuilderOffAndNothingIsWritten(String name, String where, String key, String value)
      throws IOException {
    (where.equals("env") ? environment : settings).put(key, value);
    OtelAnalytics analytics = builder().setDestination(PostHogDestination.builder()
        .setEndpoint(server.url("/").toString()).setApiKey("phc_test_key_1234567890").build()).build();
    assertThat(analytics.level()).isEqualTo(AnalyticsLevel.OFF);
    assertThat(analytics.spanProcessor().isEndRequired()).isFalse();
    oneCommand(analytics);
    analytics.metricExporter().shutdown();
    assertThat(stateDir).doesNotExist();
    assertThat(server.getRequestCount()).isZero();
    assertThat(analytics.stats().accepted()).isZero();
    assertThat(analytics.destinationName()).isEqualTo("none");
  }

  @Test
  void theAppsOwnOptOutVariableTurnsItOff() throws IOException {
    settings.put("otel.analytics.opt.out.env", "MYCLI_NO_ANALYTICS");
    environment.put("MYCLI_NO_ANALYTICS", "1");
    OtelAnalytics analytics = builder().build();
    assertThat(analytics.level()).isEqualTo(AnalyticsLevel.OFF);
    oneCommand(analytics);
    assertThat(stateDir).doesNotExist();
  }

  @Test
  void aLevelStoredWithTheTelemetryCommandWinsOverTheCode() throws IOException {
    settings.put("otel.analytics.state.dir", stateDir.toString());
    AnalyticsControl.create(settings::get, environment::get, SERVICE).setLevel(AnalyticsLevel.OFF);
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName(SERVICE)
        .setSettings(settings::get).setEnvironment(environment::get).build();
    assertThat(analytics.stateDirectory()).isEqualTo(stateDir);
    assertThat(analytics.level()).isEqualTo(AnalyticsLevel.OFF);
    oneCommand(analytics);
    try (Stream<Path> files = Files.list(stateDir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("level");
    }
  }

  @Test
  void levelLocalKeepsARemoteDestinationsEventsOnThisMachine() throws IOException {
    settings.put("otel.analytics.level", "local");
    OtelAnalytics analytics = builder().setDestination(PostHogDestination.builder()
        .setEndpoint(server.url("/").toString()).setApiKey("phc_test_key_1234567890").build()).build();
    assertThat(analytics.level()).isEqualTo(AnalyticsLevel.LOCAL);
    assertThat(analytics.destinationName()).isEqualTo("file");
    oneCommand(analytics);
    assertThat(stored()).contains("\"inspect\"").doesNotContain(CANARY_PATH);
    assertThat(stateDir.resolve("outbox")).doesNotExist();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theFirstRunNoticeIsShownOnceAndThatRunSendsNothing() throws Exception {
    settings.put("otel.analytics.notice", "true");
    OtelAnalytics first = builder().setDestination(PostHogDestination.builder()
        .setEndpoint(server.url("/").toString()).setApiKey("phc_test_key_1234567890").build()).build();
    assertThat(notices.toString(StandardCharsets.UTF_8)).contains("DO_NOT_TRACK=1");
    assertThat(first.level()).isEqualTo(AnalyticsLevel.LOCAL);
    oneCommand(first);
    assertThat(server.getRequestCount()).isZero();

    notices.reset();
    OtelAnalytics second = builder().build();
    assertThat(notices.size()).isZero();
    assertThat(second.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    second.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void aBadUserSettingLeavesItOffWithOneLineNamingTheSetting() {
    settings.put("otel.analytics.level", "loud");
    try (LogCapture logs = new LogCapture()) {
      OtelAnalytics analytics = builder().build();
      assertThat(analytics.level()).isEqualTo(AnalyticsLevel.OFF);
      List<String> warnings = logs.messages(Level.WARNING);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("OTEL_ANALYTICS_LEVEL (-Dotel.analytics.level) is 'loud'", "off, local or anonymous");
    }
    assertThat(stateDir).doesNotExist();
  }

  @Test
  void theStatusCommandAgreesWithTheBuilder() throws IOException {
    settings.put("otel.analytics.enabled", "true");
    settings.put("otel.analytics.state.dir", stateDir.toString());
    for (String level : new String[] {"anonymous", "local", "off"}) {
      settings.put("otel.analytics.level", level);
      OtelAnalytics analytics = builder().build();
      AnalyticsStatus status = AnalyticsControl.create(settings::get, environment::get, SERVICE).status();
      assertThat(status.level()).as(level).isEqualTo(analytics.level());
      analytics.shutdown().join(10, TimeUnit.SECONDS);
    }
    environment.put("DO_NOT_TRACK", "1");
    settings.put("otel.analytics.level", "anonymous");
    assertThat(AnalyticsControl.create(settings::get, environment::get, SERVICE).status().level())
        .isEqualTo(builder().build().level()).isEqualTo(AnalyticsLevel.OFF);
  }

  @Test
  void buildControlDescribesThisBuildersAnalyticsBeforeItsFirstRun() throws Exception {
    OtelAnalyticsBuilder builder = builder()
        .setPolicy(dev.otelanalytics.policy.PrivacyPolicy.defaultPolicy().toBuilder()
            .allowAttribute("cli.command", "which command was run").build())
        .setDestination(PostHogDestination.builder().setEndpoint(server.url("/ingest").toString())
            .setApiKey("phc_test_key_1234567890").build());
    AnalyticsControl control = builder.buildControl();
    AnalyticsStatus status = control.status();
    assertThat(status.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    String text = status.toText("my-cli telemetry level");
    assertThat(text).contains("cli.command (one word of letters, digits and _ . : + -, at most 64 characters): which command was run",
        "Destination:  PostHog at " + server.url("/ingest"))
        .doesNotContain("not enabled", "phc_test_key");
    assertThat(control.privacyStatement(null, null).toMarkdown()).contains("cli.command").doesNotContain("phc_test_key");
    assertThat(stateDir).as("looking writes nothing").doesNotExist();

    control.setLevel(AnalyticsLevel.OFF);
    assertThat(builder.build().level()).isEqualTo(AnalyticsLevel.OFF);
    assertThat(control.status().toText("my-cli telemetry level")).contains("It is off. To choose a level: my-cli telemetry level local")
        .doesNotContain("To turn it off");
  }

  @Test
  void buildControlNeedsAName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OtelAnalytics.builder().setSettings(settings::get).buildControl())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("setServiceName");
  }
}
