package dev.otelanalytics.internal.event;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random (version 4) UUIDs for events, from a cryptographically strong generator, drawn 64 ids
 * at a time. {@code UUID.randomUUID()} reads the operating system's random device, under a
 * JVM-wide lock and mixed with SHA1PRNG's output, for each id; that was a tenth of the worker's
 * time per event. The ids stay unpredictable, so that an event's id
 * tells nothing about the ids of other events.
 */
public final class EventIds {
  private static final int IDS_PER_DRAW = 64;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final SecureRandom random = strongGenerator();
  private final byte[] pool = new byte[16 * IDS_PER_DRAW];
  private int next = pool.length;

  /** A new random UUID in its usual text form ({@code 8-4-4-4-12} lower-case hex digits). */
  public synchronized String next() {
    if (next == pool.length) {
      random.nextBytes(pool);
      next = 0;
    }
    char[] out = new char[36];
    int o = 0;
    for (int i = 0; i < 16; i++) {
      int b = pool[next + i] & 0xff;
      if (i == 6) {
        b = (b & 0x0f) | 0x40;   // version 4
      } else if (i == 8) {
        b = (b & 0x3f) | 0x80;   // IETF variant
      }
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        out[o++] = '-';
      }
      out[o++] = HEX[b >> 4];
      out[o++] = HEX[b & 0x0f];
    }
    next += 16;
    return new String(out);
  }

  /**
   * On Linux and macOS, the system's non-blocking random device read directly (one read per 64
   * ids; its first use costs what {@code UUID.randomUUID()}'s costs, which matters to a CLI's exit);
   * elsewhere a deterministic random bit generator (NIST SP 800-90A, Java 9 and later), or
   * SHA1PRNG on Java 8, each seeded by the system.
   */
  private static SecureRandom strongGenerator() {
    for (String algorithm : new String[] {"NativePRNGNonBlocking", "DRBG", "SHA1PRNG"}) {
      try {
        return SecureRandom.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        // try the next
      }
    }
    return new SecureRandom();
  }
}
