package dev.otelanalytics.internal.delivery;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a batch file in the outbox, {@code b-<stamp>-<sequence>-<owner>.<state>}: the stamp
 * orders batches (see {@link BatchStamps}), the sequence orders one owner's batches of the same
 * stamp, the owner is the id of the outbox that holds it, and the state is {@code jsonl} (waiting),
 * {@code sending} or {@code open}.
 *
 * <p>Every shape a version of this library ever wrote is read, and the grammar stays this one: a
 * stamp and a sequence of up to 19 digits, each maybe negative (earlier versions wrote the wall
 * clock as it was, and a sequence that could wrap), and 16 hex digits of owner. New names have a
 * stamp of 13 digits and a sequence of at least 9. Batches are ordered by stamp, then sequence,
 * then owner, as numbers, not as text. A file shaped like a batch ({@code b-*.jsonl},
 * {@code .sending}, {@code .open}) whose name does not parse is no batch of any version: the outbox
 * sets it aside rather than leave it where nothing sends, counts or clears it.
 */
final class BatchName implements Comparable<BatchName> {
  private static final Pattern NAME = Pattern.compile("b-(-?\\d{1,19})-(-?\\d{1,19})-([0-9a-f]{16})\\.(jsonl|sending|open)");
  private static final Pattern SHAPE = Pattern.compile("b-.*\\.(jsonl|sending|open)");

  final long stamp;
  final long sequence;
  final String owner;

  private BatchName(long stamp, long sequence, String owner) {
    this.stamp = stamp;
    this.sequence = sequence;
    this.owner = owner;
  }

  /** The name of {@code file}, or null when it is not the name of a batch. */
  static BatchName of(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      return null;
    }
    try {
      return new BatchName(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3));
    } catch (NumberFormatException e) {
      return null;   // 19 digits beyond a long: no version wrote it
    }
  }

  /** Whether {@code file} is named like a batch, parsed or not. */
  static boolean isShapedLikeOne(Path file) {
    return SHAPE.matcher(file.getFileName().toString()).matches();
  }

  /** The file name of a waiting batch. */
  static String waiting(long stamp, long sequence, String owner) {
    return String.format(Locale.ROOT, "b-%013d-%09d-%s.jsonl", stamp, sequence, owner);
  }

  @Override
  public int compareTo(BatchName other) {
    int c = Long.compare(stamp, other.stamp);
    if (c == 0) {
      c = Long.compare(sequence, other.sequence);
    }
    return c != 0 ? c : owner.compareTo(other.owner);
  }
}
