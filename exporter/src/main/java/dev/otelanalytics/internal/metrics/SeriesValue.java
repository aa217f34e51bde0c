package dev.otelanalytics.internal.metrics;

/**
 * What a usage report holds for one series: a sum (counters, up-down counters), a count and sum
 * (histograms) or a last value (gauges). Mutable; guarded by its owner.
 */
final class SeriesValue {
  /** The three shapes a series can have in a report. */
  enum Kind {
    SUM("sum"),
    HISTOGRAM("histogram"),
    GAUGE("gauge");

    final String text;

    Kind(String text) {
      this.text = text;
    }

    static Kind parse(String text) {
      for (Kind kind : values()) {
        if (kind.text.equals(text)) {
          return kind;
        }
      }
      return null;
    }
  }

  final Kind kind;
  /** Sums: whether the sum can only grow (a counter), so noise may clamp it at 0. */
  boolean monotonic;
  /** Sums and gauges: whether the value is a double (else {@link #longValue} holds it). */
  boolean isDouble;
  long longValue;
  double doubleValue;
  /** Histograms: how many values were recorded, and their sum. */
  long count;
  double sum;
  /** Gauges: when the value was observed (epoch nanos), so the later of two values wins. */
  long atEpochNanos;

  private SeriesValue(Kind kind) {
    this.kind = kind;
  }

  static SeriesValue sum(boolean monotonic) {
    SeriesValue v = new SeriesValue(Kind.SUM);
    v.monotonic = monotonic;
    return v;
  }

  static SeriesValue histogram() {
    return new SeriesValue(Kind.HISTOGRAM);
  }

  static SeriesValue gauge() {
    return new SeriesValue(Kind.GAUGE);
  }

  SeriesValue copy() {
    SeriesValue v = new SeriesValue(kind);
    v.monotonic = monotonic;
    v.isDouble = isDouble;
    v.longValue = longValue;
    v.doubleValue = doubleValue;
    v.count = count;
    v.sum = sum;
    v.atEpochNanos = atEpochNanos;
    return v;
  }

  void addLong(long delta) {
    if (isDouble) {
      doubleValue += delta;
    } else {
      longValue = saturatedAdd(longValue, delta);
    }
  }

  void addDouble(double delta) {
    if (!isDouble) {
      isDouble = true;
      doubleValue = longValue;
      longValue = 0;
    }
    doubleValue += delta;
  }

  void addHistogram(long countDelta, double sumDelta) {
    count = saturatedAdd(count, countDelta);
    sum += sumDelta;
  }

  /** Sets a gauge's value to {@code value} observed at {@code atEpochNanos} (a long or a double). */
  void setGauge(Number value, long at) {
    isDouble = value instanceof Double;
    longValue = isDouble ? 0 : value.longValue();
    doubleValue = isDouble ? value.doubleValue() : 0;
    atEpochNanos = at;
  }

  /**
   * Adds {@code other} of the same kind: sums and histograms add up, and a gauge takes the
   * later of the two values. Returns false (and changes nothing) for another kind.
   */
  boolean add(SeriesValue other) {
    if (other.kind != kind) {
      return false;
    }
    switch (kind) {
      case SUM:
        monotonic &= other.monotonic;
        if (other.isDouble) {
          addDouble(other.doubleValue);
        } else {
          addLong(other.longValue);
        }
        return true;
      case HISTOGRAM:
        addHistogram(other.count, other.sum);
        return true;
      default:
        if (other.atEpochNanos >= atEpochNanos) {
          setGauge(other.value(), other.atEpochNanos);
        }
        return true;
    }
  }

  /** A sum's or gauge's value: a {@code Long} or a {@code Double}. */
  Number value() {
    return isDouble ? (Number) doubleValue : (Number) longValue;
  }

  /** The value as a double, whatever its type. */
  double asDouble() {
    return isDouble ? doubleValue : longValue;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    // Overflow only when both have the same sign and the result's sign differs.
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }
}
