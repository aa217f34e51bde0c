package dev.otelanalytics.benchmarks;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.delivery.DeliveryCounters;
import dev.otelanalytics.internal.delivery.Outbox;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What syncing the outbox for power cuts costs the worker thread, per batch of 100 events: the
 * real disk as shipped ({@code synced}: fdatasync of a batch when it is sealed or before a batch
 * written whole is renamed into place, fsync of the directory after the rename), the alternative
 * of syncing every append as well ({@code eachAppend}), and the same writes with no sync at all
 * ({@code unsynced}, the outbox before issue 17). The directory is under {@code java.io.tmpdir}
 * unless {@code -Doutbox.bench.dir} names another (the disk measured must be the one of interest:
 * a tmpfs syncs nothing). Each batch is acknowledged (deleted) again, so the directory stays small.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutboxSyncBenchmark {
  /** The writes as they are, without their syncs. */
  private static final Outbox.Disk UNSYNCED = new Outbox.Disk() {
    @Override
    public void write(FileChannel channel, Path file, byte[] content) throws IOException {
      Outbox.Disk.REAL.write(channel, file, content);
    }

    @Override
    public void force(FileChannel channel, Path file) {}

    @Override
    public void syncDirectory(Path directory) {}
  };

  /** The shipped disk, plus an fdatasync after every write: what syncing each append would cost. */
  private static final Outbox.Disk EACH_APPEND = new Outbox.Disk() {
    @Override
    public void write(FileChannel channel, Path file, byte[] content) throws IOException {
      Outbox.Disk.REAL.write(channel, file, content);
      channel.force(false);
    }
  };

  @Param({"synced", "eachAppend", "unsynced"})
  public String disk;

  private Path directory;
  private Outbox outbox;
  private List<AnalyticsEvent> hundred;
  private final List<List<AnalyticsEvent>> tens = new ArrayList<>();

  @Setup
  public void setUp() throws IOException {
    String where = System.getProperty("outbox.bench.dir");
    directory = where == null ? Files.createTempDirectory("outbox-sync-bench") : Files.createTempDirectory(Paths.get(where), "outbox");
    outbox = Outbox.open(directory.resolve("outbox"), Long.MAX_VALUE, new DeliveryCounters(),
        disk.equals("synced") ? Outbox.Disk.REAL : disk.equals("eachAppend") ? EACH_APPEND : UNSYNCED);
    hundred = events(100);
    for (int i = 0; i < 10; i++) {
      tens.add(events(10));
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    outbox.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** Events the size of a usual one (about 330 bytes as a JSON line). */
  private static List<AnalyticsEvent> events(int n) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("duration_ms", 42L + i);
      properties.put("success", true);
      properties.put("cli.command", "inspect");
      properties.put("service.name", "cli-app");
      properties.put("service.version", "1.4.2");
      properties.put("$lib", "otel-analytics");
      properties.put("$lib_version", "0.1.0");
      out.add(AnalyticsEvent.create("inspect", "5f0c3a57-6f5e-4a4e-9a55-3b0c1e3f0a11", System.currentTimeMillis() * 1_000_000L,
          UUID.randomUUID().toString(), properties));
    }
    return out;
  }

  private void acknowledgeAll() throws IOException {
    for (Outbox.Entry entry : outbox.pending()) {
      outbox.acknowledge(entry);
    }
  }

  /** A batch written whole (a split's parts): synced, one fdatasync and one directory fsync. */
  @Benchmark
  public void batchOf100WrittenWhole() throws IOException {
    outbox.acknowledge(outbox.add(hundred));
  }

  /** The worker under load, and a CLI run: 100 events in one append, then sealed. Synced: one fdatasync, one directory fsync. */
  @Benchmark
  public void batchOf100InOneAppend() throws IOException {
    outbox.append(hundred);
    outbox.seal();
    acknowledgeAll();
  }

  /**
   * A trickle: the worker appends 10 events every 100 ms, then seals. Synced: one fdatasync and one
   * directory fsync; each append: eleven fdatasyncs.
   */
  @Benchmark
  public void batchOf100InTenAppends() throws IOException {
    for (List<AnalyticsEvent> ten : tens) {
      outbox.append(ten);
    }
    outbox.seal();
    acknowledgeAll();
  }
}
