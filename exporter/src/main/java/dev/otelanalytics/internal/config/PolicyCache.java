package dev.otelanalytics.internal.config;

import dev.otelanalytics.internal.FileTrust;
import dev.otelanalytics.internal.LibraryVersion;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.policy.PolicyException;
import dev.otelanalytics.policy.PolicyLoader;
import dev.otelanalytics.policy.PrivacyPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The policy file, compiled once and kept in the state directory ({@code policy-cache}), so that a
 * run reads it without the YAML parser (about 80 ms of a command-line run's start).
 *
 * <p>The cache holds the policy file's exact content beside its compiled form, and is used only
 * when that content is byte for byte the file's now, and was compiled by this library version:
 * any edit, however small, or an upgrade, reads the YAML again. A cache file that is not the
 * user's own, is a link, or cannot be read is ignored. A new compiled form is written only once
 * analytics has started (by {@link #saveIfNew()}, on the worker thread), so that a run that is off
 * writes nothing.
 */
public final class PolicyCache {
  private static final Logger logger = Logger.getLogger(PolicyCache.class.getName());
  private static final byte[] MAGIC = "otel-analytics compiled policy 1\n".getBytes(StandardCharsets.US_ASCII);
  /** More than any policy file and its compiled form. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  private final Path cacheFile;
  /** The cache content to write once analytics has started, or null. */
  private volatile byte[] pending;

  /** @param cacheFile where the compiled policy is kept ({@code <state dir>/policy-cache}) */
  public PolicyCache(Path cacheFile) {
    this.cacheFile = cacheFile;
  }

  /** Loads the policy in {@code file}: from the cache when it holds this content, else from the YAML (and remembers the compiled form). */
  PrivacyPolicy load(Path file) throws PolicyException {
    if (Files.isDirectory(file)) {
      return PolicyLoader.load(file);   // its own message
    }
    byte[] yaml;
    try {
      yaml = Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      return PolicyLoader.load(file);   // the same message as without a cache
    }
    PrivacyPolicy cached = cached(yaml, file);
    if (cached != null) {
      return cached;
    }
    ByteArrayOutputStream compiled = new ByteArrayOutputStream();
    PrivacyPolicy policy = PolicyLoader.load(yaml, file.toString(), compiled);
    if (compiled.size() > 0) {
      pending = entry(yaml, compiled.toByteArray());
    }
    return policy;
  }

  /** Writes the compiled form read this run, if the cache did not hold it; never throws. */
  public void saveIfNew() {
    byte[] content = pending;
    if (content == null) {
      return;
    }
    pending = null;
    try {
      SecureFiles.replace(cacheFile, content);
    } catch (IOException | RuntimeException e) {
      logger.log(Level.FINE, "otel-analytics: could not keep the compiled policy (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Whether a new compiled form waits for {@link #saveIfNew()}. */
  boolean hasPending() {
    return pending != null;
  }

  private PrivacyPolicy cached(byte[] yaml, Path file) {
    byte[] stored;
    try {
      stored = SecureFiles.readOwnFile(cacheFile, FileTrust.Kind.FILE, MAX_BYTES + 1);
    } catch (IOException | RuntimeException e) {
      return null;   // none yet, or not one to trust
    }
    byte[] version = (LibraryVersion.get() + "\n").getBytes(StandardCharsets.UTF_8);
    int headerLength = MAGIC.length + version.length + 11;
    if (stored.length > MAX_BYTES || stored.length < headerLength + yaml.length
        || !regionEquals(stored, 0, MAGIC) || !regionEquals(stored, MAGIC.length, version)) {
      return null;
    }
    int at = MAGIC.length + version.length;
    String length = new String(stored, at, 11, StandardCharsets.US_ASCII);
    if (!length.equals(lengthLine(yaml.length)) || !regionEquals(stored, headerLength, yaml)) {
      return null;
    }
    try {
      return PolicyLoader.loadCompiled(Arrays.copyOfRange(stored, headerLength + yaml.length, stored.length), file.toString());
    } catch (PolicyException | RuntimeException e) {
      return null;   // damaged: the YAML decides, and the cache is written again
    }
  }

  private static byte[] entry(byte[] yaml, byte[] compiled) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAGIC.length + 64 + yaml.length + compiled.length);
    out.write(MAGIC, 0, MAGIC.length);
    byte[] header = (LibraryVersion.get() + "\n" + lengthLine(yaml.length)).getBytes(StandardCharsets.UTF_8);
    out.write(header, 0, header.length);
    out.write(yaml, 0, yaml.length);
    out.write(compiled, 0, compiled.length);
    return out.size() > MAX_BYTES ? null : out.toByteArray();
  }

  /** The content's length as ten digits and a newline (not String.format: its first use loads a formatter, 10 ms). */
  private static String lengthLine(int length) {
    StringBuilder line = new StringBuilder(11);
    String digits = Integer.toString(length);
    for (int i = digits.length(); i < 10; i++) {
      line.append('0');
    }
    return line.append(digits).append('\n').toString();
  }

  private static boolean regionEquals(byte[] bytes, int from, byte[] expected) {
    if (from + expected.length > bytes.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (bytes[from + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
