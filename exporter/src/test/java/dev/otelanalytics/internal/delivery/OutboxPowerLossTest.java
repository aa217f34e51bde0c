package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What must survive a power cut is on the device before the outbox says it has it (issue 17,
 * fault 2): a batch's content before its name (fdatasync of the file before the rename), and its
 * name before the call returns (fsync of the directory after the rename). The open batch is synced
 * when it is sealed, not at each append. A power cut cannot be pulled in a test, so a
 * disk that records what was forced, and what the directory held at that moment, stands in for
 * the device. An empty batch file, which is what a power cut leaves of a batch whose content was
 * not on the device, is counted ({@code outboxFilesEmpty}) and logged once.
 */
class OutboxPowerLossTest {
  private static final String DEAD = "00000000deadbeef";

  @TempDir Path dir;

  private final DeliveryCounters counters = new DeliveryCounters();
  private final List<Outbox> opened = new ArrayList<>();
  private final List<String> log = new ArrayList<>();

  /** A real disk that records each force (name and size) and each directory sync (the batch names then). */
  private final Outbox.Disk recording = new Outbox.Disk() {
    @Override
    public void write(FileChannel channel, Path file, byte[] content) throws IOException {
      Outbox.Disk.REAL.write(channel, file, content);
    }

    @Override
    public void force(FileChannel channel, Path file) throws IOException {
      channel.force(false);
      synchronized (log) {
        log.add("force " + file.getFileName() + " " + channel.size() + " bytes; names " + names());
      }
    }

    @Override
    public void syncDirectory(Path directory) {
      assertThat(DirectorySync.sync(directory) || windows()).isTrue();
      synchronized (log) {
        log.add("sync " + directory.getFileName() + "; names " + names());
      }
    }
  };

  @AfterEach
  void closeAll() {
    opened.forEach(Outbox::close);
  }

  private Outbox open() throws IOException {
    Outbox outbox = Outbox.open(dir, 1 << 20, counters, recording);
    opened.add(outbox);
    return outbox;
  }

  private static boolean windows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  private List<String> names() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("b-")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<AnalyticsEvent> events(int n) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(AnalyticsEvent.create("e" + i, "install-1", 1L, UUID.randomUUID().toString(), Map.of("cli.command", "run")));
    }
    return out;
  }

  @Test
  void aBatchWrittenWholeIsOnTheDeviceBeforeItsNameAndItsNameBeforeAddReturns() throws IOException {
    Outbox outbox = open();
    List<AnalyticsEvent> batch = events(3);
    long bytes = EventJson.toJsonLines(batch).length;

    String name = outbox.add(batch).file.getFileName().toString();

    assertThat(log).as("the whole content forced under the temporary name, before the rename")
        .anyMatch(l -> l.matches("force \\.b-.*\\.tmp " + bytes + " bytes; names \\[\\]"));
    assertThat(log.get(log.size() - 1)).as("the directory synced once the batch has its name").isEqualTo("sync " + dir.getFileName()
        + "; names [" + name + "]");
  }

  @Test
  void aSealedBatchIsOnTheDeviceBeforeItsNameAndItsNameBeforeSealReturns() throws IOException {
    Outbox outbox = open();
    List<AnalyticsEvent> first = events(2);
    List<AnalyticsEvent> second = events(5);
    long bothBytes = EventJson.toJsonLines(first).length + EventJson.toJsonLines(second).length;

    outbox.append(first);
    outbox.append(second);
    String open = names().get(0);
    assertThat(open).endsWith(".open");
    assertThat(log).as("appends are synced at the seal, not one by one").isEmpty();
    outbox.seal();

    String sealed = open.replace(".open", ".jsonl");
    assertThat(log).containsExactly("force " + open + " " + bothBytes + " bytes; names [" + open + "]",
        "sync " + dir.getFileName() + "; names [" + sealed + "]");
  }

  @Test
  void aFailedSyncIsLoggedAndTheBatchStillSealed() throws IOException {
    Outbox outbox = Outbox.open(dir, 1 << 20, counters, new Outbox.Disk() {
      @Override
      public void write(FileChannel channel, Path file, byte[] content) throws IOException {
        Outbox.Disk.REAL.write(channel, file, content);
      }

      @Override
      public void force(FileChannel channel, Path file) throws IOException {
        throw new IOException("Input/output error");
      }
    });
    opened.add(outbox);
    outbox.append(events(2));
    outbox.seal();
    assertThat(outbox.add(events(1))).isNotNull();

    assertThat(outbox.pending()).hasSize(2);
  }

  @Test
  void aBatchRewrittenWithoutItsCorruptLinesIsOnTheDeviceBeforeItReplacesTheOld() throws IOException {
    Files.createDirectories(dir);
    byte[] good = EventJson.toJsonLines(events(2));
    byte[] content = (new String(good, StandardCharsets.UTF_8) + "{not json\n").getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("b-1795000000000-000000000-" + DEAD + ".jsonl"), content);
    Outbox outbox = open();
    outbox.takeOverOrphans();
    Outbox.Entry entry = outbox.pending().get(0);
    log.clear();

    assertThat(outbox.claim(entry)).hasSize(2);

    String sending = entry.sending().getFileName().toString();
    assertThat(log).as(String.join("\n", log)).hasSize(2);
    assertThat(log.get(0)).as("the good lines forced under a temporary name").matches("force \\..*\\.tmp " + good.length
        + " bytes; names \\[" + sending.replace(".", "\\.") + "\\]");
    assertThat(log.get(1)).isEqualTo("sync " + dir.getFileName() + "; names [" + sending + "]");
    assertThat(Files.readAllBytes(entry.sending())).isEqualTo(good);
  }

  @Test
  void anEmptyBatchFileWhichIsWhatAPowerCutLeavesIsCountedAndLoggedOnce() throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("b-1795000000000-000000000-" + DEAD + ".jsonl"), new byte[0]);
    Files.write(dir.resolve("b-1795000000001-000000001-" + DEAD + ".open"), new byte[0]);
    Files.write(dir.resolve("b-1795000000002-000000002-" + DEAD + ".jsonl"), EventJson.toJsonLines(events(1)));
    List<String> warnings = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        warnings.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger(Outbox.class.getName());
    logger.addHandler(handler);
    try {
      Outbox outbox = open();
      assertThat(outbox.takeOverOrphans()).isEqualTo(3);
      List<Integer> sizes = new ArrayList<>();
      for (Outbox.Entry entry : outbox.pending()) {
        sizes.add(outbox.claim(entry).size());
        outbox.acknowledge(entry);
      }

      assertThat(sizes).containsExactly(0, 0, 1);
      assertThat(counters.outboxFilesEmpty.sum()).isEqualTo(2);
      assertThat(counters.droppedCorrupt.sum()).isZero();
      assertThat(warnings.stream().filter(w -> w.contains("empty"))).as(String.join("\n", warnings)).hasSize(1);
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void aDirectoryIsSyncedWhereTheSystemAllowsItAndAMissingOneIsNoError() {
    assumeFalse(windows(), "Windows cannot open a directory as a file: nothing is synced there (documented)");
    assertThat(DirectorySync.sync(dir)).isTrue();
    assertThat(DirectorySync.sync(dir.resolve("missing"))).isFalse();
    assertThat(DirectorySync.sync(dir)).as("a missing directory is no refusal").isTrue();
  }

}
