package dev.chil.node.failure;

/**
 * The complementary error function, by the Chebyshev fit of Numerical Recipes (2nd ed., 6.2,
 * "erfcc"): fractional error below 1.2e-7 everywhere, including far in the tail, which is where
 * phi is read. Computing 1 - erf(x) instead would cancel to zero there.
 */
final class Erfc {
  private Erfc() {}

  static double of(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double polynomial = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277))))))));
    double result = t * Math.exp(polynomial);
    return x >= 0 ? result : 2.0 - result;
  }
}
