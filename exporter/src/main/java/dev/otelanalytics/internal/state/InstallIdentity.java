package dev.otelanalytics.internal.state;

import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.scrub.KeyedHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * (so hashes are not comparable across runs) and the reason is logged once.
 */
public final class InstallIdentity {
  /** Random bytes in a generated key. */
  public static final int KEY_BYTES = 32;

  private static final ThrottledLogger logger = ThrottledLogger.get(InstallIdentity.class);
  private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern KEY_TEXT = Pattern.compile("[0-9a-f]{" + (KEY_BYTES * 2) + "}");
  private static final SecureRandom RANDOM = new SecureRandom();

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
   * Loads the identity from {@code state}, creating what is missing.
   *
   * @param configuredKey the shared HMAC key from configuration, or null to use the stored one
   */
  public static InstallIdentity load(StateDirectory state, byte[] configuredKey) {
    try {
      SecureFiles.createDirectories(state.root());
      String id = readOrCreate(state.installIdFile(), UUID_TEXT, () -> UUID.randomUUID().toString());
      String deployment = readOrCreate(state.deploymentIdFile(), UUID_TEXT, () -> UUID.randomUUID().toString());
      byte[] key = configuredKey != null
          ? configuredKey
          : fromHex(readOrCreate(state.hashKeyFile(), KEY_TEXT, () -> toHex(randomKey())));
      return new InstallIdentity(id, deployment, new KeyedHasher(key), true);
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "otel-analytics: state directory " + LogText.path(state.root()) + " cannot be used ("
          + e.getClass().getSimpleName() + "); using a one-run identity. Set OTEL_ANALYTICS_STATE_DIR to a writable directory.");
      return ephemeral(configuredKey);
    }
  }

  /** A fresh identity for this run only, nothing written. */
  public static InstallIdentity ephemeral(byte[] configuredKey) {
    byte[] key = configuredKey != null ? configuredKey : randomKey();
    return new InstallIdentity(UUID.randomUUID().toString(), UUID.randomUUID().toString(), new KeyedHasher(key), false);
  }

  /** The stored install id, or null when there is none yet; creates nothing. For status output. */
  public static String peekInstallId(StateDirectory state) {
    return peek(state.installIdFile());
  }

  /** The stored deployment id, or null when there is none yet; creates nothing. */
  public static String peekDeploymentId(StateDirectory state) {
    return peek(state.deploymentIdFile());
  }

  /** Deletes the stored ids and key; the next {@link #load} makes new ones. */
  public static void forget(StateDirectory state) throws IOException {
    Files.deleteIfExists(state.installIdFile());
    Files.deleteIfExists(state.deploymentIdFile());
    Files.deleteIfExists(state.hashKeyFile());
  }

  private static String peek(Path file) {
    try {
      String value = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
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

  private static String readOrCreate(Path file, Pattern valid, ValueFactory factory) throws IOException {
    for (int attempt = 0; attempt < 3; attempt++) {
      if (Files.exists(file)) {
        String value = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        if (valid.matcher(value).matches()) {
          return value;
        }
        logger.log(Level.WARNING, "otel-analytics: " + LogText.path(file) + " is corrupt; replacing it with a new random value");
        Files.deleteIfExists(file);
      }
      String fresh = factory.create();
      if (SecureFiles.createExclusively(file, (fresh + "\n").getBytes(StandardCharsets.UTF_8))) {
        return fresh;
      }
      // Another process created it first: read theirs.
    }
    throw new IOException("could not create " + file);
  }

  private static byte[] randomKey() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
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
