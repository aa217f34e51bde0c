package dev.otelanalytics;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Options of one {@link UsageReportExporter}. Which instruments are reported, and how often by
 * default, is the privacy policy's ({@code metrics.allow}, {@code metrics.report_interval}); these
 * options add what is not policy: optional Laplace noise, and the clock and random source (tests
 * inject their own). Immutable.
 */
public final class UsageReportOptions {
  private static final UsageReportOptions DEFAULTS = builder().build();

  private final Duration reportInterval;
  private final double noiseEpsilon;
  private final double noiseSensitivity;
  private final Clock clock;
  private final Random random;

  private UsageReportOptions(Builder b) {
    this.reportInterval = b.reportInterval;
    this.noiseEpsilon = b.noiseEpsilon;
    this.noiseSensitivity = b.noiseSensitivity;
    this.clock = b.clock;
    this.random = b.random;
  }

  /**
   * The policy's interval, no noise, the system clock.
   *
   * @return the shared default options
   */
  public static UsageReportOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts options with the defaults: the policy's interval, no noise, the system clock.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The report interval, or null to use the policy's {@code metrics.report_interval}.
   *
   * @return the interval, at least 1 s, or null
   */
  public Duration reportInterval() {
    return reportInterval;
  }

  /**
   * True when Laplace noise is added to each reported count.
   *
   * @return true when {@link Builder#setNoise} was called; false by default
   */
  public boolean noise() {
    return noiseEpsilon > 0;
  }

  /**
   * ε of the noise; 0 when there is none.
   *
   * @return the privacy budget of each count, above 0, or 0 without noise
   */
  public double noiseEpsilon() {
    return noiseEpsilon;
  }

  /**
   * The sensitivity the noise is scaled by (scale = sensitivity / ε).
   *
   * @return the sensitivity, above 0; 1 unless set
   */
  public double noiseSensitivity() {
    return noiseSensitivity;
  }

  /**
   * The clock that opens and closes report windows.
   *
   * @return the clock; {@link Clock#systemUTC()} unless set
   */
  public Clock clock() {
    return clock;
  }

  /** The random source of the noise: the injected one, else a new {@link SecureRandom}. */
  Random random() {
    return random != null ? random : new SecureRandom();
  }

  @Override
  public String toString() {
    return "UsageReportOptions{reportInterval=" + (reportInterval == null ? "policy" : reportInterval)
        + ", noise=" + (noise() ? "laplace(epsilon=" + noiseEpsilon + ", sensitivity=" + noiseSensitivity + ")" : "off") + "}";
  }

  /** Builds {@link UsageReportOptions}; every setter validates its argument. */
  public static final class Builder {
    private Duration reportInterval;
    private double noiseEpsilon;
    private double noiseSensitivity = 1;
    private Clock clock = Clock.systemUTC();
    private Random random;

    private Builder() {}

    /**
     * Overrides the policy's report interval; at least one second.
     *
     * @param interval the interval
     * @return this builder
     * @throws IllegalArgumentException when {@code interval} is shorter than 1 s
     */
    public Builder setReportInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("report interval must be at least 1s, e.g. 24h");
      }
      this.reportInterval = interval;
      return this;
    }

    /**
     * Adds Laplace noise of scale {@code sensitivity / epsilon} to each reported count (rounded,
     * and at least 0 for counts that cannot go down). Off by default.
     *
     * @param epsilon the privacy budget ε of each count; smaller is more private and noisier
     * @param sensitivity the most one person can change one count in one report (default 1)
     * @return this builder
     * @throws IllegalArgumentException when {@code epsilon} or {@code sensitivity} is not a finite number above 0
     */
    public Builder setNoise(double epsilon, double sensitivity) {
      if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
        throw new IllegalArgumentException("epsilon must be a number above 0, e.g. 0.5");
      }
      if (!(sensitivity > 0) || Double.isInfinite(sensitivity)) {
        throw new IllegalArgumentException("sensitivity must be a number above 0, e.g. 1");
      }
      this.noiseEpsilon = epsilon;
      this.noiseSensitivity = sensitivity;
      return this;
    }

    /**
     * The clock that opens and closes report windows; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder setClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The random source of the noise; default a new {@link SecureRandom}. A seeded
     * {@code java.util.Random} makes the noise predictable: for tests only.
     *
     * @param random the random source
     * @return this builder
     */
    public Builder setRandom(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the options.
     *
     * @return immutable options; later changes to this builder do not affect them
     */
    public UsageReportOptions build() {
      return new UsageReportOptions(this);
    }
  }
}
