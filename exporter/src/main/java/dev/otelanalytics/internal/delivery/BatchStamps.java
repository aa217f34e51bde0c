package dev.otelanalytics.internal.delivery;

import java.util.function.LongSupplier;

/**
 * The stamps that order batches in the outbox: the wall clock's milliseconds, except that a stamp
 * is never below one this outbox made or saw in the directory (that one plus one instead), and is
 * kept within 0 and {@link #MAX}. So batches keep the order in which they were made, whatever the
 * clock does: set back an hour or a day (between runs too, as the outbox's files are seen at
 * start), before 1970, or centuries ahead; a clock that was ahead only makes the stamps run ahead
 * of it until the outbox has been emptied and the process restarted.
 */
final class BatchStamps {
  /** The largest stamp, 13 digits like every stamp of a right clock until the year 2286; a clock beyond it gives this. */
  static final long MAX = 9_999_999_999_999L;

  private final LongSupplier wallClock;
  /** The highest stamp made or seen; -1 for none. Guarded by {@code this}. */
  private long last = -1;

  BatchStamps(LongSupplier wallClock) {
    this.wallClock = wallClock;
  }

  /** A stamp for a batch made now: above every stamp made or seen so far (up to {@link #MAX}). */
  synchronized long next() {
    last = Math.max(within(wallClock.getAsLong()), Math.min(MAX, last + 1));
    return last;
  }

  /** A batch of {@code stamp} is in the outbox: later ones get higher stamps. Stamps beyond the range are not followed. */
  synchronized void saw(long stamp) {
    if (stamp > last && stamp <= MAX) {
      last = stamp;
    }
  }

  /** {@code stamp} brought into 0 to {@link #MAX}, for a batch taken over from a name of an earlier version. */
  static long within(long stamp) {
    return Math.max(0, Math.min(MAX, stamp));
  }
}
