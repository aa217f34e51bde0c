package dev.otelanalytics.internal.state;

import dev.otelanalytics.consent.AnalyticsLevel;
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
  private final StateDirectory state;

  UserChoices(StateDirectory state) {
    this.state = state;
  }

  /** The stored level, or null when none was set (or the file is unreadable). */
  public AnalyticsLevel storedLevel() {
    Path file = state.levelFile();
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
    SecureFiles.createDirectories(state.root());
    Path temp = Files.createTempFile(state.root(), ".level", ".tmp");
    try {
      Files.write(temp, (level.settingValue() + "\n").getBytes(StandardCharsets.UTF_8));
      Files.move(temp, state.levelFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** True when the first-run notice was shown in an earlier run. */
  public boolean noticeShown() {
    return Files.exists(state.noticeFile());
  }

  /** Records that the notice was shown; false when that cannot be written. */
  public boolean recordNoticeShown() {
    try {
      SecureFiles.createDirectories(state.root());
      SecureFiles.createExclusively(state.noticeFile(), (Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
      return Files.exists(state.noticeFile());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
