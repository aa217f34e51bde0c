package dev.otelanalytics.internal.state;

import dev.otelanalytics.consent.AnalyticsLevel;
import dev.otelanalytics.internal.FileTrust;
import dev.otelanalytics.internal.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.time.Instant;

/**
 * What the person using the app chose, kept in the state directory: the level they set with
 * the {@code level} command, and whether the first-run notice was shown. Reading never creates
 * anything, so a process that ends up "off" writes nothing at all. The level is written durably
 * (forced to the disk, renamed into place, the directory synced): a {@code level off} survives a
 * power cut.
 */
public final class UserChoices {
  /** More than any level file holds. */
  private static final int MAX_FILE_BYTES = 256;

  private final StateDirectory state;

  UserChoices(StateDirectory state) {
    this.state = state;
  }

  /**
   * The stored level, or null when none was set (or there is no usable state directory). A file
   * that cannot be read, or that another user could have put there, is taken at its most
   * private: {@code off}.
   */
  public AnalyticsLevel storedLevel() {
    if (state.problem() != null || !Files.exists(state.levelFile(), LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      AnalyticsLevel level = AnalyticsLevel.parse(
          new String(SecureFiles.readOwnFile(state.levelFile(), FileTrust.Kind.FILE, MAX_FILE_BYTES), StandardCharsets.UTF_8));
      return level == null ? AnalyticsLevel.OFF : level;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return AnalyticsLevel.OFF;
    }
  }

  /**
   * Stores {@code level} (0600, durably), replacing an earlier choice.
   *
   * @throws dev.otelanalytics.internal.UntrustedPathException when the state directory is refused (its message says why)
   * @throws IOException when it cannot be written
   */
  public void storeLevel(AnalyticsLevel level) throws IOException {
    StateDirectory opened = StateDirectoryCheck.open(state);
    SecureFiles.replaceDurably(opened.levelFile(), (level.settingValue() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** True when the first-run notice was shown in an earlier run. */
  public boolean noticeShown() {
    return state.problem() == null && Files.exists(state.noticeFile(), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Records that the notice was shown; false when that cannot be written. Not synced: it is
   * written on the app's thread, and a record a power cut takes back only shows the notice once
   * more (and that run sends nothing).
   */
  public boolean recordNoticeShown() {
    try {
      StateDirectory opened = StateDirectoryCheck.open(state);
      SecureFiles.createExclusively(opened.noticeFile(), (Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
      return Files.exists(opened.noticeFile(), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
