package dev.otelanalytics.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.otelanalytics.UsageReportOptions;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The noise is Laplace(0, sensitivity / ε): checked statistically over many draws with a fixed
 * seed. Tolerances are several standard errors wide, so the fixed seeds pass by a margin and any
 * other seed would pass too with overwhelming probability.
 */
class LaplaceNoiseTest {
  static final int DRAWS = 200_000;

  @ParameterizedTest(name = "epsilon {0}, sensitivity {1}")
  @CsvSource({"1.0, 1", "0.5, 1", "0.1, 1", "2.0, 5"})
  void drawsHaveMeanZeroAndTheLaplaceSpread(double epsilon, double sensitivity) {
    LaplaceNoise noise = new LaplaceNoise(epsilon, sensitivity, new Random(20260302L));
    double b = sensitivity / epsilon;
    assertThat(noise.scale()).isEqualTo(b);
    double[] x = new double[DRAWS];
    for (int i = 0; i < DRAWS; i++) {
      x[i] = noise.sample();
    }
    double mean = Arrays.stream(x).average().orElseThrow();
    double variance = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (DRAWS - 1);
    double meanAbs = Arrays.stream(x).map(Math::abs).average().orElseThrow();
    double sd = Math.sqrt(2) * b;
    // Standard error of the mean: sd / sqrt(n); allow 5 of them.
    assertThat(mean).isCloseTo(0, within(5 * sd / Math.sqrt(DRAWS)));
    // For Laplace: Var = 2b², E|X| = b, and the median is 0; within 2 %.
    assertThat(Math.sqrt(variance)).isCloseTo(sd, within(0.02 * sd));
    assertThat(meanAbs).isCloseTo(b, within(0.02 * b));
    long positive = Arrays.stream(x).filter(v -> v > 0).count();
    assertThat((double) positive / DRAWS).isCloseTo(0.5, within(0.01));
    // The tails: P(|X| > t·b) = e^-t.
    for (int t = 1; t <= 4; t++) {
      double limit = t * b;
      double share = (double) Arrays.stream(x).filter(v -> Math.abs(v) > limit).count() / DRAWS;
      assertThat(share).as("P(|X| > %s b)", t).isCloseTo(Math.exp(-t), within(0.1 * Math.exp(-t)));
    }
  }

  @Test
  void noisyCountsAreWholeCenteredOnTheTrueValueWithTheLaplaceSpread() {
    LaplaceNoise noise = new LaplaceNoise(0.5, 1, new Random(7L));
    double b = 2;
    long trueValue = 1000;
    long[] noisy = new long[DRAWS];
    for (int i = 0; i < DRAWS; i++) {
      noisy[i] = noise.noisy(trueValue, true);
    }
    double mean = Arrays.stream(noisy).average().orElseThrow();
    double variance = Arrays.stream(noisy).mapToDouble(v -> (v - mean) * (v - mean)).sum() / (DRAWS - 1);
    // Rounding adds about 1/12 to the variance of 2b².
    double sd = Math.sqrt(2 * b * b + 1.0 / 12);
    assertThat(mean).isCloseTo(trueValue, within(5 * sd / Math.sqrt(DRAWS)));
    assertThat(Math.sqrt(variance)).isCloseTo(sd, within(0.02 * sd));
    assertThat(Arrays.stream(noisy).filter(v -> v != trueValue).count()).as("noise changes most counts").isGreaterThan(DRAWS / 2);
  }

  @Test
  void countsThatCannotGoDownAreClampedAtZeroOthersMayBeNegative() {
    LaplaceNoise noise = new LaplaceNoise(0.1, 1, new Random(99L));
    boolean sawZero = false;
    boolean sawNegative = false;
    for (int i = 0; i < 10_000; i++) {
      long clamped = noise.noisy(0, true);
      assertThat(clamped).isNotNegative();
      sawZero |= clamped == 0;
      sawNegative |= noise.noisy(0, false) < 0;
    }
    assertThat(sawZero).isTrue();
    assertThat(sawNegative).isTrue();
  }

  @Test
  void theSameSeedGivesTheSameNoise() {
    LaplaceNoise a = new LaplaceNoise(1, 1, new Random(5));
    LaplaceNoise b = new LaplaceNoise(1, 1, new Random(5));
    for (int i = 0; i < 100; i++) {
      assertThat(a.sample()).isEqualTo(b.sample());
    }
  }

  @Test
  void refusesNonsense() {
    for (double[] bad : new double[][] {{0, 1}, {-1, 1}, {1, 0}, {Double.NaN, 1}, {1, Double.POSITIVE_INFINITY}}) {
      assertThatThrownBy(() -> new LaplaceNoise(bad[0], bad[1], new Random())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> UsageReportOptions.builder().setNoise(bad[0], bad[1])).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
