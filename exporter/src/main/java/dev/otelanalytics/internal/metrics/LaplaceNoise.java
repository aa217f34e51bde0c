package dev.otelanalytics.internal.metrics;

import java.util.Random;

/**
 * Laplace noise for differentially private counts: a count {@code c} is reported as
 * {@code round(c + X)} with {@code X ~ Laplace(0, b)}, {@code b = sensitivity / ε}. If one person
 * can change the count by at most {@code sensitivity}, the reported count is ε-differentially
 * private for that person. Mean of {@code X}: 0; standard deviation: {@code √2 · b}.
 */
public final class LaplaceNoise {
  private final double epsilon;
  private final double sensitivity;
  private final double scale;
  private final Random random;

  /**
   * @param epsilon ε, above 0
   * @param sensitivity the most one person changes a count, above 0
   * @param random the random source (a {@code SecureRandom} outside tests)
   */
  public LaplaceNoise(double epsilon, double sensitivity, Random random) {
    if (!(epsilon > 0) || !(sensitivity > 0) || Double.isInfinite(epsilon) || Double.isInfinite(sensitivity)) {
      throw new IllegalArgumentException("epsilon and sensitivity must be finite numbers above 0");
    }
    this.epsilon = epsilon;
    this.sensitivity = sensitivity;
    this.scale = sensitivity / epsilon;
    this.random = random;
  }

  /** ε. */
  public double epsilon() {
    return epsilon;
  }

  /** The most one person changes a count. */
  public double sensitivity() {
    return sensitivity;
  }

  /** {@code b = sensitivity / ε}. */
  public double scale() {
    return scale;
  }

  /** One draw of {@code Laplace(0, b)}, by inverting its distribution function. */
  public double sample() {
    double u;
    do {
      u = random.nextDouble() - 0.5; // [-0.5, 0.5)
    } while (u == -0.5); // ln(0) would be infinite
    return -scale * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
  }

  /**
   * {@code value} plus noise, rounded to a whole number; clamped at 0 when {@code nonNegative}
   * (a count that cannot go down).
   */
  public long noisy(double value, boolean nonNegative) {
    double noisy = Math.rint(value + sample());
    if (nonNegative && noisy < 0) {
      return 0;
    }
    if (noisy >= Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    return noisy <= Long.MIN_VALUE ? Long.MIN_VALUE : (long) noisy;
  }
}
