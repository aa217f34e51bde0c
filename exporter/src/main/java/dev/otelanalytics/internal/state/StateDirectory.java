package dev.otelanalytics.internal.state;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one owner of the state directory: where it is, and the name of everything directly in it.
 * No other class builds a path inside it; each asks this type for its file or subdirectory. (Go's
 * {@code x/telemetry} keeps the same rule with its {@code Dir} type.)
 *
 * <pre>
 * &lt;state dir&gt;/
 *   install-id, deployment-id, hash-key   {@link InstallIdentity}
 *   level, notice-shown                   {@link UserChoices}
 *   last-start                            how analytics last started here (the activation's record, for status)
 *   events/                               the local store (daily JSONL files, named by the file destination)
 *   outbox/                               undelivered batches for a remote destination (named by the outbox)
 *   usage-window.json, usage-window.lock  the open usage-report window and its lock
 *   usage-spill/                          usage-report counts a run kept for the next one when it could
 *                                         not have the window's lock in time (named by the window store)
 * </pre>
 *
 * <p>The default location: {@code $XDG_STATE_HOME} or {@code ~/.local/state} on Linux and other
 * Unix systems, {@code ~/Library/Application Support} on macOS, {@code %LOCALAPPDATA%} on
 * Windows; then {@code otel-analytics/<service.name>}. Looking at a {@code StateDirectory} creates
 * nothing; each owner of a file creates it when it first writes, through {@link StateDirectoryCheck#open},
 * which refuses a directory another user could change.
 */
public final class StateDirectory {
  /** The install id: the {@code distinct_id} of every event. */
  public static final String INSTALL_ID_FILE = "install-id";
  /** The deployment id of usage reports. */
  public static final String DEPLOYMENT_ID_FILE = "deployment-id";
  /** The hex-encoded per-install HMAC key. */
  public static final String HASH_KEY_FILE = "hash-key";
  /** The level the person using the app set with the {@code level} command. */
  public static final String LEVEL_FILE = "level";
  /** When the first-run notice was shown. */
  public static final String NOTICE_FILE = "notice-shown";
  /** How analytics last started here: the way in, the level, the day. */
  public static final String LAST_START_FILE = "last-start";
  /** The local store's directory. */
  public static final String EVENTS_DIRECTORY = "events";
  /** The outbox's directory. */
  public static final String OUTBOX_DIRECTORY = "outbox";
  /** The open usage-report window. */
  public static final String USAGE_WINDOW_FILE = "usage-window.json";
  /** The lock processes sharing this directory take around the window file. */
  public static final String USAGE_WINDOW_LOCK_FILE = "usage-window.lock";
  /** Usage-report counts kept for the next run when the window's lock could not be had in time. */
  public static final String USAGE_SPILL_DIRECTORY = "usage-spill";
  /** The policy file compiled by an earlier run, with the content it was compiled from. */
  public static final String POLICY_CACHE_FILE = "policy-cache";
  /** Held by the running sender process ({@code OTEL_ANALYTICS_SENDER=process}): one at a time. */
  public static final String SENDER_LOCK_FILE = "sender.lock";
  /** Why the last sender process stopped sending (a refused key, a wrong endpoint), for the next run to say; absent otherwise. */
  public static final String SENDER_STOPPED_FILE = "sender-stopped";
  /** The last sender process's warnings (never an event, an API key or a secret). */
  public static final String SENDER_LOG_FILE = "sender.log";

  private final Path root;
  private final String problem;

  private StateDirectory(Path root, String problem) {
    this.root = root;
    this.problem = problem;
  }

  /** The state directory at {@code root}. */
  public static StateDirectory at(Path root) {
    return new StateDirectory(Objects.requireNonNull(root, "root"), null);
  }

  /**
   * {@code configured} when set, else the platform default for {@code serviceName}. When there is
   * no default (see {@link #defaultFor(String)}), the result has a {@link #problem()}.
   */
  public static StateDirectory resolve(Path configured, String serviceName) {
    return resolve(configured, serviceName, System::getenv, System.getProperty("os.name", ""), System.getProperty("user.home", ""));
  }

  static StateDirectory resolve(Path configured, String serviceName, Function<String, String> env, String osName, String userHome) {
    if (configured != null) {
      return at(configured);
    }
    Path dir = defaultFor(serviceName, env, osName, userHome);
    if (dir != null) {
      return at(dir);
    }
    // Kept only to be shown: nothing is read or written at a path relative to the working directory.
    return new StateDirectory(Paths.get("otel-analytics", safeDirectoryName(serviceName)),
        "there is no default state directory, because the home directory (user.home) is not an absolute path, as for a"
            + " user without a passwd entry in a container; set OTEL_ANALYTICS_STATE_DIR to an absolute directory of your own");
  }

  /**
   * The default for this JVM's platform and environment, or null when there is none: when it
   * would hang off the home directory ({@code user.home}) and that is not an absolute path (a
   * container user without a passwd entry has {@code ?}), it is never made relative to the
   * working directory.
   */
  public static Path defaultFor(String serviceName) {
    return defaultFor(serviceName, System::getenv, System.getProperty("os.name", ""), System.getProperty("user.home", ""));
  }

  static Path defaultFor(String serviceName, Function<String, String> env, String osName, String userHome) {
    String os = osName.toLowerCase(Locale.ROOT);
    Path base;
    if (os.startsWith("windows")) {
      String localAppData = env.apply("LOCALAPPDATA");
      base = localAppData != null && !localAppData.trim().isEmpty() ? Paths.get(localAppData) : home(userHome, "AppData", "Local");
    } else if (os.startsWith("mac") || os.startsWith("darwin")) {
      base = home(userHome, "Library", "Application Support");
    } else {
      String xdg = env.apply("XDG_STATE_HOME");
      // The XDG spec says a relative value must be ignored.
      base = absolute(xdg) ? Paths.get(xdg) : home(userHome, ".local", "state");
    }
    return base == null ? null : base.resolve("otel-analytics").resolve(safeDirectoryName(serviceName));
  }

  /** {@code userHome/more}, or null when {@code userHome} is not an absolute path. */
  private static Path home(String userHome, String... more) {
    return absolute(userHome) ? Paths.get(userHome, more) : null;
  }

  private static boolean absolute(String path) {
    if (path == null || path.trim().isEmpty()) {
      return false;
    }
    try {
      return Paths.get(path).isAbsolute();
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** {@code service.name} made safe as one directory name. */
  static String safeDirectoryName(String serviceName) {
    String name = serviceName == null ? "" : serviceName.trim();
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length() && out.length() < 100; i++) {
      char c = name.charAt(i);
      out.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ? c : '_');
    }
    String safe = out.toString();
    return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "unknown_service" : safe;
  }

  /** The directory itself. */
  public Path root() {
    return root;
  }

  /**
   * Why there is no usable directory here, as one line that names {@code OTEL_ANALYTICS_STATE_DIR},
   * or null. When set, nothing may be read or written through this object.
   */
  public String problem() {
    return problem;
  }

  public Path installIdFile() {
    return root.resolve(INSTALL_ID_FILE);
  }

  public Path deploymentIdFile() {
    return root.resolve(DEPLOYMENT_ID_FILE);
  }

  public Path hashKeyFile() {
    return root.resolve(HASH_KEY_FILE);
  }

  public Path levelFile() {
    return root.resolve(LEVEL_FILE);
  }

  public Path noticeFile() {
    return root.resolve(NOTICE_FILE);
  }

  public Path lastStartFile() {
    return root.resolve(LAST_START_FILE);
  }

  /** The local store's directory. */
  public Path eventsDirectory() {
    return root.resolve(EVENTS_DIRECTORY);
  }

  /** The outbox's directory. */
  public Path outboxDirectory() {
    return root.resolve(OUTBOX_DIRECTORY);
  }

  public Path usageWindowFile() {
    return root.resolve(USAGE_WINDOW_FILE);
  }

  public Path usageWindowLockFile() {
    return root.resolve(USAGE_WINDOW_LOCK_FILE);
  }

  /** Usage-report counts waiting to be added to the window (the window store names the files in it). */
  public Path policyCacheFile() {
    return root.resolve(POLICY_CACHE_FILE);
  }

  public Path senderLockFile() {
    return root.resolve(SENDER_LOCK_FILE);
  }

  public Path senderStoppedFile() {
    return root.resolve(SENDER_STOPPED_FILE);
  }

  public Path senderLogFile() {
    return root.resolve(SENDER_LOG_FILE);
  }

  public Path usageSpillDirectory() {
    return root.resolve(USAGE_SPILL_DIRECTORY);
  }

  /** The person's stored choices (level, first-run notice). */
  public UserChoices choices() {
    return new UserChoices(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StateDirectory && ((StateDirectory) o).root.equals(root);
  }

  @Override
  public int hashCode() {
    return root.hashCode();
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
