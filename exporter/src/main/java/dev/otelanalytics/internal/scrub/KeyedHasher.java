package dev.otelanalytics.internal.scrub;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes identifiers with HMAC-SHA256 under a secret key, truncated to 16 bytes, hex encoded.
 *
 * <p>A plain SHA-256 of a user name or e-mail is reversed by hashing a dictionary of likely
 * values; without the key that is impossible. The same key gives the same hash, so distinct
 * values can still be counted.
 */
public final class KeyedHasher {
  /** Bytes of the HMAC kept in the output: 128 bits, 32 hex characters. */
  public static final int OUTPUT_BYTES = 16;

  private static final String ALGORITHM = "HmacSHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * Recent identifiers and their hashes: the same users and organisations come back event after
   * event, and an HMAC costs a microsecond. A fixed table, one pair per slot, a newer pair
   * replacing an older; a slot holds a whole immutable pair or null, so threads need no lock and a
   * lost update costs one more HMAC. The identifiers are those the spans in memory hold anyway.
   */
  private static final int CACHE_SLOTS = 1024;
  private static final int CACHED_MAX_LENGTH = 128;

  private final Hashed[] recent = new Hashed[CACHE_SLOTS];
  private final SecretKeySpec key;
  // Created on first use: loading the JCE provider costs tens of milliseconds of start-up,
  // which a policy that hashes nothing should not pay.
  private Mac mac;

  /**
   * Creates a hasher for {@code key}.
   *
   * @throws IllegalArgumentException when the key is empty
   */
  public KeyedHasher(byte[] key) {
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("hash key must not be empty");
    }
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /** Returns the truncated, hex-encoded HMAC-SHA256 of the UTF-8 bytes of {@code value}. */
  public String hash(String value) {
    if (value.length() > CACHED_MAX_LENGTH) {
      return compute(value);
    }
    int index = (value.hashCode() ^ (value.hashCode() >>> 16)) & (CACHE_SLOTS - 1);
    Hashed held = recent[index];
    if (held != null && held.value.equals(value)) {
      return held.hash;
    }
    String hash = compute(value);
    recent[index] = new Hashed(value, hash);
    return hash;
  }

  private String compute(String value) {
    byte[] digest;
    synchronized (this) {
      digest = mac().doFinal(value.getBytes(StandardCharsets.UTF_8));
    }
    char[] out = new char[OUTPUT_BYTES * 2];
    for (int i = 0; i < OUTPUT_BYTES; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * The mark a gateway OpenTelemetry Collector writes before each hash it computed (the generated
   * configuration's transform processor adds it to the first 32 hex digits of the HMAC), so that a
   * relay behind it can tell a hash from a raw value that merely has the same form: session ids
   * and API keys are often 32 lower-case hex digits too.
   */
  public static final String GATEWAY_MARK = "hmac:";

  /**
   * The hash a gateway Collector marked: for {@code value} exactly {@link #GATEWAY_MARK} followed
   * by {@code 2 × OUTPUT_BYTES} lower-case hex digits, those digits (this class's output for the
   * same key); for anything else, unmarked 32-digit hex included, {@code null}.
   */
  public static String gatewayHash(Object value) {
    if (!(value instanceof String)) {
      return null;
    }
    String text = (String) value;
    if (text.length() != GATEWAY_MARK.length() + OUTPUT_BYTES * 2 || !text.startsWith(GATEWAY_MARK)) {
      return null;
    }
    for (int i = GATEWAY_MARK.length(); i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return null;
      }
    }
    return text.substring(GATEWAY_MARK.length());
  }

  private Mac mac() {
    if (mac == null) {
      try {
        Mac created = Mac.getInstance(ALGORITHM);
        created.init(key);
        mac = created;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        // Every Java SE runtime must provide HmacSHA256.
        throw new IllegalStateException("HmacSHA256 is not available on this JVM", e);
      }
    }
    return mac;
  }

  private static final class Hashed {
    final String value;
    final String hash;

    Hashed(String value, String hash) {
      this.value = value;
      this.hash = hash;
    }
  }

  @Override
  public String toString() {
    return "KeyedHasher{HmacSHA256, key=<redacted>}";
  }
}
