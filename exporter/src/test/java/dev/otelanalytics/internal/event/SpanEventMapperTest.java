package dev.otelanalytics.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.Canaries;
import dev.otelanalytics.testing.RecordingDestination;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Span → event mapping through a real tracer provider and the analytics processor. */
class SpanEventMapperTest {
  @TempDir Path stateDir;

  private List<AnalyticsEvent> run(PrivacyPolicy policy, String prefix, Consumer<Tracer> spans) {
    RecordingDestination destination = RecordingDestination.recording();
    OtelAnalytics analytics = OtelAnalytics.builder().setServiceName("svc")
        .setStateDirectory(stateDir)
        .setPolicy(policy)
        .setEventPrefix(prefix)
        .setDestination(destination)
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "svc",
            AttributeKey.stringKey("service.version"), "2.0.1", AttributeKey.stringKey("host.name"), "build-7")))
        .addSpanProcessor(analytics.spanProcessor())
        .build();
    spans.accept(provider.get("test"));
    provider.shutdown().join(10, TimeUnit.SECONDS);
    return destination.events();
  }

  private List<AnalyticsEvent> run(Consumer<Tracer> spans) {
    return run(PrivacyPolicy.defaultPolicy().toBuilder().allowAttribute("cli.command", "test").build(), "", spans);
  }

  @Test
  void successfulSpanHasTimingSuccessAndOnlyAllowlistedAttributes() {
    List<AnalyticsEvent> events = run(t -> t.spanBuilder("inspect")
        .setAttribute("cli.command", "inspect").setAttribute("cli.args", "x").startSpan().end());

    AnalyticsEvent event = events.get(0);
    assertThat(event.name()).isEqualTo("inspect");
    assertThat(event.properties()).containsOnlyKeys("duration_ms", "success", "cli.command", "service.name", "service.version");
    assertThat(event.properties()).containsEntry("success", true).containsEntry("service.version", "2.0.1");
    assertThat(event.properties().keySet()).startsWith("duration_ms", "success");
  }

  @Test
  void eventNamesTheListDoesNotNameAreSentAsOther() {
    PrivacyPolicy policy = PrivacyPolicy.defaultPolicy().toBuilder()
        .setEventNames(List.of("inspect", "GET /api/*", "report?"))
        .addSpanEvent("cache.miss")
        .build();
    List<AnalyticsEvent> events = run(policy, "app.", t -> {
      t.spanBuilder("inspect").startSpan().end();
      t.spanBuilder("inspect /home/alice/x").startSpan().end();
      t.spanBuilder("GET /api/users/alice@example.com").setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER).startSpan().end();
      t.spanBuilder("reports").startSpan().end();
      t.spanBuilder("login alice @ example.com").startSpan().end();
      t.spanBuilder("deploy").setAttribute("analytics.event", "bob.smith@example.org signed up").startSpan().end();
      Span withEvent = t.spanBuilder("unlisted").startSpan();
      withEvent.addEvent("cache.miss");
      withEvent.end();
    });
    assertThat(events).extracting(AnalyticsEvent::name).containsExactlyInAnyOrder("app.inspect", "app.inspect",
        "app.GET /api/users/{id}", "app.reports", "app.other", "app.other", "app.other", "app.cache.miss");
    assertThat(events.toString()).doesNotContain("alice", "bob", "example");
  }

  @Test
  void durationAndTimestampComeFromTheSpan() {
    List<AnalyticsEvent> events = run(t -> {
      Span span = t.spanBuilder("cmd").setStartTimestamp(1_000_000_000L, TimeUnit.MILLISECONDS).startSpan();
      span.end(1_000_000_250L, TimeUnit.MILLISECONDS);
    });
    assertThat(events.get(0).properties()).containsEntry("duration_ms", 250L);
    assertThat(events.get(0).timestampEpochNanos()).isEqualTo(1_000_000_250L * 1_000_000L);
  }

  @Test
  void eachEventGetsItsOwnRandomUuidAndTheInstallIdAsDistinctId() {
    List<AnalyticsEvent> events = run(t -> {
      t.spanBuilder("a").startSpan().end();
      t.spanBuilder("b").startSpan().end();
    });
    assertThat(events.get(0).uuid()).isNotEqualTo(events.get(1).uuid());
    assertThat(events.get(0).distinctId()).isEqualTo(events.get(1).distinctId()).matches("[0-9a-f-]{36}");
  }

  @Test
  void exceptionIsReportedByItsSimpleClassNameOnly() {
    List<AnalyticsEvent> events = run(t -> {
      Span span = t.spanBuilder("inspect").startSpan();
      span.recordException(new java.nio.file.NoSuchFileException(Canaries.UNIX_HOME));
      span.setStatus(StatusCode.ERROR, Canaries.EMAIL);
      span.end();
    });
    assertThat(events.get(0).properties()).containsEntry("success", false).containsEntry("error_type", "NoSuchFileException");
    Canaries.assertNoCanary(events.get(0).properties().toString());
  }

  @ParameterizedTest
  @CsvSource({
    "java.net.UnknownHostException, UnknownHostException",
    "com.acme.Outer$InnerFailure, InnerFailure",
    "timeout, timeout",
    "alice@example.com, error",
    "'/home/alice/x', error",
    "'java.lang.IllegalStateException: failed for alice', error",
  })
  void semanticConventionErrorTypeIsReducedToASimpleName(String errorType, String expected) {
    List<AnalyticsEvent> events = run(t -> {
      Span span = t.spanBuilder("call").setAttribute("error.type", errorType).startSpan();
      span.setStatus(StatusCode.ERROR);
      span.end();
    });
    assertThat(events.get(0).properties()).containsEntry("error_type", expected);
  }

  @ParameterizedTest
  @CsvSource({"404, 4xx, true", "503, 5xx, false", "200, , true"})
  void httpStatusGivesAnErrorClass(long status, String expected, boolean success) {
    List<AnalyticsEvent> events = run(t -> {
      Span span = t.spanBuilder("GET /items/{id}").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.response.status_code", status).startSpan();
      if (!success) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    });
    if (expected == null) {
      assertThat(events.get(0).properties()).doesNotContainKey("error_type");
    } else {
      assertThat(events.get(0).properties()).containsEntry("error_type", expected);
    }
    assertThat(events.get(0).name()).isEqualTo("GET /items/{id}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "inspect /home/alice/projects/x | inspect",
    "GET /users/alice@example.com | GET /users/{id}",
    "upload to https://user:pw@host/x now | upload to",
    "/home/alice/run.sh | unnamed",
    // "Bearer" is kept alone, but read with the word that stopped the name it is a credential: dropped too
    "deploy Bearer abcdefghijklmnop1234 | deploy",
    "plain command name | plain command name",
  })
  void spanNamesKeepOnlyTheirLeadingSafeWords(String spanName, String expected) {
    List<AnalyticsEvent> events = run(t -> t.spanBuilder(spanName).startSpan().end());
    assertThat(events.get(0).name()).isEqualTo(expected);
  }

  @Test
  void analyticsEventAttributeNamesTheEventAndPrefixIsApplied() {
    PrivacyPolicy policy = PrivacyPolicy.defaultPolicy();
    List<AnalyticsEvent> events = run(policy, "cf:", t -> {
      t.spanBuilder("GET /x").setAttribute("analytics.event", "report_viewed").startSpan().end();
      t.spanBuilder("inspect").startSpan().end();
    });
    assertThat(events).extracting(AnalyticsEvent::name).containsExactly("cf:report_viewed", "cf:inspect");
    assertThat(events.get(0).properties()).doesNotContainKey("analytics.event");
  }

  @Test
  void longNamesKeepTheirFirstFiveWords() {
    String longName = "render " + "page ".repeat(100);
    List<AnalyticsEvent> events = run(t -> t.spanBuilder(longName).startSpan().end());
    assertThat(events.get(0).name()).isEqualTo("render page page page page");
  }

  @Test
  void allowlistedSpanEventsBecomeEventsCarryingTheirParentsAllowlistedAttributes() {
    PrivacyPolicy policy = PrivacyPolicy.defaultPolicy().toBuilder()
        .allowAttribute("cli.command", "test").allowAttribute("cache.key_kind", "test")
        .addSpanEvent("cache.miss").build();
    List<AnalyticsEvent> events = run(policy, "", t -> {
      Span span = t.spanBuilder("inspect").setAttribute("cli.command", "inspect").setAttribute("cli.args", "secret").startSpan();
      span.addEvent("cache.miss", Attributes.of(AttributeKey.stringKey("cache.key_kind"), "image",
          AttributeKey.stringKey("cache.key"), Canaries.UNIX_HOME));
      span.addEvent("cache.hit");
      span.end();
    });
    assertThat(events).extracting(AnalyticsEvent::name).containsExactly("inspect", "cache.miss");
    AnalyticsEvent miss = events.get(1);
    assertThat(miss.properties()).containsEntry("cache.key_kind", "image").containsEntry("cli.command", "inspect")
        .containsEntry("service.name", "svc").doesNotContainKeys("cache.key", "cli.args", "duration_ms");
  }

  @Test
  void onlyLocalRootsAreSelectedByDefaultAndARemoteParentCountsAsRoot() {
    List<AnalyticsEvent> events = run(t -> {
      Span root = t.spanBuilder("local-root").startSpan();
      try (Scope ignored = root.makeCurrent()) {
        t.spanBuilder("child").startSpan().end();
      }
      root.end();
      SpanContext remote = SpanContext.createFromRemoteParent(
          "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
      t.spanBuilder("server-entry").setParent(Context.root().with(Span.wrap(remote))).startSpan().end();
    });
    assertThat(events).extracting(AnalyticsEvent::name).containsExactlyInAnyOrder("local-root", "server-entry");
  }

  @Test
  void globSelectorsMatchWholeNamesOnly() {
    SpanSelector selector = SpanSelector.of(List.of("db.*", "cache.?et"));
    assertThat(NameMatcher.globToPattern("db.*").matcher("db.query").matches()).isTrue();
    assertThat(NameMatcher.globToPattern("db.*").matcher("mydb.query").matches()).isFalse();
    assertThat(NameMatcher.globToPattern("cache.?et").matcher("cache.get").matches()).isTrue();
    assertThat(NameMatcher.globToPattern("a+b(c)").matcher("a+b(c)").matches()).isTrue();
    assertThat(selector).isNotNull();
  }
}
