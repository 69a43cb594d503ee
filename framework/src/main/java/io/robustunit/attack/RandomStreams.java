package io.robustunit.attack;

import java.util.SplittableRandom;

/**
 * Random streams that depend only on the attack's seed, the example's row and which run of the attack draws from
 * them (a restart, a target class). An example is therefore attacked alike whatever else is in its batch, and an
 * ensemble that runs an attack on a subset of the rows gets the same draws as the attack run alone.
 */
final class RandomStreams {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private RandomStreams() {
    }

    /**
     * @param seed the attack's seed
     * @param row the example's row in the attacked array
     * @param run which run of the attack draws, e.g. the restart
     * @return a generator for that example and run
     */
    static SplittableRandom of(long seed, int row, int run) {
        return new SplittableRandom(mix(mix(seed + GOLDEN * (row + 1L)) + GOLDEN * (run + 1L)));
    }

    /** The finalizer of SplitMix64: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return a standard normal draw (Box–Muller) */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
