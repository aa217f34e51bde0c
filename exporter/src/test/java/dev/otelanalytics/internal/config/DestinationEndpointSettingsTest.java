package dev.otelanalytics.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.testing.Events;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code OTEL_EXPORTER_POSTHOG_ENDPOINT} and {@code OTEL_EXPORTER_GA4_ENDPOINT} as people write
 * them, through the settings and the builders to the request actually made: a pasted API path is
 * taken off (once), a reverse proxy's prefix stays, and a path of another API is refused with one
 * line naming the setting and the fix.
 */
class DestinationEndpointSettingsTest {
  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String base() {
    String url = server.url("/").toString();
    return url.substring(0, url.length() - 1);
  }

  private static AnalyticsConfig parse(Map<String, String> settings) throws InvalidSettingException {
    return AnalyticsConfig.parse(settings::get);
  }

  private Map<String, String> postHog(String endpoint) {
    Map<String, String> settings = new HashMap<>();
    settings.put(AnalyticsConfig.DESTINATION, "posthog");
    settings.put(AnalyticsConfig.POSTHOG_API_KEY, "phc_endpointSettingsTest");
    settings.put(AnalyticsConfig.POSTHOG_ENDPOINT, endpoint);
    return settings;
  }

  private Map<String, String> ga4(String endpoint) {
    Map<String, String> settings = new HashMap<>();
    settings.put(AnalyticsConfig.DESTINATION, "ga4");
    settings.put(AnalyticsConfig.GA4_MEASUREMENT_ID, "G-TEST123");
    settings.put(AnalyticsConfig.GA4_API_SECRET, "endpointSettingsSecret");
    settings.put(AnalyticsConfig.GA4_ENDPOINT, endpoint);
    return settings;
  }

  private String pathOfOneSend(Destination destination) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":\"Ok\"}").build());
    try {
      assertThat(destination.send(List.of(Events.at("2026-11-29T10:00:00Z", "command"))).kind())
          .isEqualTo(DeliveryResult.Kind.DELIVERED);
    } finally {
      destination.close();
    }
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    return request.getUrl().encodedPath();
  }

  @ParameterizedTest(name = "endpoint +[{0}] posts to {1}")
  @CsvSource({
      "'',              /batch/",
      "/,               /batch/",
      "/batch,          /batch/",
      "/batch/,         /batch/",
      "/ingest,         /ingest/batch/",
      "/ingest/,        /ingest/batch/",
      "/ingest/batch/,  /ingest/batch/",
  })
  void postHogGetsItsBatchPathOnce(String suffix, String expectedPath) throws Exception {
    assertThat(pathOfOneSend(parse(postHog(base() + suffix)).postHogDestination())).isEqualTo(expectedPath);
  }

  @ParameterizedTest(name = "endpoint +[{0}] posts to {1}")
  @CsvSource({
      "'',                  /mp/collect",
      "/,                   /mp/collect",
      "/mp/collect,         /mp/collect",
      "/mp/collect/,        /mp/collect",
      "/proxy,              /proxy/mp/collect",
      "/proxy/mp/collect,   /proxy/mp/collect",
  })
  void ga4GetsItsCollectPathOnce(String suffix, String expectedPath) throws Exception {
    assertThat(pathOfOneSend(parse(ga4(base() + suffix)).ga4Destination())).isEqualTo(expectedPath);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource({"/i/v0/e/", "/i/v0/e", "/capture/", "/capture"})
  void aPostHogSingleEventPathIsRefusedNamingTheSettingAndTheFix(String path) {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class,
        () -> parse(postHog("https://eu.i.posthog.com" + path)));

    assertThat(e.property()).isEqualTo(AnalyticsConfig.POSTHOG_ENDPOINT);
    assertThat(e.getMessage()).isEqualTo("OTEL_EXPORTER_POSTHOG_ENDPOINT (-Dotel.exporter.posthog.endpoint): endpoint ends in "
        + path.replaceAll("/$", "") + "/, PostHog's single-event path; give the host only, e.g. https://eu.i.posthog.com"
        + " (events are sent in batches to its /batch/)");
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource({"/debug/mp/collect", "/debug/mp/collect/"})
  void theGa4ValidationServerIsRefusedNamingTheSettingAndTheFix(String path) {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class,
        () -> parse(ga4("https://www.google-analytics.com" + path)));

    assertThat(e.property()).isEqualTo(AnalyticsConfig.GA4_ENDPOINT);
    assertThat(e.getMessage()).startsWith("OTEL_EXPORTER_GA4_ENDPOINT (-Dotel.exporter.ga4.endpoint): ")
        .contains("validation server", "give the host only, e.g. https://www.google-analytics.com");
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource({"http://localhost:99999, 99999", "https://eu.i.posthog.com:0, 0", "https://eu.i.posthog.com:65536, 65536"})
  void aPortOutsideOneTo65535IsRefusedWhenTheSettingIsRead(String endpoint, String port) {
    // Before, it passed and every send then failed (OkHttp refuses to build the request), silently.
    InvalidSettingException posthog = catchThrowableOfType(InvalidSettingException.class, () -> parse(postHog(endpoint)));
    InvalidSettingException ga4 = catchThrowableOfType(InvalidSettingException.class, () -> parse(ga4(endpoint)));

    assertThat(posthog.property()).isEqualTo(AnalyticsConfig.POSTHOG_ENDPOINT);
    assertThat(posthog.getMessage()).isEqualTo("OTEL_EXPORTER_POSTHOG_ENDPOINT (-Dotel.exporter.posthog.endpoint): endpoint has port "
        + port + "; a port is 1 to 65535, or leave it out (https uses 443)");
    assertThat(ga4.property()).isEqualTo(AnalyticsConfig.GA4_ENDPOINT);
    assertThat(ga4.getMessage()).isEqualTo("OTEL_EXPORTER_GA4_ENDPOINT (-Dotel.exporter.ga4.endpoint): endpoint has port "
        + port + "; a port is 1 to 65535, or leave it out (https uses 443)");
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource({"https:///ingest", "https://:443"})
  void anEndpointWithoutAHostIsRefusedWithAnExample(String endpoint) {
    InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> parse(postHog(endpoint)));

    assertThat(e.getMessage()).isEqualTo("OTEL_EXPORTER_POSTHOG_ENDPOINT (-Dotel.exporter.posthog.endpoint): endpoint has no host"
        + " name, e.g. https://eu.i.posthog.com");
  }
}
