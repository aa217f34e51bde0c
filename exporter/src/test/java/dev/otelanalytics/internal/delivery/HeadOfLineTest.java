package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing in the outbox holds back what is behind it (issue 14, fault 4): a file that cannot be
 * read as a batch (a directory, a FIFO, a link to a device) is set aside, counted and logged, and
 * the reader never opens a FIFO; a batch that keeps failing while others are delivered waits
 * behind them, and is halved until the failing event is alone.
 */
class HeadOfLineTest {
  private static final String DEAD_OWNER = "00000000deadbeef";

  @TempDir Path dir;
  private final DeliveryCounters counters = new DeliveryCounters();
  private final RetryPolicy retry = new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(40), new Random(1));

  /** 2xx for every batch, except one holding an event named "poison": 503 (or as told). */
  static final class PoisonDestination implements Destination {
    final List<String> delivered = new ArrayList<>();
    final List<Integer> poisonedBatchSizes = new ArrayList<>();

    @Override
    public String name() {
      return "poison";
    }

    @Override
    public boolean isRemote() {
      return true;
    }

    @Override
    public synchronized DeliveryResult send(List<AnalyticsEvent> events) {
      if (events.stream().anyMatch(e -> e.name().equals("poison"))) {
        poisonedBatchSizes.add(events.size());
        return DeliveryResult.retry("HTTP 503", null);
      }
      events.forEach(e -> delivered.add(e.name()));
      return DeliveryResult.delivered();
    }

    synchronized List<String> delivered() {
      return new ArrayList<>(delivered);
    }

    synchronized List<Integer> poisonedBatchSizes() {
      return new ArrayList<>(poisonedBatchSizes);
    }
  }

  private static List<AnalyticsEvent> events(String... names) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (String name : names) {
      out.add(Events.at("2026-01-01T00:00:00Z", name, Map.of()));
    }
    return out;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  private Path deadOwnersFile(int age) {
    return dir.resolve(String.format("b-%013d-%09d-%s.jsonl", 1_000_000_000_000L + age, age, DEAD_OWNER));
  }

  private static boolean mkfifo(Path path) {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private List<String> setAsideFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("unreadable-")).sorted().toList();
    }
  }

  @Test
  void filesThatCannotBeReadAsBatchesAreSetAsideAndTheBatchesBehindThemAreSent() throws Exception {
    Files.createDirectories(dir);
    Files.createDirectory(deadOwnersFile(1));
    Files.writeString(deadOwnersFile(1).resolve("inside"), "a directory named like a batch\n");
    Files.createSymbolicLink(deadOwnersFile(2), Paths.get("/dev/zero"));
    Files.createSymbolicLink(deadOwnersFile(3), dir.resolve("nowhere"));
    boolean fifo = mkfifo(deadOwnersFile(4));
    try (Outbox earlier = Outbox.open(dir, 1 << 20, counters)) {
      earlier.add(events("behind-them"));
    }
    PoisonDestination destination = new PoisonDestination();
    OutboxSink sink = new OutboxSink(destination, () -> Outbox.open(dir, 1 << 20, counters), retry, counters, 1000);

    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      sink.start();
      await(() -> destination.delivered().contains("behind-them"));
      sink.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    });

    int bad = fifo ? 4 : 3;
    assertThat(counters.outboxFilesSetAside.sum()).isEqualTo(bad);
    assertThat(setAsideFiles()).hasSize(bad);
    assertThat(Outbox.batchFiles(dir)).isEmpty();
  }

  @Test
  void aLockFileThatIsAFifoDoesNotHangTheLookForBatchesOfRunsThatEnded() throws Exception {
    Files.createDirectories(dir);
    assumeTrue(mkfifo(dir.resolve("owner-" + DEAD_OWNER + ".lock")), "mkfifo");
    Files.write(deadOwnersFile(1), dev.otelanalytics.internal.event.EventJson.toJsonLines(events("orphan")));
    try (Outbox outbox = Outbox.open(dir, 1 << 20, counters)) {
      assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), outbox::takeOverOrphans)).isEqualTo(1);
    }
  }

  @Test
  void aBatchThatKeepsFailingWhileOthersAreDeliveredWaitsBehindThemAndIsNarrowedDown() throws Exception {
    PoisonDestination destination = new PoisonDestination();
    OutboxSink sink = new OutboxSink(destination, () -> Outbox.open(dir, 1 << 20, counters), retry, counters, 1000);
    sink.start();
    sink.accept(events("a", "b", "poison", "c"));
    List<String> expected = new ArrayList<>(List.of("a", "b", "c"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int i = 0; !destination.delivered().containsAll(expected) && System.nanoTime() < deadline; i++) {
      sink.accept(events("later-" + i));   // a service keeps ending spans
      expected.add("later-" + i);
      Thread.sleep(20);
    }
    sink.accept(events("last"));
    expected.add("last");
    await(() -> destination.delivered().containsAll(expected));
    sink.close(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));

    assertThat(destination.delivered()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(destination.poisonedBatchSizes()).as("halved until it is alone").contains(4, 2, 1);
    List<AnalyticsEvent> waiting = new ArrayList<>();
    try (Outbox after = Outbox.open(dir, 1 << 20, new DeliveryCounters())) {
      after.takeOverOrphans();
      for (Outbox.Entry e : after.pending()) {
        waiting.addAll(after.read(e));
      }
    }
    assertThat(waiting).extracting(AnalyticsEvent::name).as("kept for a later attempt, not dropped").containsExactly("poison");
  }
}
