package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch has one sender at a time: while an attempt of a run that shut down may still deliver a
 * batch, no later run (or other instance) takes that batch over and sends it a second time. This
 * was the flaky {@code RemoteDeliveryTest.theNextRunSendsWhatAnEarlierRunLeftInTheOutbox}: the
 * first run's sender started one more attempt after shutdown had released the outbox, and the
 * second run sent the same batch again.
 */
class SenderHandOverTest {
  @TempDir Path stateDir;

  /** A remote destination whose sends can be held; close() cannot stop a request already on the wire. */
  static final class HeldDestination implements Destination {
    final List<String> delivered = new ArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release;
    private final DeliveryResult answer;

    HeldDestination(boolean held, DeliveryResult answer) {
      this.release = new CountDownLatch(held ? 1 : 0);
      this.answer = answer;
    }

    @Override
    public String name() {
      return "held";
    }

    @Override
    public boolean isRemote() {
      return true;
    }

    @Override
    public DeliveryResult send(List<AnalyticsEvent> events) {
      entered.countDown();
      // Like a request on the wire: an interrupt does not end it.
      boolean interrupted = false;
      while (true) {
        try {
          release.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (answer.kind() == DeliveryResult.Kind.DELIVERED) {
        synchronized (this) {
          events.forEach(e -> delivered.add(e.uuid()));
        }
      }
      return answer;
    }

    synchronized List<String> delivered() {
      return new ArrayList<>(delivered);
    }
  }

  private OtelAnalytics analytics(Destination destination, Duration shutdownTimeout) {
    return OtelAnalytics.builder().setServiceName("svc").setStateDirectory(stateDir).setDestination(destination)
        .setFlushInterval(Duration.ofDays(1)).setRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .setShutdownTimeout(shutdownTimeout).setLocalHistory(false).build();
  }

  private static void endSpan(OtelAnalytics analytics, String name) {
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(analytics.spanProcessor()).build();
    provider.get("test").spanBuilder(name).startSpan().end();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  private long outboxFiles() throws java.io.IOException {
    return Outbox.batchFiles(stateDir.resolve("outbox")).size();
  }

  @Test
  void aBatchStillBeingSentByARunThatShutDownIsNotTakenOverUntilThatAttemptEnded() throws Exception {
    HeldDestination firstDestination = new HeldDestination(true, DeliveryResult.delivered());
    OtelAnalytics first = analytics(firstDestination, Duration.ofMillis(200));
    endSpan(first, "from-the-first-run");
    first.forceFlush();
    assertThat(firstDestination.entered.await(10, TimeUnit.SECONDS)).as("the first run's attempt is on the wire").isTrue();
    first.shutdown().join(10, TimeUnit.SECONDS);

    HeldDestination secondDestination = new HeldDestination(false, DeliveryResult.delivered());
    OtelAnalytics second = analytics(secondDestination, Duration.ofSeconds(5));
    endSpan(second, "from-the-second-run");
    second.forceFlush().join(10, TimeUnit.SECONDS);
    assertThat(secondDestination.delivered()).as("only its own event: the first run's batch is still being sent").hasSize(1);

    firstDestination.release.countDown();   // the answer to the abandoned attempt arrives: 2xx
    await(() -> firstDestination.delivered().size() == 1);
    await(() -> {
      try {
        return outboxFiles() == 0;
      } catch (java.io.IOException e) {
        return false;
      }
    });
    second.forceFlush().join(10, TimeUnit.SECONDS);
    second.shutdown().join(10, TimeUnit.SECONDS);

    List<String> all = new ArrayList<>(firstDestination.delivered());
    all.addAll(secondDestination.delivered());
    assertThat(all).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void aBatchWhoseAbandonedAttemptFailedIsTakenOverByAnInstanceThatIsAlreadyRunning() throws Exception {
    HeldDestination firstDestination = new HeldDestination(true, DeliveryResult.retry("HTTP 503", null));
    OtelAnalytics first = analytics(firstDestination, Duration.ofMillis(200));
    endSpan(first, "from-the-first-run");
    first.forceFlush();
    assertThat(firstDestination.entered.await(10, TimeUnit.SECONDS)).isTrue();
    first.shutdown().join(10, TimeUnit.SECONDS);

    HeldDestination secondDestination = new HeldDestination(false, DeliveryResult.delivered());
    OtelAnalytics second = analytics(secondDestination, Duration.ofSeconds(5));
    second.forceFlush().join(10, TimeUnit.SECONDS);
    assertThat(secondDestination.delivered()).isEmpty();

    firstDestination.release.countDown();   // the abandoned attempt fails: the batch stays, its run is gone
    await(() -> {
      second.forceFlush().join(10, TimeUnit.SECONDS);   // a flush looks for batches of runs that ended
      return secondDestination.delivered().size() == 1;
    });
    second.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(firstDestination.delivered()).isEmpty();
    assertThat(outboxFiles()).isZero();
  }
}
