package dev.fugu.cli;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean and two-sided 95% confidence interval of a small sample (Student t with n-1 degrees of
 * freedom: seeds are few, so the normal approximation would be too narrow). One sample, or
 * samples all equal, give a zero-width interval.
 *
 * @param n samples
 * @param mean sample mean
 * @param low lower bound of the interval
 * @param high upper bound of the interval
 */
record ConfidenceInterval(int n, double mean, double low, double high)
{
    static final double LEVEL = 0.95;

    ConfidenceInterval
    {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        if (!(low <= mean && mean <= high)) {
            throw new IllegalArgumentException("interval [" + low + ", " + high + "] does not hold the mean " + mean);
        }
    }

    static ConfidenceInterval of(double[] samples)
    {
        int n = samples.length;
        if (n == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double sum = 0;
        for (double x : samples) {
            sum += x;
        }
        double mean = sum / n;
        if (n == 1) {
            return new ConfidenceInterval(1, mean, mean, mean);
        }
        double squares = 0;
        for (double x : samples) {
            squares += (x - mean) * (x - mean);
        }
        double stddev = Math.sqrt(squares / (n - 1));
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
        double half = t * stddev / Math.sqrt(n);
        // rounding must not put the mean outside its own interval
        return new ConfidenceInterval(n, mean, Math.min(mean, mean - half), Math.max(mean, mean + half));
    }

    double halfWidth()
    {
        return (high - low) / 2;
    }
}
