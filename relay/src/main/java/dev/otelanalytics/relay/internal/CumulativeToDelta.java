package dev.otelanalytics.relay.internal;

import io.opentelemetry.api.common.Attributes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns cumulative points into deltas, per source stream: a stream is the resource, the scope,
 * the metric, the point's attributes and its start time, so two services, two replicas of one
 * service (same resource, another start time) or two gateways sending the same metric never mix
 * their running totals. Remembers the last value of at most {@code maxStreams} streams, least
 * recently seen forgotten first.
 *
 * <p>The first point of a stream counts whole only when the stream began (its start time) after
 * the relay started and after the relay last forgot a stream (by the wall clock); otherwise the relay cannot know how much of
 * it was reported before, and the point only sets the starting value (a baseline: it adds nothing).
 * After that each point adds its increase. A monotonic value that went down is a reset: the point
 * counts whole, since its stream began again. Points older than the last one seen (out of order)
 * add nothing. Thread-safe.
 */
public final class CumulativeToDelta {
  /** Default number of streams remembered: about 200 bytes each plus their attributes. */
  public static final int DEFAULT_MAX_STREAMS = 10_000;

  private final int maxStreams;
  private final long startEpochNanos;
  private final RelayCounters counters;
  private long forgotEpochNanos;
  private final Map<StreamKey, Last> streams;

  /**
   * @param startEpochNanos when the relay started: a stream that began before may have been reported already
   */
  public CumulativeToDelta(int maxStreams, long startEpochNanos, RelayCounters counters) {
    this.maxStreams = maxStreams;
    this.startEpochNanos = startEpochNanos;
    this.counters = counters;
    this.streams = new LinkedHashMap<StreamKey, Last>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<StreamKey, Last> eldest) {
        if (size() > CumulativeToDelta.this.maxStreams) {
          // Any stream that began before now may be the one forgotten: from now on, only newer streams count whole.
          forgotEpochNanos = Math.max(forgotEpochNanos, TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
          CumulativeToDelta.this.counters.streamsEvicted.increment();
          return true;
        }
        return false;
      }
    };
  }

  /** One stream's increase: a count and a sum (a counter's value is its sum, with count 0). */
  public static final class Delta {
    public final long count;
    public final double sum;
    public final long longSum;

    Delta(long count, double sum, long longSum) {
      this.count = count;
      this.sum = sum;
      this.longSum = longSum;
    }
  }

  /**
   * The increase of a stream since its last point; null when the point adds nothing (a baseline, or out of order).
   *
   * @param monotonic whether the value only goes up (a counter; histogram counts always do)
   */
  public synchronized Delta next(StreamKey key, long startEpochNanos, long epochNanos, long count, double sum, long longSum,
      boolean monotonic) {
    Last last = streams.get(key);
    if (last == null) {
      streams.put(key, new Last(startEpochNanos, epochNanos, count, sum, longSum));
      boolean beganSince = startEpochNanos != 0 && startEpochNanos >= Math.max(this.startEpochNanos, forgotEpochNanos);
      if (!beganSince) {
        counters.pointsBaseline.increment();
        return null;
      }
      return new Delta(count, sum, longSum);
    }
    if (epochNanos < last.epochNanos) {
      return null;
    }
    boolean reset = startEpochNanos != last.startEpochNanos || count < last.count
        || (monotonic && (longSum < last.longSum || sum < last.sum));
    Delta delta = reset ? new Delta(count, sum, longSum)
        : new Delta(count - last.count, sum - last.sum, longSum - last.longSum);
    last.startEpochNanos = startEpochNanos;
    last.epochNanos = epochNanos;
    last.count = count;
    last.sum = sum;
    last.longSum = longSum;
    return delta;
  }

  /** Streams remembered now. */
  public synchronized int size() {
    return streams.size();
  }

  private static final class Last {
    long startEpochNanos;
    long epochNanos;
    long count;
    double sum;
    long longSum;

    Last(long startEpochNanos, long epochNanos, long count, double sum, long longSum) {
      this.startEpochNanos = startEpochNanos;
      this.epochNanos = epochNanos;
      this.count = count;
      this.sum = sum;
      this.longSum = longSum;
    }
  }

  /**
   * Resource, scope, metric, point attributes and start time: one source's running total. Two
   * replicas of a service with the same resource differ in their start time, so their totals never
   * mix. Kept as a SHA-256 digest of those parts, so that a remembered stream costs the same small
   * amount of memory whatever its attributes hold.
   */
  public static final class StreamKey {
    private final String metric;
    private final byte[] digest;
    private final int hash;

    public StreamKey(Attributes resource, String scope, String metric, Attributes attributes, long startEpochNanos) {
      this.metric = metric;
      MessageDigest sha;
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available on this JVM", e); // every Java SE runtime has it
      }
      part(sha, resource.toString());
      part(sha, scope);
      part(sha, metric);
      part(sha, attributes.toString());
      part(sha, Long.toString(startEpochNanos));
      this.digest = sha.digest();
      this.hash = Arrays.hashCode(digest);
    }

    /** Each part with its length first, so that no two different sets of parts read the same. */
    private static void part(MessageDigest sha, String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
      sha.update(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StreamKey && hash == ((StreamKey) o).hash && Arrays.equals(digest, ((StreamKey) o).digest);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    /** The metric name only: attribute values may hold anything and must not reach a log. */
    @Override
    public String toString() {
      return "StreamKey{" + metric + "}";
    }
  }
}
