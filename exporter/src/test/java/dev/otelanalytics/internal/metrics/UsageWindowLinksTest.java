package dev.otelanalytics.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, fault 1: the usage-report window's lock and file have predictable names; a link
 * planted under either name must not be followed. The window then lives in memory for the run
 * (one warning), and the file the link points to stays untouched.
 */
class UsageWindowLinksTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path temp;

  private static UsageWindow update(UsageWindowStore store) throws UsageWindowStore.LockTimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    return store.update(NOW, deadline, (current, kept) -> current, UnaryOperator.identity());
  }

  @Test
  void aDanglingLockLinkIsNotFollowedAndCreatesNothingOutside() throws Exception {
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    Path outside = temp.resolve("created-through-the-link");
    StateDirectory state = StateDirectory.at(stateDir);
    Files.createSymbolicLink(state.usageWindowLockFile(), outside);

    UsageWindowStore store = new UsageWindowStore(state);
    try (LogCapture logs = new LogCapture()) {
      update(store);
      assertThat(logs.messages(java.util.logging.Level.WARNING)).hasSize(1);
    }

    assertThat(Files.exists(outside, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(store.file()).as("kept in memory for this run").isNull();
  }

  @Test
  void aLockLinkToAnExistingFileLeavesItUntouched() throws Exception {
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    Path outside = Files.writeString(temp.resolve("theirs.txt"), "theirs\n");
    StateDirectory state = StateDirectory.at(stateDir);
    Files.createSymbolicLink(state.usageWindowLockFile(), outside);

    UsageWindowStore store = new UsageWindowStore(state);
    update(store);

    assertThat(Files.readString(outside, StandardCharsets.UTF_8)).isEqualTo("theirs\n");
    assertThat(store.file()).isNull();
  }

  @Test
  void aWindowFileLinkIsNotReadThrough() throws Exception {
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    StateDirectory state = StateDirectory.at(stateDir);
    // Another window, opened days before this one would be, behind a link.
    UsageWindow theirs = new UsageWindow(NOW.minus(java.time.Duration.ofDays(5)));
    Path outside = Files.write(temp.resolve("their-window.json"), theirs.toJson());
    Files.createSymbolicLink(state.usageWindowFile(), outside);

    UsageWindow after = update(new UsageWindowStore(state));

    assertThat(after.start()).as("a new window, not theirs").isEqualTo(NOW);
    assertThat(Files.readAllBytes(outside)).isEqualTo(theirs.toJson());
  }
}
