package io.robustunit.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Largest-remainder allocation of a sample size over classes, proportional to their counts. */
final class StratifiedQuota {

    private StratifiedQuota() {
    }

    static int[] allocate(int[] classCounts, int n) {
        long total = Arrays.stream(classCounts).asLongStream().sum();
        int[] quota = new int[classCounts.length];
        double[] remainder = new double[classCounts.length];
        int assigned = 0;
        for (int c = 0; c < classCounts.length; c++) {
            double exact = (double) n * classCounts[c] / total;
            quota[c] = (int) Math.floor(exact);
            remainder[c] = exact - quota[c];
            assigned += quota[c];
        }
        Integer[] order = IntStream.range(0, classCounts.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> -remainder[c]).thenComparingInt(c -> c))
                .toArray(Integer[]::new);
        for (int k = 0; assigned < n; k++) {
            int c = order[k % order.length];
            if (quota[c] < classCounts[c]) {
                quota[c]++;
                assigned++;
            }
        }
        return quota;
    }
}
