package dev.otelanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.destination.FileDestination;
import dev.otelanalytics.internal.event.EventJson;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A local history damaged by a partial write (a full disk, a power cut) never locks the user out:
 * {@code show}, {@code export} and {@code status} skip each line they cannot read and say how many
 * they skipped, and {@code clear} deletes the files whatever they hold.
 */
class DamagedHistoryTest {
  private static final String COMMAND = "mycli telemetry";

  @TempDir Path stateDir;
  @TempDir Path elsewhere;

  /** The ways a line of the history can be damaged. */
  enum Damage {
    /** A partial write that split a three-byte character (the euro sign E2 82 AC) after two bytes. */
    SPLIT_CHARACTER,
    /** Bytes that are not text at all. */
    BINARY_GARBAGE,
    /** A line cut in the middle of its JSON. */
    TRUNCATED_JSON;

    byte[] line() {
      switch (this) {
        case SPLIT_CHARACTER: {
          byte[] head = "{\"event\":\"price\",\"distinct_id\":\"d\",\"properties\":{\"currency\":\"".getBytes(StandardCharsets.UTF_8);
          byte[] out = Arrays.copyOf(head, head.length + 2);
          out[head.length] = (byte) 0xE2;
          out[head.length + 1] = (byte) 0x82;
          return out;
        }
        case BINARY_GARBAGE:
          return new byte[] {0x00, (byte) 0xFF, (byte) 0xFE, 0x01, (byte) 0xC0, (byte) 0x80, 0x7F, (byte) 0x9D};
        default:
          return "{\"event\":\"cut\",\"distinct_id\":\"d\",\"timestamp\":\"2026-03-0".getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  private CliRun run(String... args) {
    return CliRun.of(stateDir, COMMAND, Map.of(), args);
  }

  private static byte[] line(String name) {
    AnalyticsEvent event = AnalyticsEvent.create(name, "install-1", 1_772_524_800_000_000_000L, "uuid-" + name, Map.of("success", true));
    return EventJson.toJsonLines(List.of(event));
  }

  /** Today's history file: a good event, the damaged lines (each ended by a newline), another good event. */
  private Path history(Damage... damaged) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(line("first"));
    for (Damage d : damaged) {
      bytes.write(d.line());
      bytes.write('\n');
    }
    bytes.write(line("last"));
    Path events = Files.createDirectories(stateDir.resolve(StateDirectory.EVENTS_DIRECTORY));
    Path file = events.resolve(FileDestination.FILE_PREFIX + LocalDate.now(ZoneOffset.UTC) + FileDestination.FILE_SUFFIX);
    return Files.write(file, bytes.toByteArray());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Damage.class)
  void showSkipsTheDamagedLineAndSaysSo(Damage damage) throws IOException {
    history(damage);

    CliRun r = run("show");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("The last 2 events, oldest first, exactly as stored:")
        .contains("\"event\" : \"first\"", "\"event\" : \"last\"")
        .endsWith("1 unreadable line skipped (a partial write, e.g. on a full disk).\n");
  }

  @Test
  void showStatusAndExportCountEveryDamagedLine() throws IOException {
    history(Damage.SPLIT_CHARACTER, Damage.BINARY_GARBAGE, Damage.TRUNCATED_JSON);

    CliRun show = run("show", "1");
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out()).contains("\"event\" : \"last\"").doesNotContain("\"event\" : \"first\"")
        .endsWith("3 unreadable lines skipped (a partial write, e.g. on a full disk).\n");

    CliRun status = run("status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("  Local store:  2 events, kept 90 days (3 unreadable lines skipped)\n");

    Path file = elsewhere.resolve("events.json");
    CliRun export = run("export", file.toString());
    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(export.out()).isEqualTo("Exported 2 events to " + file + " (3 unreadable lines skipped)\n");
    assertThat(Files.readString(file)).contains("\"event\":\"first\"", "\"event\":\"last\"").doesNotContain("cut");
  }

  @Test
  void clearDeletesADamagedHistoryAndSaysWhatItHeld() throws IOException {
    Path file = history(Damage.SPLIT_CHARACTER, Damage.BINARY_GARBAGE, Damage.TRUNCATED_JSON);

    CliRun r = run("clear");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("Deleted 2 stored events (and 3 unreadable lines) and 0 waiting batches;"
        + " the install id, deployment id and hash key are new.\n");
    assertThat(file).doesNotExist();
    assertThat(run("show").out()).isEqualTo("No events are stored on this machine.\n");
  }

  @Test
  void clearDeletesTheOutboxFilesSetAsideAsUnreadableToo() throws IOException {
    Path outbox = Files.createDirectories(stateDir.resolve("outbox"));
    Path setAside = Files.write(outbox.resolve(dev.otelanalytics.internal.delivery.Outbox.SET_ASIDE_PREFIX + "b-x.jsonl"),
        Damage.BINARY_GARBAGE.line());

    CliRun r = run("clear");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("1 waiting batch");
    assertThat(setAside).doesNotExist();
  }

  @Test
  void clearDeletesWhatItCanAndNamesWhatItCouldNotWithTheReason() throws IOException {
    history(Damage.BINARY_GARBAGE);
    // A directory where a daily file should be, holding something: it cannot be deleted as one file.
    Path stuck = stateDir.resolve(StateDirectory.EVENTS_DIRECTORY)
        .resolve(FileDestination.FILE_PREFIX + LocalDate.now(ZoneOffset.UTC).minusDays(1) + FileDestination.FILE_SUFFIX);
    Files.createDirectories(stuck);
    Files.writeString(stuck.resolve("inside"), "x");
    Path outbox = Files.createDirectories(stateDir.resolve(StateDirectory.OUTBOX_DIRECTORY));
    Path batch = Files.write(outbox.resolve("b-1795453047386-000000000-22a31cc79fe871b4.jsonl"), new byte[] {(byte) 0xE2, '\n'});
    Files.writeString(stateDir.resolve(StateDirectory.INSTALL_ID_FILE), "6f1c2d8e-0b7a-4c55-9f0e-3a1b2c3d4e5f\n");

    CliRun r = run("clear");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith("Deleted 2 stored events (and 1 unreadable line) and 1 waiting batch.\n");
    assertThat(r.err()).isEqualTo(COMMAND + ": clear could not delete " + stuck + " (DirectoryNotEmptyException); delete it by hand"
        + System.lineSeparator());
    assertThat(batch).doesNotExist();
    assertThat(stateDir.resolve(StateDirectory.EVENTS_DIRECTORY)
        .resolve(FileDestination.FILE_PREFIX + LocalDate.now(ZoneOffset.UTC) + FileDestination.FILE_SUFFIX)).doesNotExist();
    assertThat(Files.readString(stateDir.resolve(StateDirectory.INSTALL_ID_FILE))).doesNotContain("6f1c2d8e");
  }

  @Test
  void aLineLongerThanAnyEventAndALastLineCutShortAreEachSkippedAndCounted() throws IOException {
    Path file = history();
    byte[] huge = new byte[5 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    Files.write(file, huge, java.nio.file.StandardOpenOption.APPEND);
    Files.write(file, new byte[] {'\n'}, java.nio.file.StandardOpenOption.APPEND);
    Files.write(file, line("after"), java.nio.file.StandardOpenOption.APPEND);
    Files.write(file, "{\"event\":\"being-writ".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);

    CliRun r = run("show");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("The last 3 events").contains("\"event\" : \"after\"")
        .endsWith("2 unreadable lines skipped (a partial write, e.g. on a full disk).\n");
  }

  @Test
  void aLinkNamedLikeADailyFileIsNeitherReadNorFollowedAndClearDeletesTheLinkOnly() throws IOException {
    history();
    Path target = Files.write(elsewhere.resolve("other.jsonl"), line("not-history"));
    Path link = Files.createSymbolicLink(stateDir.resolve(StateDirectory.EVENTS_DIRECTORY)
        .resolve(FileDestination.FILE_PREFIX + LocalDate.now(ZoneOffset.UTC).minusDays(1) + FileDestination.FILE_SUFFIX), target);

    assertThat(run("show").out()).startsWith("The last 2 events").doesNotContain("not-history");
    CliRun r = run("clear");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(target).hasBinaryContent(line("not-history"));
  }
}
