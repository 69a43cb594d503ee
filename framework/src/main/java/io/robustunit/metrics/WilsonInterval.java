package io.robustunit.metrics;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The Wilson score interval for a binomial proportion: where the true accuracy plausibly lies given
 * {@code successes} out of {@code trials}. Unlike the normal approximation it stays inside {@code [0, 1]}
 * and behaves at 0% and 100%, which matters for small samples.
 *
 * @param lower the lower bound
 * @param upper the upper bound
 */
@API(status = STABLE, since = "0.1")
public record WilsonInterval(double lower, double upper) {

    /** The z-score of a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    /**
     * @param successes the number of successes
     * @param trials the number of trials, at least 1
     * @return the 95% interval
     */
    public static WilsonInterval of95(long successes, long trials) {
        return of(successes, trials, Z95);
    }

    /**
     * @param successes the number of successes, in {@code [0, trials]}
     * @param trials the number of trials, at least 1
     * @param z the z-score of the confidence level
     * @return the interval
     */
    public static WilsonInterval of(long successes, long trials, double z) {
        if (trials < 1 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials and trials >= 1 but got "
                    + successes + " of " + trials);
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        double lower = successes == 0 ? 0 : Math.max(0, centre - half);
        double upper = successes == trials ? 1 : Math.min(1, centre + half);
        return new WilsonInterval(lower, upper);
    }
}
