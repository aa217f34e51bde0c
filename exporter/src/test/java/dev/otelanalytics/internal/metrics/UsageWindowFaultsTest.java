package dev.otelanalytics.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.scrub.AttributeScrubber;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.policy.PrivacyPolicy;
import dev.otelanalytics.testing.LogCapture;
import dev.otelanalytics.testing.MutableClock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, fault 5: a usage report must never vanish between the window's reset and its queueing,
 * no error path may count a window twice, and no wait for the window's file lock may outlast the
 * shutdown budget. Each "process" is a {@link UsageReporter} of its own on one state directory.
 */
class UsageWindowFaultsTest {
  static final String COUNTER = UsageReportExporterTest.COUNTER;

  @TempDir Path stateDir;
  final MutableClock clock = MutableClock.at(UsageReportExporterTest.T0);
  final PrivacyPolicy policy = UsageReportExporterTest.policy();
  final AttributeScrubber scrubber = new AttributeScrubber(policy, new KeyedHasher(new byte[32]));
  final InstallIdentity identity = InstallIdentity.ephemeral(new byte[32]);

  /** A delivery that records what it queued; it can refuse, or "die" while queueing. */
  static final class Delivery implements ReportDelivery {
    final List<AnalyticsEvent> queued = new ArrayList<>();
    volatile boolean refuse;
    volatile RuntimeException dieWhileQueueing;

    @Override
    public synchronized boolean offer(AnalyticsEvent report) {
      if (dieWhileQueueing != null) {
        throw dieWhileQueueing;
      }
      if (refuse) {
        return false;
      }
      queued.add(report);
      return true;
    }

    @Override
    public boolean remote() {
      return true;
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode release() {
      return CompletableResultCode.ofSuccess();
    }

    /** OTEL_ANALYTICS_SHUTDOWN_TIMEOUT. */
    public Duration shutdownTimeout() {
      return Duration.ofSeconds(1);
    }

    synchronized List<AnalyticsEvent> queued() {
      return new ArrayList<>(queued);
    }
  }

  /** A file writer that works until told to fail (a full disk). */
  static final class FailingWriter implements UsageWindowStore.Writer {
    final AtomicInteger writes = new AtomicInteger();
    volatile int failFrom = Integer.MAX_VALUE;

    /** Every write from the {@code n}-th from now on (1 = the next) fails. */
    void failAfter(int n) {
      failFrom = writes.get() + n;
    }

    @Override
    public void replace(Path file, byte[] content) throws IOException {
      if (writes.incrementAndGet() >= failFrom) {
        throw new IOException("disk full");
      }
      SecureFiles.replace(file, content);
    }
  }

  UsageReporter process(Delivery delivery) {
    return process(delivery, SecureFiles::replace);
  }

  UsageReporter process(Delivery delivery, UsageWindowStore.Writer writer) {
    return new UsageReporter(policy, new UsageWindowStore(StateDirectory.at(stateDir), writer), "", () -> identity,
        () -> scrubber, delivery, Duration.ofDays(1), clock, null);
  }

  /** A process, its delivery and its file writer. */
  record Run(Delivery delivery, FailingWriter writer, UsageReporter reporter) {}

  /** A process that counted 5 a day ago: its window is due. */
  Run countedFiveADayAgo() {
    Delivery delivery = new Delivery();
    FailingWriter writer = new FailingWriter();
    UsageReporter reporter = process(delivery, writer);
    reporter.export(counted(5));
    clock.advance(Duration.ofDays(1));
    return new Run(delivery, writer, reporter);
  }

  static List<MetricData> counted(long n) {
    return List.of(UsageAccumulatorTest.longSum(COUNTER, true, AggregationTemporality.DELTA, UsageAccumulatorTest.point(0, n)));
  }

  /**
   * What reached the delivery, by uuid: a uuid queued twice must carry the same event both times
   * (a resend PostHog merges), and the counts of the distinct reports add up to {@code total}.
   */
  static void assertCountedOnce(List<AnalyticsEvent> queued, long total) {
    Map<String, AnalyticsEvent> byUuid = new LinkedHashMap<>();
    for (AnalyticsEvent report : queued) {
      AnalyticsEvent earlier = byUuid.putIfAbsent(report.uuid(), report);
      if (earlier != null) {
        assertThat(report.properties()).as("a uuid queued again carries the same report").isEqualTo(earlier.properties());
        assertThat(report.timestamp()).isEqualTo(earlier.timestamp());
      }
    }
    long sum = 0;
    for (AnalyticsEvent report : byUuid.values()) {
      sum += ((Number) report.properties().getOrDefault("metric." + COUNTER, 0L)).longValue();
    }
    assertThat(sum).as("counts reported, each window once").isEqualTo(total);
  }

  // ---------------------------------------------------------------------------------------------
  // Reset and queueing

  @Test
  void aProcessDyingBetweenTheResetAndTheQueueingLosesNoReport() {
    Run run = countedFiveADayAgo();
    // The window is due: it is closed, and the process dies as its report is being queued.
    run.delivery().dieWhileQueueing = new IllegalStateException("the process died here");
    run.reporter().export(List.of());
    assertThat(run.delivery().queued()).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    Delivery next = new Delivery();
    process(next).flush();
    assertThat(next.queued()).hasSize(1);
    assertCountedOnce(next.queued(), 5);
    assertThat(next.queued().get(0).properties()).containsEntry("window_start", UsageReportExporterTest.T0)
        .containsEntry("window_end", "2026-03-03T08:00:00Z");

    Delivery later = new Delivery();
    process(later).flush();
    assertThat(later.queued()).as("handed over once, not again").isEmpty();
  }

  @Test
  void aReportRefusedWhileTheDiskFillsUpIsKeptForTheNextRun() {
    Run run = countedFiveADayAgo();
    run.delivery().refuse = true;
    // The window closes; its report is refused, and every write after the next one fails.
    run.writer().failAfter(2);
    run.reporter().export(List.of());
    run.reporter().shutdown();

    clock.advance(Duration.ofMinutes(1));
    Delivery next = new Delivery();
    process(next).flush();
    assertCountedOnce(next.queued(), 5);
    assertThat(next.queued()).hasSize(1);
  }

  // ---------------------------------------------------------------------------------------------
  // Error paths count a window at most once

  @Test
  void aWindowWhoseClosingCannotBeWrittenIsReportedOnceNotTwice() {
    Run run = countedFiveADayAgo();
    run.writer().failAfter(1);
    // The window is due but the disk is full: the closed window cannot be replaced by a new one.
    run.reporter().export(counted(1));
    run.reporter().export(counted(2));
    run.reporter().shutdown();

    clock.advance(Duration.ofDays(1));
    Delivery next = new Delivery();
    UsageReporter second = process(next);
    second.flush();
    clock.advance(Duration.ofDays(1));
    second.flush();
    // The 5 are reported once, from the file; the 1 and 2 of the run with the full disk lived in its memory only.
    assertCountedOnce(concat(run.delivery().queued(), next.queued()), 5);
  }

  @Test
  void aReportWhoseHandingOverCannotBeRecordedIsResentIdenticallyNeverCountedAgain() {
    Run run = countedFiveADayAgo();
    // The window closes (written), its report is queued, and recording that fails.
    run.writer().failAfter(2);
    run.reporter().export(List.of());
    run.reporter().export(counted(3));
    run.reporter().shutdown();
    assertThat(run.delivery().queued()).hasSize(1);

    clock.advance(Duration.ofDays(1));
    Delivery next = new Delivery();
    process(next).flush();
    List<AnalyticsEvent> all = concat(run.delivery().queued(), next.queued());
    assertThat(all).extracting(AnalyticsEvent::uuid).containsOnly(run.delivery().queued().get(0).uuid());
    assertCountedOnce(all, 5);
  }

  // ---------------------------------------------------------------------------------------------
  // Bounded lock waits

  @Test
  @Timeout(60)
  void aLockHeldByAnotherProcessNeverHoldsUpShutdownAndTheCountsWaitForTheNextRun() throws Exception {
    Delivery delivery = new Delivery();
    UsageReporter first = process(delivery);
    first.export(counted(5));

    long[] millis = new long[1];
    try (LogCapture logs = new LogCapture(); LockHolder holder = LockHolder.hold(stateDir, "usage-window.lock")) {
      Thread run = new Thread(() -> {
        long start = System.nanoTime();
        first.export(counted(2));
        first.shutdown();
        millis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      });
      run.start();
      run.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(run.isAlive()).as("the export and shutdown ended while another process held the lock").isFalse();
      // The shutdown budget is 1 s; allow for a loaded machine.
      assertThat(millis[0]).isLessThan(1_000 + 1_000);
      assertThat(logs.messages(Level.FINE)).anyMatch(m -> m.contains("usage-window.lock") && m.contains("next run"));
      assertThat(logs.messages(Level.WARNING)).isEmpty();
    }

    clock.advance(Duration.ofDays(1));
    Delivery next = new Delivery();
    process(next).flush();
    assertCountedOnce(next.queued(), 7);
    Delivery later = new Delivery();
    UsageReporter third = process(later);
    clock.advance(Duration.ofDays(1));
    third.flush();
    assertThat(later.queued()).as("the kept counts were taken once").isEmpty();
  }

  @Test
  @Timeout(60)
  void countsKeptForTheNextRunAreTakenOnceEvenWhenTheirFileOutlivesACrash() throws Exception {
    Delivery delivery = new Delivery();
    UsageReporter first = process(delivery);
    first.export(counted(5));
    try (LockHolder holder = LockHolder.hold(stateDir, "usage-window.lock")) {
      first.export(counted(2));
      first.shutdown();
    }
    Path spills = StateDirectory.at(stateDir).usageSpillDirectory();
    List<Path> kept;
    try (var files = Files.list(spills)) {
      kept = files.toList();
    }
    assertThat(kept).hasSize(1);
    byte[] content = Files.readAllBytes(kept.get(0));

    process(new Delivery()).export(counted(1));
    assertThat(kept.get(0)).as("taken into the window").doesNotExist();
    // A crash between writing the window and deleting the taken file leaves it behind: it must not count again.
    Files.write(kept.get(0), content);
    process(new Delivery()).export(counted(1));
    assertThat(kept.get(0)).doesNotExist();

    clock.advance(Duration.ofDays(1));
    Delivery next = new Delivery();
    process(next).flush();
    assertCountedOnce(next.queued(), 5 + 2 + 1 + 1);
  }

  @Test
  void telemetryClearDeletesTheWindowAndTheCountsKeptForIt() throws Exception {
    process(new Delivery()).export(counted(5));
    UsageWindow counts = new UsageWindow(clock.instant());
    counts.add(SeriesKey.of(COUNTER), sum(2));
    Path kept = new UsageWindowStore(StateDirectory.at(stateDir)).keep(counts);
    assertThat(kept).exists().hasParent(StateDirectory.at(stateDir).usageSpillDirectory());

    UsageReporter.deleteWindow(StateDirectory.at(stateDir));
    assertThat(kept).doesNotExist();
    assertThat(stateDir.resolve(StateDirectory.USAGE_WINDOW_FILE)).doesNotExist();
    clock.advance(Duration.ofDays(2));
    Delivery next = new Delivery();
    process(next).flush();
    assertThat(next.queued()).isEmpty();
  }

  static SeriesValue sum(long value) {
    SeriesValue v = SeriesValue.sum(true);
    v.addLong(value);
    return v;
  }

  static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** Another JVM holding a lock on a file in {@code dir} until closed. */
  static final class LockHolder implements AutoCloseable {
    private final Process process;

    private LockHolder(Process process) {
      this.process = process;
    }

    static LockHolder hold(Path dir, String fileName) throws Exception {
      Path program = dir.getParent().resolve("HoldLock-" + System.nanoTime() + ".java");
      Files.writeString(program, """
          import java.nio.channels.FileChannel;
          import java.nio.file.*;
          public class HoldLock {
            public static void main(String[] args) throws Exception {
              try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                c.lock();
                System.out.println("locked");
                System.out.flush();
                System.in.read();
              }
            }
          }
          """);
      Files.createDirectories(dir);
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          program.toString(), dir.resolve(fileName).toString()).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (!"locked".equals(line)) {
        p.destroyForcibly();
        throw new IllegalStateException("the lock holder did not start: " + line);
      }
      return new LockHolder(p);
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
