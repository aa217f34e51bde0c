package dev.otelanalytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.Canaries;
import dev.otelanalytics.testing.RecordingDestination;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two hooks the OTLP relay uses: {@link OtelAnalyticsBuilder#setForwarding} (each event keeps
 * its own service's name; a value a gateway hashed with the same key and marked is not hashed
 * again, any other value is) and
 * {@link AnalyticsSpanProcessor#offerAll} (all selected spans or none, never blocking).
 */
class ForwardingAndAdmissionTest {
  private static final byte[] KEY = "forwarding-test-key-0123456789".getBytes(StandardCharsets.UTF_8);
  private static final PrivacyPolicy POLICY = PrivacyPolicy.defaultPolicy().toBuilder()
      .hashAttribute("enduser.id", "count users")
      .build();

  @TempDir Path stateDir;

  @Test
  void forwardingKeepsEachSpansServiceNameAndHashesOnlyWhatIsNotHashedYet() {
    RecordingDestination destination = RecordingDestination.recording();
    OtelAnalytics analytics = builder(destination).setForwarding(true).build();
    String preHashed = new KeyedHasher(KEY).hash("bob@example.com");
    // A raw PHP session id: 32 lower-case hex digits, the hash's form, but not marked by a gateway.
    String sessionId = "9f86d081884c7d659a2feaa0c55ad015";
    List<ReadableSpan> spans = new ArrayList<>();
    spans.addAll(finished("svc-python", "alice@example.com", "GET /a"));
    spans.addAll(finished("svc-go", KeyedHasher.GATEWAY_MARK + preHashed, "GET /b"));
    spans.addAll(finished(Canaries.EMAIL, "ABCDEF0123456789ABCDEF0123456789", "GET /c"));
    spans.addAll(finished("svc-php", sessionId, "GET /d"));

    assertThat(analytics.spanProcessor().offerAll(spans)).isTrue();
    assertThat(analytics.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<AnalyticsEvent> events = destination.events();
    assertThat(events).hasSize(4);
    assertThat(events.get(0).properties()).containsEntry("service.name", "svc-python")
        .containsEntry("enduser.id", new KeyedHasher(KEY).hash("alice@example.com"))
        .doesNotContainKey("os.type");
    assertThat(events.get(1).properties()).containsEntry("service.name", "svc-go").containsEntry("enduser.id", preHashed);
    // A service name that is an e-mail is dropped by the guards; upper-case hex is not the hash's form: hashed.
    assertThat(events.get(2).properties()).doesNotContainKey("service.name")
        .containsEntry("enduser.id", new KeyedHasher(KEY).hash("ABCDEF0123456789ABCDEF0123456789"));
    assertThat(events.get(3).properties()).containsEntry("enduser.id", new KeyedHasher(KEY).hash(sessionId));
    assertThat(events.toString()).doesNotContain(sessionId).doesNotContain(KeyedHasher.GATEWAY_MARK);
    Canaries.assertNoCanary(events.toString());
  }

  @Test
  void withoutForwardingAMarkedHashIsHashedAgainAndTheServiceNameIsThisProcesss() {
    RecordingDestination destination = RecordingDestination.recording();
    OtelAnalytics analytics = builder(destination).build();
    String preHashed = KeyedHasher.GATEWAY_MARK + new KeyedHasher(KEY).hash("bob@example.com");

    assertThat(analytics.spanProcessor().offerAll(finished("svc-go", preHashed, "GET /b"))).isTrue();
    assertThat(analytics.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(destination.events()).singleElement().satisfies(e -> assertThat(e.properties())
        .containsEntry("service.name", "forwarding-test")
        .containsEntry("enduser.id", new KeyedHasher(KEY).hash(preHashed)));
  }

  @Test
  void offerAllTakesAllSelectedSpansOrNoneAndIgnoresTheUnselected() throws Exception {
    RecordingDestination destination = RecordingDestination.stalled();
    OtelAnalytics analytics = builder(destination).setQueueSize(4).setBatchSize(1).build();
    AnalyticsSpanProcessor processor = analytics.spanProcessor();
    // The worker takes the first span and hangs in the destination: the queue no longer drains.
    assertThat(processor.offerAll(finished("svc", "u", "first"))).isTrue();
    assertThat(destination.awaitSendStarted(10)).isTrue();
    assertThat(processor.remainingCapacity()).isEqualTo(4);

    // Unselected spans take no place: five children and three roots fit a queue of four.
    List<ReadableSpan> mixed = new ArrayList<>(childSpans(5));
    for (int i = 0; i < 3; i++) {
      mixed.addAll(finished("svc", "u" + i, "root " + i));
    }
    assertThat(processor.offerAll(mixed)).isTrue();
    assertThat(processor.remainingCapacity()).isEqualTo(1);
    // Two more roots do not fit the one place left: neither is queued, and nothing counts as dropped.
    List<ReadableSpan> two = new ArrayList<>(finished("svc", "x", "late 1"));
    two.addAll(finished("svc", "y", "late 2"));
    assertThat(processor.offerAll(two)).isFalse();
    assertThat(processor.remainingCapacity()).isEqualTo(1);
    assertThat(analytics.stats().droppedQueueFull()).isZero();
    assertThat(analytics.stats().accepted()).isEqualTo(4);

    // Once the destination answers, the queue drains and the same request is taken whole.
    destination.release();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean admitted = false;
    while (!admitted && System.nanoTime() < deadline) {
      admitted = processor.offerAll(two);
      if (!admitted) {
        Thread.sleep(5);
      }
    }
    assertThat(admitted).isTrue();
    assertThat(analytics.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<String> names = new ArrayList<>();
    destination.events().forEach(e -> names.add(e.name()));
    assertThat(names).containsExactlyInAnyOrder("first", "root 0", "root 1", "root 2", "late 1", "late 2");
    assertThat(analytics.stats().accepted()).isEqualTo(6);
    assertThat(analytics.stats().droppedQueueFull()).isZero();
  }

  @Test
  void offerAllAfterShutdownQueuesNothing() {
    OtelAnalytics analytics = builder(RecordingDestination.recording()).build();
    analytics.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(analytics.spanProcessor().offerAll(finished("svc", "u", "GET /x"))).isFalse();
    assertThat(analytics.spanProcessor().offerAll(List.of())).isTrue();
  }

  private OtelAnalyticsBuilder builder(RecordingDestination destination) {
    return OtelAnalytics.builder()
        .setServiceName("forwarding-test")
        .setStateDirectory(stateDir)
        .setPolicy(POLICY)
        .setHashKey(KEY)
        .setDestination(destination)
        .setLocalHistory(false)
        .setFlushInterval(Duration.ofHours(1))
        .setShutdownTimeout(Duration.ofSeconds(5));
  }

  /** One finished root span of a service named {@code service}, as the SDK hands it to a processor. */
  private static List<ReadableSpan> finished(String service, String user, String name) {
    Capture capture = new Capture();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
        .addSpanProcessor(capture)
        .build();
    provider.get("test").spanBuilder(name).setAttribute("enduser.id", user).startSpan().end();
    provider.close();
    return capture.spans;
  }

  private static List<ReadableSpan> childSpans(int count) {
    Capture capture = new Capture();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(capture).build();
    Tracer tracer = provider.get("test");
    Span parent = tracer.spanBuilder("parent").startSpan();
    for (int i = 0; i < count; i++) {
      tracer.spanBuilder("child").setParent(Context.root().with(parent)).startSpan().end();
    }
    provider.close();
    return capture.spans;
  }

  private static final class Capture implements SpanProcessor {
    final List<ReadableSpan> spans = new ArrayList<>();

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public synchronized void onEnd(ReadableSpan span) {
      spans.add(span);
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
