package dev.otelanalytics.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.guard.GuardReason;
import dev.otelanalytics.internal.guard.ValueGuards;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.RecordingDestination;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each case is a leak a privacy review proved against an earlier version; none may come back. */
class ReviewedLeakPathsTest {
  @TempDir Path stateDir;

  private OtelAnalytics analytics;

  private List<AnalyticsEvent> run(Consumer<Tracer> spans) {
    RecordingDestination destination = RecordingDestination.recording();
    analytics = OtelAnalytics.builder().setServiceName("test-app")
        .setStateDirectory(stateDir)
        .setPolicy(PrivacyPolicy.defaultPolicy().toBuilder()
            .allowAttribute("cli.target", "test").allowAttribute("order.ref", "test").build())
        .setDestination(destination)
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    spans.accept(provider.get("test"));
    provider.shutdown().join(10, TimeUnit.SECONDS);
    return destination.events();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "curl -d @/home/alice/data.json | curl",
    "build -I/home/alice/include | build",
    "inspect /users/alice/Documents | inspect",
    "inspect /mnt/c/Users/alice/secret | inspect",
    "GET /api/users/alice%40example.com | GET /api/users/{id}",
    "GET /users/bob.smith/profile | GET /users/{id}/profile",
    "GET /api/items/42 | GET /api/items/{id}",
    "GET /api/v2/orders/1234567/lines | GET /api/v2/orders/{id}/lines",
    "DELETE /sessions/3f2504e0-4f89-11d3-9a0c-0305e82c3301 | DELETE /sessions/{id}",
    "GET /files/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5 | GET /files/{id}",
    "GET /home/alice/notes | GET",
    "open %2Fhome%2Falice%2Fnotes.txt | open",
    "login --password hunter2hunter2 | login",
    "pay 4111 1111 1111 1111 | pay",
    "deploy v2 to prod | deploy v2 to prod",
    "GET /api/items/{id} | GET /api/items/{id}",
  })
  void spanNamesKeepOnlyNameShapedLeadingWords(String spanName, String expected) {
    assertThat(run(t -> t.spanBuilder(spanName).startSpan().end()).get(0).name()).isEqualTo(expected);
    assertThat(analytics.stats().eventNamesShortened()).isEqualTo(spanName.equals(expected) ? 0 : 1);
  }

  @Test
  void aNoBreakSpaceDoesNotGlueAPathToTheCommand() {
    assertThat(run(t -> t.spanBuilder("inspect\u00A0/home/alice/x").startSpan().end()).get(0).name()).isEqualTo("inspect");
  }

  @Test
  void cuttingALongValueCannotRevealAnAddressTheGuardsRejectedWhole() {
    String value = "x".repeat(245) + "10.20.30.401";
    List<AnalyticsEvent> events = run(t -> t.spanBuilder("cmd").setAttribute("cli.target", value).startSpan().end());
    assertThat(events.get(0).properties()).doesNotContainKey("cli.target");
  }

  @Test
  void cardNumbersAsDoublesAreDropped() {
    List<AnalyticsEvent> events = run(t -> t.spanBuilder("pay").setAttribute("order.ref", 4111111111111111d).startSpan().end());
    assertThat(events.get(0).properties()).doesNotContainKey("order.ref");
    assertThat(ValueGuards.check(12.5d)).isNull();
  }

  @Test
  void anErrorThrownByAnAppListNeitherKillsTheWorkerNorPrintsItsMessage() {
    List<String> hostile = new AbstractList<>() {
      @Override
      public String get(int index) {
        throw new AssertionError("lazy load failed for user alice@example.com");
      }

      @Override
      public int size() {
        return 1;
      }
    };
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    List<AnalyticsEvent> events;
    try {
      events = run(t -> {
        t.spanBuilder("first").setAttribute(AttributeKey.stringArrayKey("cli.target"), hostile).startSpan().end();
        t.spanBuilder("second").startSpan().end();
      });
    } finally {
      System.setErr(original);
    }
    assertThat(events).extracting(AnalyticsEvent::name).containsExactly("second");
    assertThat(analytics.stats().mappingFailures()).isEqualTo(1);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("alice");
  }

  @ParameterizedTest
  @CsvSource({"alice_smith, error", "timeout, timeout", "500, 500", "java.net.UnknownHostException, UnknownHostException",
      "com.acme.Customer, Customer", "BadGatewayFailure, BadGatewayFailure"})
  void errorTypeKeepsOnlyErrorShapedNames(String declared, String expected) {
    List<AnalyticsEvent> events = run(t -> {
      Span span = t.spanBuilder("call").setAttribute("error.type", declared).startSpan();
      span.setStatus(StatusCode.ERROR);
      span.end();
    });
    assertThat(events.get(0).properties()).containsEntry("error_type", expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"host.mac", "host.ip", "process.owner", "process.command_line", "user.email", "url.original",
      "db.connection_string", "db.query.parameter.user", "rpc.grpc.request.metadata.authorization"})
  void moreKeysCanNeverBeCollected(String key) {
    assertThatThrownBy(() -> PrivacyPolicy.builder().allowResourceAttribute(key, "x")).hasMessageContaining("can never be collected");
    assertThatThrownBy(() -> PrivacyPolicy.builder().hashAttribute(key, "x")).hasMessageContaining("can never be collected");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "alice%40example.com | EMAIL",
    "alice\uFF20example.com | EMAIL",
    "alice@exa\u200Bmple.com | EMAIL",
    "aa:bb:cc:dd:ee:ff | IP_ADDRESS",
    "AC-DE-48-00-11-22 | IP_ADDRESS",
    "010.020.030.040 | IP_ADDRESS",
    "ip-10-20-30-40 | IP_ADDRESS",
    "password=hunter2 | SECRET_TOKEN",
    "db_password: hunter2 | SECRET_TOKEN",
    "login --password hunter2 | SECRET_TOKEN",
    "api_key=abcd1234efgh5678 | SECRET_TOKEN",
    "/login?email=alice | URL_SECRET",
    "4111.1111.1111.1111 | CARD_NUMBER",
    "4111/1111/1111/1111 | CARD_NUMBER",
  })
  void disguisedValuesAreCaught(String value, GuardReason reason) {
    assertThat(ValueGuards.check(value)).isEqualTo(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /api/v1/items/{id}", "2026-11-23T16:09:42.123Z", "17.0.15+6-Debian-1deb12u1",
      "keyboard layout", "password reset requested", "100% done", "a-b-c-d-e-f", "What? Yes."})
  void ordinaryValuesStillPass(String value) {
    assertThat(ValueGuards.check(value)).isNull();
  }

  @Test
  void eventPrefixesCannotCarryDigits() {
    assertThatThrownBy(() -> OtelAnalytics.builder().setServiceName("test-app").setEventPrefix("cf-4111-1111-")).isInstanceOf(IllegalArgumentException.class);
    assertThat(OtelAnalytics.builder().setServiceName("test-app").setEventPrefix("cf:")).isNotNull();
  }

  @Test
  void logLinesShowTheHomeDirectoryAsTilde() {
    String home = System.getProperty("user.home");
    assertThat(LogText.path(Path.of(home, ".local", "state", "x"))).isEqualTo("~/.local/state/x").doesNotContain(home + "/");
    assertThat(LogText.path(Path.of("/var/lib/app"))).isEqualTo("/var/lib/app");
  }
}
