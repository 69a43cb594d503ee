package io.robustunit.training;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.data.LabelledDataset;

/**
 * What RobustUnit's DL4J iterators share: minibatches of a {@link LabelledDataset} in an order drawn by a
 * seeded generator before every epoch, and labels in the format the output layer's loss expects.
 */
abstract class ShuffledIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    final transient LabelledDataset data;
    final int batchSize;
    private final boolean sparseLabels;
    private final boolean shuffle;
    private final long seed;
    private int epoch;
    private int[] order;
    private int cursor;

    /**
     * @param firstEpoch the number of the first epoch, which with the seed determines each epoch's order
     */
    ShuffledIterator(LabelledDataset data, int batchSize, boolean sparseLabels, boolean shuffle, long seed,
                     int firstEpoch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.sparseLabels = sparseLabels;
        this.shuffle = shuffle;
        this.seed = seed;
        this.epoch = firstEpoch;
        order();
    }

    private void order() {
        order = shuffle ? Shuffles.permutation(data.size(), seed, epoch) : IntStream.range(0, data.size()).toArray();
        cursor = 0;
    }

    /** @return the current epoch's number */
    final int epoch() {
        return epoch;
    }

    /** @return the indices of the next {@code num} examples of this epoch, or fewer at its end */
    final int[] take(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch finished");
        }
        int count = Math.min(num, order.length - cursor);
        int[] rows = Arrays.copyOfRange(order, cursor, cursor + count);
        cursor += count;
        return rows;
    }

    /** @return the labels of {@code examples}, repeated {@code copies} times, as class indices or one-hot rows */
    final INDArray labels(int[] examples, int copies) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, (long) copies * examples.length, sparseLabels ? 1 : data.numClasses());
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < examples.length; i++) {
                int row = c * examples.length + i;
                int label = data.label(examples[i]);
                if (sparseLabels) {
                    y.putScalar(row, 0, label);
                } else {
                    y.putScalar(row, label, 1.0);
                }
            }
        }
        return y;
    }

    /** @return the number of minibatches per epoch */
    public final int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public final DataSet next() {
        return next(batchSize);
    }

    @Override
    public final boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public final int inputColumns() {
        return data.featureCount();
    }

    @Override
    public final int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public final boolean resetSupported() {
        return true;
    }

    /** Starts the next epoch, in a new order when shuffling. */
    @Override
    public final void reset() {
        epoch++;
        order();
    }

    @Override
    public final int batch() {
        return batchSize;
    }

    @Override
    public final List<String> getLabels() {
        return null;
    }
}
