package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.destination.FileDestination;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.testing.Events;
import dev.otelanalytics.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault 1 of issue 17: a state directory that someone else prepared. As ssh does with
 * {@code StrictModes}, a directory or file not owned by the user running the app, or writable by
 * others, is refused (analytics off, one warning naming the path, what is wrong and the fix), and
 * no symbolic link inside it is ever followed. Tests that need a file of another user change its
 * owner, which only root may do; they are skipped elsewhere.
 */
class StateDirectoryTrustFaultsTest {
  /** An uid that is nobody on this machine. */
  private static final String STRANGER = "4242";
  private static final String PLANTED_KEY = "ab".repeat(32);

  @TempDir Path temp;
  private final Map<String, String> settings = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static UserPrincipal stranger(Path path) throws IOException {
    return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(STRANGER);
  }

  /** True when this process may give a file to another user (root). */
  private boolean canChown() {
    try {
      Path probe = Files.createTempFile(temp, "probe", ".tmp");
      try {
        Files.setOwner(probe, stranger(probe));
        return true;
      } finally {
        Files.delete(probe);
      }
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private OtelAnalytics build(Path stateDir) {
    return OtelAnalytics.builder()
        .setServiceName("trust-test")
        .setStateDirectory(stateDir)
        .setSettings(settings::get)
        .setEnvironment(environment::get)
        .setNoticeOutput(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .build();
  }

  /** Builds analytics for {@code stateDir}; returns the warnings logged. */
  private List<String> warningsOfBuilding(Path stateDir, AnalyticsLevel expected) {
    try (LogCapture logs = new LogCapture()) {
      OtelAnalytics analytics = build(stateDir);
      try {
        assertThat(analytics.level()).isEqualTo(expected);
      } finally {
        analytics.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
      }
      return logs.messages(Level.WARNING);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static String hmac(String hexKey, String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HexFormat.of().parseHex(hexKey), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 16);
  }

  @ParameterizedTest(name = "mode {0}")
  @ValueSource(strings = {"rwxrwx---", "rwx---rwx", "rwxrwxrwx", "rwx-w----"})
  void aStateDirectoryWritableByOthersTurnsAnalyticsOffWithOneWarning(String mode) throws IOException {
    assumeTrue(posix(temp), "POSIX file system");
    Path stateDir = Files.createDirectory(temp.resolve("shared"));
    Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString(mode));

    List<String> warnings = warningsOfBuilding(stateDir, AnalyticsLevel.OFF);

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains(LogText.path(stateDir))
        .contains("writable by group or others")
        .contains("chmod 700 " + LogText.path(stateDir))
        .contains("OTEL_ANALYTICS_STATE_DIR")
        .doesNotContain("\n");
    assertThat(names(stateDir)).as("nothing written into the refused directory").isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir))).as("its mode left alone").isEqualTo(mode);
  }

  @Test
  void aPrivateOrReadOnlyForOthersDirectoryIsUsedAsSshWould() throws IOException {
    assumeTrue(posix(temp), "POSIX file system");
    Path stateDir = Files.createDirectory(temp.resolve("mine"));
    Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(warningsOfBuilding(stateDir, AnalyticsLevel.ANONYMOUS)).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir))).isEqualTo("rwxr-xr-x");
  }

  @Test
  void aStateDirectoryInsideAStickyWorldWritableParentIsUsed() throws Exception {
    assumeTrue(posix(temp), "POSIX file system");
    Path tmpLike = Files.createDirectory(temp.resolve("tmp-like"));
    Files.setPosixFilePermissions(tmpLike, PosixFilePermissions.fromString("rwxrwxrwx"));
    Process chmod = new ProcessBuilder("chmod", "+t", tmpLike.toString()).inheritIO().start();
    assertThat(chmod.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && chmod.exitValue() == 0).as("chmod +t").isTrue();

    Path stateDir = tmpLike.resolve("state");
    assertThat(warningsOfBuilding(stateDir, AnalyticsLevel.ANONYMOUS)).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir))).isEqualTo("rwx------");
  }

  @Test
  void aStateDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
    assumeTrue(posix(temp) && canChown(), "POSIX file system, run as root");
    Path stateDir = Files.createDirectory(temp.resolve("theirs"));
    Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
    Files.setOwner(stateDir, stranger(stateDir));

    List<String> warnings = warningsOfBuilding(stateDir, AnalyticsLevel.OFF);

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains(LogText.path(stateDir)).contains("not owned by").contains("OTEL_ANALYTICS_STATE_DIR")
        .doesNotContain(STRANGER);
    assertThat(names(stateDir)).isEmpty();
  }

  @Test
  void aRootThatIsALinkToADirectoryOfSomeoneElseIsRefused() throws IOException {
    assumeTrue(posix(temp) && canChown(), "POSIX file system, run as root");
    Path theirs = Files.createDirectory(temp.resolve("theirs"));
    Files.setOwner(theirs, stranger(theirs));
    Path link = Files.createSymbolicLink(temp.resolve("state"), theirs);

    List<String> warnings = warningsOfBuilding(link, AnalyticsLevel.OFF);

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("not owned by");
    assertThat(names(theirs)).isEmpty();
  }

  @Test
  void aRootThatIsALinkToADirectoryOfOursIsUsedAtItsRealPath() throws IOException {
    Path ours = Files.createDirectory(temp.resolve("ours"));
    Path link = Files.createSymbolicLink(temp.resolve("state"), ours);

    assertThat(warningsOfBuilding(link, AnalyticsLevel.ANONYMOUS)).isEmpty();
    assertThat(ours.resolve(StateDirectory.LAST_START_FILE)).exists();
  }

  @Test
  void aPlantedHashKeyOfAnotherUserIsRefusedNotUsed() throws Exception {
    assumeTrue(posix(temp) && canChown(), "POSIX file system, run as root");
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    Path key = Files.writeString(stateDir.resolve(StateDirectory.HASH_KEY_FILE), PLANTED_KEY + "\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Files.setOwner(key, stranger(key));

    List<String> warnings = warningsOfBuilding(stateDir, AnalyticsLevel.OFF);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains(LogText.path(key)).contains("not owned by").doesNotContain(PLANTED_KEY);

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), null);
    assertThat(identity.hasher().hash("user-1")).isNotEqualTo(hmac(PLANTED_KEY, "user-1"));
    assertThat(Files.readString(key)).isEqualTo(PLANTED_KEY + "\n");
  }

  @Test
  void aHashKeyReadableByOthersIsRefused() throws Exception {
    assumeTrue(posix(temp), "POSIX file system");
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    Path key = Files.writeString(stateDir.resolve(StateDirectory.HASH_KEY_FILE), PLANTED_KEY + "\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    List<String> warnings = warningsOfBuilding(stateDir, AnalyticsLevel.OFF);

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains(LogText.path(key)).contains("chmod 600").doesNotContain(PLANTED_KEY);
    assertThat(Files.readString(key)).isEqualTo(PLANTED_KEY + "\n");
  }

  @Test
  void aHashKeyThatIsALinkIsNotFollowed() throws Exception {
    Path outside = Files.writeString(temp.resolve("their-key"), PLANTED_KEY + "\n");
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    Files.createSymbolicLink(stateDir.resolve(StateDirectory.HASH_KEY_FILE), outside);

    InstallIdentity identity = InstallIdentity.load(StateDirectory.at(stateDir), null);
    assertThat(identity.hasher().hash("user-1")).isNotEqualTo(hmac(PLANTED_KEY, "user-1"));

    List<String> warnings = warningsOfBuilding(stateDir, AnalyticsLevel.OFF);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains(LogText.path(stateDir.resolve(StateDirectory.HASH_KEY_FILE))).contains("symbolic link");
    assertThat(Files.readString(outside)).isEqualTo(PLANTED_KEY + "\n");
  }

  @Test
  void aPlantedInstallIdOfAnotherUserIsRefused() throws Exception {
    assumeTrue(posix(temp) && canChown(), "POSIX file system, run as root");
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    String planted = "0b7a3c1e-5d2f-4a6b-8c9d-0e1f2a3b4c5d";
    Path id = Files.writeString(stateDir.resolve(StateDirectory.INSTALL_ID_FILE), planted + "\n");
    Files.setOwner(id, stranger(id));

    assertThat(InstallIdentity.load(StateDirectory.at(stateDir), null).installId()).isNotEqualTo(planted);
    assertThat(warningsOfBuilding(stateDir, AnalyticsLevel.OFF)).hasSize(1);
  }

  @Test
  void aPlantedEventsFileLinkIsNotFollowedAndTheFileOutsideStaysUntouched() throws IOException {
    Path outside = Files.writeString(temp.resolve("outside.txt"), "outside\n");
    Path events = Files.createDirectories(temp.resolve("state").resolve("events"));
    FileDestination destination = FileDestination.create(events);
    Files.createSymbolicLink(destination.fileFor(java.time.LocalDate.parse("2026-11-23")), outside);

    assertThatThrownBy(() -> destination.send(List.of(Events.at("2026-11-23T10:15:30Z", "inspect"))))
        .isInstanceOf(IOException.class);

    assertThat(Files.readString(outside)).isEqualTo("outside\n");
    assertThat(Files.isSymbolicLink(destination.fileFor(java.time.LocalDate.parse("2026-11-23")))).isTrue();
  }

  @Test
  void aPlantedDanglingEventsFileLinkCreatesNothingOutside() throws IOException {
    Path outside = temp.resolve("created-by-us.txt");
    Path events = Files.createDirectories(temp.resolve("state").resolve("events"));
    FileDestination destination = FileDestination.create(events);
    Files.createSymbolicLink(destination.fileFor(java.time.LocalDate.parse("2026-11-23")), outside);

    assertThatThrownBy(() -> destination.send(List.of(Events.at("2026-11-23T10:15:30Z", "inspect"))))
        .isInstanceOf(IOException.class);

    assertThat(Files.exists(outside, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void anEventsDirectoryThatIsALinkIsNotFollowed() throws IOException {
    Path outsideDir = Files.createDirectory(temp.resolve("outside-dir"));
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    Path events = Files.createSymbolicLink(stateDir.resolve(StateDirectory.EVENTS_DIRECTORY), outsideDir);

    assertThatThrownBy(() -> FileDestination.create(events).send(List.of(Events.at("2026-11-23T10:15:30Z", "inspect"))))
        .isInstanceOf(IOException.class);

    assertThat(names(outsideDir)).isEmpty();
  }
}
