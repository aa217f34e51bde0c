package dev.otelanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.destination.FileDestination;
import dev.otelanalytics.internal.event.EventJson;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} writes the history, which holds the install id, to a new file only its owner can
 * read: it never replaces a file, never follows a link, and never writes into the state directory
 * (exporting onto a history file used to truncate it before reading it). Each refusal is one line
 * and exit code 2, like every other mistake in the arguments.
 */
class ExportCommandTest {
  private static final String COMMAND = "mycli telemetry";

  @TempDir Path stateDir;
  @TempDir Path elsewhere;
  private Path history;
  private byte[] historyBytes;

  private CliRun run(String... args) {
    return CliRun.of(stateDir, COMMAND, Map.of(), args);
  }

  @BeforeEach
  void aStoredEvent() throws IOException {
    AnalyticsEvent event = AnalyticsEvent.create("report", "install-1", 1_772_524_800_000_000_000L, "uuid-1", Map.of("success", true));
    historyBytes = EventJson.toJsonLines(List.of(event));
    Path events = Files.createDirectories(stateDir.resolve(StateDirectory.EVENTS_DIRECTORY));
    history = Files.write(events.resolve(FileDestination.FILE_PREFIX + LocalDate.now(ZoneOffset.UTC) + FileDestination.FILE_SUFFIX),
        historyBytes);
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private void assertRefused(CliRun r, String file, String why) {
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(COMMAND + ": export refused " + file + ": " + why + ": name a new file, e.g. " + COMMAND
        + " export events.json" + System.lineSeparator());
  }

  @Test
  void aNewFileIsReadableByItsOwnerOnly() throws IOException {
    assumeTrue(posix(elsewhere), "POSIX permissions");
    Path file = elsewhere.resolve("events.json");

    CliRun r = run("export", file.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("Exported 1 event to " + file + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void anExistingFileIsRefusedAndKept() throws IOException {
    Path file = Files.writeString(elsewhere.resolve("notes.txt"), "my notes\n");

    assertRefused(run("export", file.toString()), file.toString(), "it already exists; export never replaces a file");
    assertThat(Files.readString(file)).isEqualTo("my notes\n");
  }

  @Test
  void aLinkIsNeverFollowed() throws IOException {
    Path target = Files.writeString(elsewhere.resolve("someone-elses.txt"), "theirs\n");
    Path link = Files.createSymbolicLink(elsewhere.resolve("events.json"), target);

    assertRefused(run("export", link.toString()), link.toString(), "it is a symbolic link; export never follows one");
    assertThat(Files.readString(target)).isEqualTo("theirs\n");
  }

  @Test
  void aDanglingLinkIsNeverFollowedEither() throws IOException {
    Path target = elsewhere.resolve("planted.json");
    Path link = Files.createSymbolicLink(elsewhere.resolve("events.json"), target);

    assertRefused(run("export", link.toString()), link.toString(), "it is a symbolic link; export never follows one");
    assertThat(target).doesNotExist();
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void exportingOntoAHistoryFileLeavesItWhole() throws IOException {
    assertRefused(run("export", history.toString()), history.toString(), "it already exists; export never replaces a file");
    assertThat(Files.readAllBytes(history)).isEqualTo(historyBytes);
    assertThat(run("show").out()).contains("\"event\" : \"report\"");
  }

  @Test
  void aNewFileInsideTheStateDirectoryIsRefused() throws IOException {
    Path tomorrow = history.resolveSibling(FileDestination.FILE_PREFIX + LocalDate.now(ZoneOffset.UTC).plusDays(1)
        + FileDestination.FILE_SUFFIX);

    CliRun r = run("export", tomorrow.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith(COMMAND + ": export refused " + tomorrow + " is inside the state directory ")
        .endsWith(": name a new file, e.g. " + COMMAND + " export events.json" + System.lineSeparator())
        .hasLineCount(1);
    assertThat(tomorrow).doesNotExist();
    assertThat(Files.readAllBytes(history)).isEqualTo(historyBytes);
  }

  @Test
  void theStateDirectoryIsRecognisedThroughALinkToIt() throws IOException {
    Path alias = Files.createSymbolicLink(elsewhere.resolve("alias"), stateDir.resolve(StateDirectory.EVENTS_DIRECTORY));
    Path file = alias.resolve("copy.json");

    CliRun r = run("export", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is inside the state directory");
    assertThat(Files.exists(file, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }
}
