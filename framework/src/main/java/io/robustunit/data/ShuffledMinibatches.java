package io.robustunit.data;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Minibatches of a dataset, in an order drawn by a seeded generator before every epoch, or in the data's order. */
final class ShuffledMinibatches implements Minibatches {

    private final LabelledDataset data;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private int epoch;
    private int[] order;
    private int cursor;

    ShuffledMinibatches(LabelledDataset data, int batchSize, long seed, boolean shuffle) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        order();
    }

    private void order() {
        order = shuffle ? permutation(data.size(), seed, epoch) : IntStream.range(0, data.size()).toArray();
        cursor = 0;
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

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public Minibatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is finished");
        }
        int count = Math.min(batchSize, order.length - cursor);
        int[] rows = Arrays.copyOfRange(order, cursor, cursor + count);
        cursor += count;
        int d = data.featureCount();
        float[] x = new float[count * d];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            data.copyFeatures(rows[i], 1, x, i * d);
            y[i] = data.label(rows[i]);
        }
        return new Minibatch(x, y);
    }

    @Override
    public void reset() {
        epoch++;
        order();
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public int featureCount() {
        return data.featureCount();
    }

    @Override
    public int numClasses() {
        return data.numClasses();
    }
}
