package dev.otelanalytics.internal.state;

import dev.otelanalytics.internal.FileTrust;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.UntrustedPathException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a state directory may be used, decided before anything is written to it, as ssh's
 * {@code StrictModes} decides for {@code ~/.ssh}: the directory, and every file and subdirectory
 * this project keeps directly in it, must be accepted by {@link FileTrust} (ours, not a link, not
 * writable by others), and the stored identity must not be damaged. The directory's parents are
 * not checked, so a directory in {@code /tmp} (world-writable, sticky) is fine when it is ours.
 *
 * <p>A configured path that is a symbolic link is resolved once, here, and the directory is used
 * at its real path from then on: a link that is changed later cannot move a running process.
 */
public final class StateDirectoryCheck {
  private StateDirectoryCheck() {}

  /** The outcome for a start: the directory to use, or why analytics must stay off. */
  public static final class Outcome {
    private final StateDirectory state;
    private final String refusal;

    private Outcome(StateDirectory state, String refusal) {
      this.state = state;
      this.refusal = refusal;
    }

    /** The directory to use from now on (at its real path when it could be opened). */
    public StateDirectory state() {
      return state;
    }

    /** One line saying what is wrong, with which path, and the fix; null when analytics may start. */
    public String refusal() {
      return refusal;
    }
  }

  /**
   * The state directory, made (0700, with missing parents) when it does not exist, at its real
   * path, once {@link FileTrust} accepts it. Every writer of a file directly in the directory
   * goes through here first.
   *
   * @throws UntrustedPathException when there is no usable directory ({@link StateDirectory#problem()}) or it is refused
   * @throws IOException when it cannot be made or read
   */
  public static StateDirectory open(StateDirectory state) throws IOException {
    if (state.problem() != null) {
      throw new UntrustedPathException(state.problem());
    }
    Path root = state.root();
    if (!Files.exists(root)) {
      SecureFiles.createDirectories(root);
    }
    Path real = root.toRealPath();
    if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
      // Cannot be written, as before: not a refusal (the run falls back to memory).
      throw new NotDirectoryException(LogText.path(real));
    }
    FileTrust.check(real, FileTrust.Kind.DIRECTORY);
    return real.equals(root) ? state : StateDirectory.at(real);
  }

  /**
   * Checks {@code state} for a start: opens it ({@link #open}), checks what it holds and reads
   * the stored identity. A directory that is refused, or a damaged identity, keeps analytics off
   * ({@link Outcome#refusal()}). A directory that merely cannot be made or read does not: the run
   * then keeps its identity and its undelivered events in memory, as it always did.
   *
   * @param keyConfigured true when {@code OTEL_ANALYTICS_HASH_KEY} (or the builder) supplies the
   *     key, so that the stored {@code hash-key} is neither used nor checked
   */
  public static Outcome forStart(StateDirectory state, boolean keyConfigured) {
    StateDirectory opened;
    try {
      opened = open(state);
    } catch (UntrustedPathException e) {
      return new Outcome(state, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new Outcome(state, null);
    }
    try {
      for (Map.Entry<String, FileTrust.Kind> entry : entries(keyConfigured).entrySet()) {
        try {
          FileTrust.check(opened.root().resolve(entry.getKey()), entry.getValue());
        } catch (NoSuchFileException absent) {
          // Made when first needed.
        }
      }
      String damaged = InstallIdentity.damage(opened, keyConfigured);
      return new Outcome(opened, damaged);
    } catch (UntrustedPathException e) {
      return new Outcome(opened, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new Outcome(opened, "the state directory " + LogText.path(opened.root()) + " cannot be read ("
          + e.getClass().getSimpleName() + "); set OTEL_ANALYTICS_STATE_DIR to a directory of your own");
    }
  }

  /** What this project keeps directly in the directory, and what each must be. */
  private static Map<String, FileTrust.Kind> entries(boolean keyConfigured) {
    Map<String, FileTrust.Kind> entries = new LinkedHashMap<>();
    entries.put(StateDirectory.INSTALL_ID_FILE, FileTrust.Kind.FILE);
    entries.put(StateDirectory.DEPLOYMENT_ID_FILE, FileTrust.Kind.FILE);
    if (!keyConfigured) {
      entries.put(StateDirectory.HASH_KEY_FILE, FileTrust.Kind.SECRET);
    }
    entries.put(StateDirectory.LEVEL_FILE, FileTrust.Kind.FILE);
    entries.put(StateDirectory.NOTICE_FILE, FileTrust.Kind.FILE);
    entries.put(StateDirectory.LAST_START_FILE, FileTrust.Kind.FILE);
    entries.put(StateDirectory.USAGE_WINDOW_FILE, FileTrust.Kind.FILE);
    entries.put(StateDirectory.USAGE_WINDOW_LOCK_FILE, FileTrust.Kind.FILE);
    entries.put(StateDirectory.EVENTS_DIRECTORY, FileTrust.Kind.DIRECTORY);
    entries.put(StateDirectory.OUTBOX_DIRECTORY, FileTrust.Kind.DIRECTORY);
    entries.put(StateDirectory.USAGE_SPILL_DIRECTORY, FileTrust.Kind.DIRECTORY);
    return entries;
  }
}
