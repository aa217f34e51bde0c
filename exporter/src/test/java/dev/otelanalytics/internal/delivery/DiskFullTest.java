package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.delivery.OutboxSinkLifecycleTest.CountingDestination;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up or becomes read-only mid-run (issue 14, fault 8): batches wait in memory
 * instead of being dropped, and making room never deletes old batches for a write that then fails.
 */
class DiskFullTest {
  @TempDir Path dir;
  private final DeliveryCounters counters = new DeliveryCounters();
  private final AtomicBoolean full = new AtomicBoolean();

  /** The real disk, until {@link #full} is set. */
  private final Outbox.Disk disk = (channel, file, content) -> {
    if (full.get()) {
      throw new FileSystemException(file.toString(), null, "No space left on device");
    }
    Outbox.Disk.REAL.write(channel, file, content);
  };

  private static List<AnalyticsEvent> events(int n, String name) {
    return OutboxFullCountsExactlyTest.events(n, name);
  }

  @Test
  void aWriteThatFailsDeletesNothingToMakeRoom() throws Exception {
    try (Outbox outbox = Outbox.open(dir, 4096, counters, disk)) {
      for (int i = 0; i < 3; i++) {
        outbox.add(events(3, "old-" + i + "-"));
      }
      List<Path> before = Outbox.batchFiles(dir);
      long droppedBefore = counters.droppedOutboxFull.sum();
      full.set(true);

      assertThatThrownBy(() -> outbox.add(events(3, "new-"))).isInstanceOf(IOException.class);

      assertThat(Outbox.batchFiles(dir)).as("every old batch is still there").isEqualTo(before);
      assertThat(counters.droppedOutboxFull.sum()).isEqualTo(droppedBefore);
      try (var files = Files.list(dir)) {
        assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).as("no temporary file left").isEmpty();
      }
    }
  }

  @Test
  void whileTheDiskIsFullBatchesWaitInMemoryAndAreDelivered() throws Exception {
    CountingDestination destination = new CountingDestination();
    OutboxSink sink = new OutboxSink(destination, () -> Outbox.open(dir, 1 << 20, counters, disk),
        new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), new Random(1)), counters, 1000);
    sink.start();
    sink.accept(events(2, "before-"));
    full.set(true);
    sink.accept(events(3, "while-full-"));
    sink.flushed().join(10, TimeUnit.SECONDS);
    full.set(false);
    sink.accept(events(1, "after-"));
    sink.flushed().join(10, TimeUnit.SECONDS);
    sink.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));

    assertThat(destination.sent()).isEqualTo(6);
    assertThat(counters.eventsDelivered.sum()).isEqualTo(6);
    assertThat(counters.eventsFailed.sum()).isZero();
  }
}
