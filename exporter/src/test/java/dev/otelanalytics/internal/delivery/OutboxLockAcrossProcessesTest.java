package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checking whether another outbox in this JVM is alive must not release its lock: on POSIX,
 * closing any descriptor of a file drops all of this process's locks on it, which would let a
 * third process take over batches that are still being sent.
 */
class OutboxLockAcrossProcessesTest {
  @TempDir Path dir;

  @Test
  void anOwnerStaysLockedForOtherProcessesAfterAnotherOutboxInThisJvmLookedAtIt() throws Exception {
    try (Outbox a = Outbox.open(dir, 1 << 20, new DeliveryCounters());
        Outbox b = Outbox.open(dir, 1 << 20, new DeliveryCounters())) {
      a.add(java.util.List.of());
      assertThat(b.takeOverOrphans()).isZero();

      java.util.List<Path> lockFiles;
      try (Stream<Path> files = Files.list(dir)) {
        lockFiles = files.filter(f -> f.getFileName().toString().startsWith("owner-")).toList();
      }
      assertThat(lockFiles).hasSize(2);
      for (Path lockFile : lockFiles) {
        assertThat(lockStateSeenFromAnotherProcess(lockFile)).as(lockFile.getFileName().toString()).isEqualTo("held");
      }
    }
  }

  @Test
  void theChannelKeptOpenOnAnotherOutboxsLockIsClosedOnceThatOutboxClosed() throws Exception {
    int before = OwnerLock.parked();
    Outbox a = Outbox.open(dir, 1 << 20, new DeliveryCounters());
    try (Outbox b = Outbox.open(dir, 1 << 20, new DeliveryCounters())) {
      b.takeOverOrphans();
      assertThat(OwnerLock.parked()).as("b looked at a's lock: its channel stays open while a runs").isEqualTo(before + 1);
      a.close();
      b.takeOverOrphans();
      assertThat(OwnerLock.parked()).as("a closed, leaving no file to look at: the channel is closed").isEqualTo(before);
    } finally {
      a.close();
    }
  }

  /** Runs a one-file Java program in a new JVM that tries to lock {@code file}. */
  private String lockStateSeenFromAnotherProcess(Path file) throws Exception {
    Path program = dir.resolve("TryLock.java");
    Files.writeString(program, """
        import java.nio.channels.FileChannel;
        import java.nio.file.*;
        public class TryLock {
          public static void main(String[] args) throws Exception {
            try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
              System.out.print(c.tryLock() == null ? "held" : "free");
            }
          }
        }
        """);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        program.toString(), file.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes()).trim();
  }
}
