package io.robustunit.training;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Seeded per-epoch orders of a dataset's examples. */
final class Shuffles {

    private Shuffles() {
    }

    /** @return a Fisher–Yates permutation of {@code [0, n)}, the same for the same seed and epoch */
    static int[] permutation(int n, long seed, int epoch) {
        int[] p = IntStream.range(0, n).toArray();
        SplittableRandom random = new SplittableRandom(seed * 31 + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
