package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up and shutdown of the outbox side, in every order (issue 14, fault 7). */
class OutboxSinkLifecycleTest {
  @TempDir Path dir;
  private final DeliveryCounters counters = new DeliveryCounters();
  private final RetryPolicy retry = new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), new Random(1));

  /** Counts what it is sent; always 2xx. */
  static class CountingDestination implements Destination {
    final List<AnalyticsEvent> sent = new ArrayList<>();

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public boolean isRemote() {
      return true;
    }

    @Override
    public synchronized DeliveryResult send(List<AnalyticsEvent> events) {
      sent.addAll(events);
      return DeliveryResult.delivered();
    }

    synchronized int sent() {
      return sent.size();
    }
  }

  private List<Path> lockFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("owner-")).toList();
    }
  }

  private static Set<Thread> senderThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().equals("otel-analytics-sender")) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void shutdownWhileTheOutboxIsBeingOpenedLeavesNoSenderRunningAndNoLockHeld() throws Exception {
    Set<Thread> before = senderThreads();
    CountDownLatch opening = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    CountingDestination destination = new CountingDestination();
    OutboxSink sink = new OutboxSink(destination, () -> {
      opening.countDown();
      proceed.await();
      return Outbox.open(dir, 1 << 20, counters);
    }, retry, counters, 1000);
    Thread starter = new Thread(sink::start, "starter");
    starter.start();
    assertThat(opening.await(10, TimeUnit.SECONDS)).isTrue();

    sink.close(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));   // shutdown gives up during start-up
    proceed.countDown();
    starter.join(10_000);

    Set<Thread> started = senderThreads();
    started.removeAll(before);
    assertThat(started).as("senders started by this sink").isEmpty();
    assertThat(lockFiles()).as("the outbox lock is released").isEmpty();
  }

  /** Delegates to an outbox, but taking over earlier runs' batches fails. */
  static final class TakeOverFails implements BatchStore {
    final Outbox outbox;
    boolean closed;

    TakeOverFails(Outbox outbox) {
      this.outbox = outbox;
    }

    @Override
    public int takeOverOrphans() throws IOException {
      throw new java.nio.file.AccessDeniedException("outbox/b-0000000000000-000000000-0123456789abcdef.jsonl");
    }

    @Override
    public Batch add(List<AnalyticsEvent> events) throws IOException {
      return outbox.add(events);
    }

    @Override
    public void append(List<AnalyticsEvent> events) throws IOException {
      outbox.append(events);
    }

    @Override
    public void seal() throws IOException {
      outbox.seal();
    }

    @Override
    public List<? extends Batch> pending() throws IOException {
      return outbox.pending();
    }

    @Override
    public List<AnalyticsEvent> read(Batch batch) throws IOException {
      return outbox.read(batch);
    }

    @Override
    public List<AnalyticsEvent> claim(Batch batch) throws IOException {
      return outbox.claim(batch);
    }

    @Override
    public void release(Batch batch) throws IOException {
      outbox.release(batch);
    }

    @Override
    public void acknowledge(Batch batch) throws IOException {
      outbox.acknowledge(batch);
    }

    @Override
    public List<? extends Batch> split(Batch batch, List<List<AnalyticsEvent>> parts) throws IOException {
      return outbox.split(batch, parts);
    }

    @Override
    public long size() {
      return outbox.size();
    }

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public void close() {
      closed = true;
      outbox.close();
    }
  }

  @Test
  void aFailureWhileTakingOverEarlierBatchesKeepsTheOutboxAndItsLockIsReleasedAtClose() throws Exception {
    CountingDestination destination = new CountingDestination();
    TakeOverFails[] store = new TakeOverFails[1];
    OutboxSink sink = new OutboxSink(destination, () -> store[0] = new TakeOverFails(Outbox.open(dir, 1 << 20, counters)),
        retry, counters, 1000);
    sink.start();
    sink.accept(List.of(Events.at("2026-01-01T00:00:00Z", "a")));
    sink.flushed().join(10, TimeUnit.SECONDS);
    assertThat(destination.sent()).isEqualTo(1);
    sink.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    assertThat(store[0].closed).isTrue();
    assertThat(lockFiles()).isEmpty();
  }
}
