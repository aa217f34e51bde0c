package dev.otelanalytics.consent;

import dev.otelanalytics.internal.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * What the person using the app chose, kept in the state directory: the level they set with
 * the {@code level} command, and whether the first-run notice was shown. Reading never creates
 * anything, so a process that ends up "off" writes nothing at all.
 */
public final class UserChoices {
  /** File holding the level set with the {@code level} command. */
  public static final String LEVEL_FILE = "level";
  /** File recording when the first-run notice was shown. */
  public static final String NOTICE_FILE = "notice-shown";

  private final Path stateDir;

  public UserChoices(Path stateDir) {
    this.stateDir = stateDir;
  }

  /** The stored level, or null when none was set (or the file is unreadable). */
  public AnalyticsLevel storedLevel() {
    Path file = stateDir.resolve(LEVEL_FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      AnalyticsLevel level = AnalyticsLevel.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      // A choice that cannot be read is taken at its most private.
      return level == null ? AnalyticsLevel.OFF : level;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return AnalyticsLevel.OFF;
    }
  }

  /** Stores {@code level} (0600), replacing an earlier choice. */
  public void storeLevel(AnalyticsLevel level) throws IOException {
    SecureFiles.createDirectories(stateDir);
    Path temp = Files.createTempFile(stateDir, ".level", ".tmp");
    try {
      Files.write(temp, (level.settingValue() + "\n").getBytes(StandardCharsets.UTF_8));
      Files.move(temp, stateDir.resolve(LEVEL_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** True when the first-run notice was shown in an earlier run. */
  public boolean noticeShown() {
    return Files.exists(stateDir.resolve(NOTICE_FILE));
  }

  /** Records that the notice was shown; false when that cannot be written. */
  public boolean recordNoticeShown() {
    try {
      SecureFiles.createDirectories(stateDir);
      SecureFiles.createExclusively(stateDir.resolve(NOTICE_FILE), (Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
      return Files.exists(stateDir.resolve(NOTICE_FILE));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
