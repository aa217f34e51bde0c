package dev.otelanalytics.internal.state;

import dev.otelanalytics.internal.FileTrust;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.UntrustedPathException;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.logging.Level;
import java.util.regex.Pattern;

/**
 * The random identity of one install, kept in the state directory: an install id (the
 * {@code distinct_id} of every event) and the HMAC key for hashed attributes. Never derived from
 * the host name, user name or MAC address. Files are 0600.
 *
 * <p>When the state directory cannot be written, a fresh identity is used for this run only
 * (so hashes are not comparable across runs) and the reason is logged once. A stored file that is
 * damaged is never replaced (see {@link #load}).
 */
public final class InstallIdentity {
  /** Random bytes in a generated key. */
  public static final int KEY_BYTES = 32;

  private static final ThrottledLogger logger = ThrottledLogger.get(InstallIdentity.class);
  private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern KEY_TEXT = Pattern.compile("[0-9a-f]{" + (KEY_BYTES * 2) + "}");
  /** More than any valid identity file holds, with the whitespace around it. */
  private static final int MAX_FILE_BYTES = 4096;

  private final String installId;
  private final String deploymentId;
  private final KeyedHasher hasher;
  private final boolean persisted;

  private InstallIdentity(String installId, String deploymentId, KeyedHasher hasher, boolean persisted) {
    this.installId = installId;
    this.deploymentId = deploymentId;
    this.hasher = hasher;
    this.persisted = persisted;
  }

  /**
   * Loads the identity from {@code state}, creating what is missing. New files are written
   * durably (forced to the disk, then renamed into place, then the directory synced), so that a
   * power cut cannot leave them empty. A stored file that is empty or damaged all the same is
   * never replaced (a new key would change every hashed id): this run then uses a one-run
   * identity, and one warning names the file and the way to start over ({@code telemetry clear}).
   * So does a state directory, or a stored file, that {@link StateDirectoryCheck} refuses.
   *
   * @param configuredKey the shared HMAC key from configuration, or null to use the stored one
   */
  public static InstallIdentity load(StateDirectory state, byte[] configuredKey) {
    try {
      StateDirectory opened = StateDirectoryCheck.open(state);
      String id = readOrCreate(opened.installIdFile(), UUID_TEXT, FileTrust.Kind.FILE, () -> UUID.randomUUID().toString());
      String deployment = readOrCreate(opened.deploymentIdFile(), UUID_TEXT, FileTrust.Kind.FILE, () -> UUID.randomUUID().toString());
      byte[] key = configuredKey != null
          ? configuredKey
          : fromHex(readOrCreate(opened.hashKeyFile(), KEY_TEXT, FileTrust.Kind.SECRET, () -> toHex(randomKey())));
      return new InstallIdentity(id, deployment, new KeyedHasher(key), true);
    } catch (UntrustedPathException | DamagedFileException e) {
      logger.log(Level.WARNING, "otel-analytics: " + e.getMessage() + "; this run uses a one-run identity");
      return ephemeral(configuredKey);
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "otel-analytics: state directory " + LogText.path(state.root()) + " cannot be used ("
          + e.getClass().getSimpleName() + "); using a one-run identity. Set OTEL_ANALYTICS_STATE_DIR to a writable directory.");
      return ephemeral(configuredKey);
    }
  }

  /**
   * What is wrong with the stored identity in an opened state directory, as one line naming the
   * file and the way to start over, or null when every stored file holds a valid value (or is
   * not there yet). Reads, writes nothing.
   *
   * @param keyConfigured true when the key comes from configuration: the stored one is then not looked at
   * @throws UntrustedPathException when a stored file is refused
   * @throws IOException when a stored file cannot be read
   */
  static String damage(StateDirectory opened, boolean keyConfigured) throws IOException {
    Path[] files = keyConfigured
        ? new Path[] {opened.installIdFile(), opened.deploymentIdFile()}
        : new Path[] {opened.installIdFile(), opened.deploymentIdFile(), opened.hashKeyFile()};
    for (Path file : files) {
      boolean key = file.equals(opened.hashKeyFile());
      try {
        read(file, key ? KEY_TEXT : UUID_TEXT, key ? FileTrust.Kind.SECRET : FileTrust.Kind.FILE);
      } catch (NoSuchFileException absent) {
        // Made at the first start.
      } catch (DamagedFileException e) {
        return e.getMessage();
      }
    }
    return null;
  }

  /** A fresh identity for this run only, nothing written. */
  public static InstallIdentity ephemeral(byte[] configuredKey) {
    byte[] key = configuredKey != null ? configuredKey : randomKey();
    return new InstallIdentity(UUID.randomUUID().toString(), UUID.randomUUID().toString(), new KeyedHasher(key), false);
  }

  /** The stored install id, or null when there is none yet (or it cannot be trusted); creates nothing. For status output. */
  public static String peekInstallId(StateDirectory state) {
    return peek(state, state.installIdFile());
  }

  /** The stored deployment id, or null when there is none yet (or it cannot be trusted); creates nothing. */
  public static String peekDeploymentId(StateDirectory state) {
    return peek(state, state.deploymentIdFile());
  }

  /**
   * Deletes the stored ids and key, and syncs the directory, so that a power cut right after
   * cannot bring them back; the next {@link #load} makes new ones.
   */
  public static void forget(StateDirectory state) throws IOException {
    if (state.problem() != null) {
      return; // nothing was ever stored there
    }
    boolean deleted = Files.deleteIfExists(state.installIdFile());
    deleted |= Files.deleteIfExists(state.deploymentIdFile());
    deleted |= Files.deleteIfExists(state.hashKeyFile());
    if (deleted) {
      SecureFiles.syncDirectory(state.root());
    }
  }

  private static String peek(StateDirectory state, Path file) {
    if (state.problem() != null) {
      return null;
    }
    try {
      String value = new String(SecureFiles.readOwnFile(file, FileTrust.Kind.FILE, MAX_FILE_BYTES), StandardCharsets.UTF_8).trim();
      return UUID_TEXT.matcher(value).matches() ? value : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The random id of this deployment (one per state directory). */
  public String deploymentId() {
    return deploymentId;
  }

  public String installId() {
    return installId;
  }

  public KeyedHasher hasher() {
    return hasher;
  }

  /** False when this identity lives for this run only. */
  public boolean persisted() {
    return persisted;
  }

  private interface ValueFactory {
    String create();
  }

  /** A stored identity file that holds no valid value: empty or cut short by a power cut, or changed by hand. */
  private static final class DamagedFileException extends IOException {
    private static final long serialVersionUID = 1L;

    DamagedFileException(Path file) {
      super(LogText.path(file) + " is empty or damaged (a power cut or a full disk can do this); it is kept, because a new"
          + " one would change every id this install sends: restore it, or run the app's telemetry clear command to start"
          + " over with new ids");
    }
  }

  /** The valid value in {@code file}. */
  private static String read(Path file, Pattern valid, FileTrust.Kind kind) throws IOException {
    String value = new String(SecureFiles.readOwnFile(file, kind, MAX_FILE_BYTES), StandardCharsets.UTF_8).trim();
    if (!valid.matcher(value).matches()) {
      throw new DamagedFileException(file);
    }
    return value;
  }

  private static String readOrCreate(Path file, Pattern valid, FileTrust.Kind kind, ValueFactory factory) throws IOException {
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return read(file, valid, kind);
      } catch (NoSuchFileException absent) {
        // Made below.
      }
      String fresh = factory.create();
      if (SecureFiles.createDurably(file, (fresh + "\n").getBytes(StandardCharsets.UTF_8))) {
        return fresh;
      }
      // Another process created it first: read theirs.
    }
    throw new IOException("could not create " + file);
  }

  /** Made when first needed, on the worker thread: seeding it takes milliseconds. */
  private static final class Random {
    static final SecureRandom INSTANCE = new SecureRandom();
  }

  private static byte[] randomKey() {
    byte[] key = new byte[KEY_BYTES];
    Random.INSTANCE.nextBytes(key);
    return key;
  }

  private static String toHex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  private static byte[] fromHex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  @Override
  public String toString() {
    return "InstallIdentity{persisted=" + persisted + ", key=<redacted>}";
  }
}
