package io.robustunit.metrics;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Arrays;

import org.apiguardian.api.API;

/** Counts of (true class, predicted class) pairs. */
@API(status = STABLE, since = "0.1")
public final class ConfusionMatrix {

    private final long[][] counts;

    ConfusionMatrix(int[] actual, int[] predicted, int numClasses) {
        counts = new long[numClasses][numClasses];
        for (int i = 0; i < actual.length; i++) {
            counts[actual[i]][predicted[i]]++;
        }
    }

    /** @return the number of classes */
    public int numClasses() {
        return counts.length;
    }

    /**
     * @param actual the true class
     * @param predicted the predicted class
     * @return how many examples of {@code actual} were predicted as {@code predicted}
     */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** @return a copy of the counts, {@code [actual][predicted]} */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** @return an aligned text table, true classes as rows and predictions as columns */
    public String toTable() {
        int width = 5;
        for (long[] row : counts) {
            for (long c : row) {
                width = Math.max(width, String.valueOf(c).length() + 1);
            }
        }
        StringBuilder out = new StringBuilder(String.format("%-10s", "true\\pred"));
        for (int k = 0; k < counts.length; k++) {
            out.append(String.format("%" + width + "d", k));
        }
        out.append('\n');
        for (int c = 0; c < counts.length; c++) {
            out.append(String.format("%-10d", c));
            for (long v : counts[c]) {
                out.append(String.format("%" + width + "d", v));
            }
            out.append('\n');
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix other && Arrays.deepEquals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return toTable();
    }
}
