package dev.otelanalytics.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.OtelAnalytics;
import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.state.InstallIdentity;
import dev.otelanalytics.internal.state.StateDirectory;
import dev.otelanalytics.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17, fault 2 (the identity half): the install id, deployment id, hash key and the person's
 * choices must survive a power cut, and a key a power cut emptied must not be silently replaced
 * (which would change every hashed id). Whether a file was forced to disk is seen through the
 * JDK's own Flight Recorder event for {@code FileChannel.force} ({@code jdk.FileForce}).
 */
class IdentityPowerLossFaultsTest {
  private static final String INSTALL_ID = "0b7a3c1e-5d2f-4a6b-8c9d-0e1f2a3b4c5d";
  private static final String DEPLOYMENT_ID = "1c8b4d2f-6e3a-4b7c-9d0e-1f2a3b4c5d6e";

  @TempDir Path temp;
  private final Map<String, String> settings = new HashMap<>();

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static Path private0600(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    if (posix(file)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    return file;
  }

  /** A state directory an earlier run made, whose key a power cut left as {@code key}. */
  private Path stateWithKey(String key) throws IOException {
    Path stateDir = Files.createDirectory(temp.resolve("state"));
    private0600(stateDir.resolve(StateDirectory.INSTALL_ID_FILE), INSTALL_ID + "\n");
    private0600(stateDir.resolve(StateDirectory.DEPLOYMENT_ID_FILE), DEPLOYMENT_ID + "\n");
    private0600(stateDir.resolve(StateDirectory.HASH_KEY_FILE), key);
    return stateDir;
  }

  private OtelAnalytics build(Path stateDir, byte[] configuredKey) {
    var builder = OtelAnalytics.builder()
        .setServiceName("power-test")
        .setStateDirectory(stateDir)
        .setSettings(settings::get)
        .setEnvironment(name -> null)
        .setNoticeOutput(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    if (configuredKey != null) {
      builder.setHashKey(configuredKey);
    }
    return builder.build();
  }

  @ParameterizedTest(name = "hash-key holding \"{0}\"")
  @ValueSource(strings = {"", "\n", "abababababababab", "zz"})
  void anEmptyOrTruncatedHashKeyIsKeptAndAnalyticsStaysOffWithOneWarning(String damaged) throws IOException {
    Path stateDir = stateWithKey(damaged);
    Path key = stateDir.resolve(StateDirectory.HASH_KEY_FILE);

    List<String> warnings;
    try (LogCapture logs = new LogCapture()) {
      OtelAnalytics analytics = build(stateDir, null);
      assertThat(analytics.level()).isEqualTo(AnalyticsLevel.OFF);
      analytics.shutdown().join(5, TimeUnit.SECONDS);
      warnings = logs.messages(Level.WARNING);
    }

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains(LogText.path(key)).contains("telemetry clear").doesNotContain("\n");
    assertThat(Files.readString(key)).as("the damaged key is kept, not replaced").isEqualTo(damaged);
    assertThat(Files.readString(stateDir.resolve(StateDirectory.INSTALL_ID_FILE))).isEqualTo(INSTALL_ID + "\n");
  }

  @Test
  void theIdentityNeverReplacesADamagedKey() throws IOException {
    Path stateDir = stateWithKey("");

    InstallIdentity identity;
    try (LogCapture logs = new LogCapture()) {
      identity = InstallIdentity.load(StateDirectory.at(stateDir), null);
    }

    assertThat(identity.persisted()).as("a one-run identity").isFalse();
    assertThat(Files.readString(stateDir.resolve(StateDirectory.HASH_KEY_FILE))).isEmpty();
  }

  @Test
  void aConfiguredKeyDoesNotNeedTheStoredOne() throws IOException {
    Path stateDir = stateWithKey("");

    OtelAnalytics analytics = build(stateDir, "configured-shared-key-0123456789".getBytes(StandardCharsets.UTF_8));
    try {
      assertThat(analytics.level()).isEqualTo(AnalyticsLevel.ANONYMOUS);
    } finally {
      analytics.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDamagedInstallIdIsKeptToo() throws IOException {
    Path stateDir = stateWithKey("ab".repeat(32) + "\n");
    Path id = private0600(stateDir.resolve(StateDirectory.INSTALL_ID_FILE), "0b7a3c1e-5d2f");

    try (LogCapture logs = new LogCapture()) {
      OtelAnalytics analytics = build(stateDir, null);
      assertThat(analytics.level()).isEqualTo(AnalyticsLevel.OFF);
      assertThat(logs.messages(Level.WARNING)).singleElement().asString().contains(LogText.path(id));
    }
    assertThat(Files.readString(id)).isEqualTo("0b7a3c1e-5d2f");
  }

  /** The paths forced to disk while {@code action} ran, in order, with their start times. */
  private static List<RecordedEvent> forcedDuring(IORunnable action) throws IOException {
    Path dump = Files.createTempFile("file-force", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.FileForce").withThreshold(Duration.ZERO);
      recording.start();
      action.run();
      recording.stop();
      recording.dump(dump);
      List<RecordedEvent> events = new ArrayList<>(RecordingFile.readAllEvents(dump));
      events.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
      return events;
    } finally {
      Files.deleteIfExists(dump);
    }
  }

  private interface IORunnable {
    void run() throws IOException;
  }

  /** Index of the first event at or after {@code from} that forced a path matching {@code test}, or -1. */
  private static int indexOf(List<RecordedEvent> events, int from, java.util.function.Predicate<Path> test) {
    for (int i = Math.max(0, from); i < events.size(); i++) {
      String path = events.get(i).getString("path");
      if (path != null && test.test(Path.of(path))) {
        return i;
      }
    }
    return -1;
  }

  private static void assertForcedThenDirectorySynced(List<RecordedEvent> events, Path dir, String fileName) {
    int file = indexOf(events, 0, p -> dir.equals(p.getParent()) && p.getFileName().toString().startsWith("." + fileName));
    assertThat(file).as(fileName + ": its temporary file forced to disk before the rename").isNotNegative();
    int directory = indexOf(events, file + 1, dir::equals);
    assertThat(directory).as(fileName + ": then the directory synced").isNotNegative();
  }

  @Test
  void newIdentityFilesAreForcedToDiskAndTheirDirectorySynced() throws IOException {
    Path stateDir = temp.resolve("state");

    List<RecordedEvent> forced = forcedDuring(() -> assertThat(InstallIdentity.load(StateDirectory.at(stateDir), null).persisted()).isTrue());

    for (String name : List.of(StateDirectory.INSTALL_ID_FILE, StateDirectory.DEPLOYMENT_ID_FILE, StateDirectory.HASH_KEY_FILE)) {
      assertForcedThenDirectorySynced(forced, stateDir, name);
    }
  }

  @Test
  void theLevelIsForcedToDiskAndItsDirectorySynced() throws IOException {
    Path stateDir = temp.resolve("state");
    StateDirectory state = StateDirectory.at(stateDir);

    List<RecordedEvent> forced = forcedDuring(() -> state.choices().storeLevel(AnalyticsLevel.OFF));

    assertForcedThenDirectorySynced(forced, stateDir, StateDirectory.LEVEL_FILE);
    assertThat(state.choices().storedLevel()).isEqualTo(AnalyticsLevel.OFF);
  }

  @Test
  void forgettingTheIdentitySyncsTheDirectorySoTheOldKeyCannotComeBack() throws IOException {
    Path stateDir = temp.resolve("state");
    InstallIdentity.load(StateDirectory.at(stateDir), null);

    List<RecordedEvent> forced = forcedDuring(() -> InstallIdentity.forget(StateDirectory.at(stateDir)));

    assertThat(stateDir.resolve(StateDirectory.HASH_KEY_FILE)).doesNotExist();
    assertThat(indexOf(forced, 0, stateDir::equals)).isNotNegative();
  }
}
