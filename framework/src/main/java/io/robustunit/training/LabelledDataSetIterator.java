package io.robustunit.training;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.data.LabelledDataset;

/**
 * Feeds a {@link LabelledDataset} to DL4J's iterator-based {@code fit}, in minibatches, reshuffled before
 * every epoch by a seeded generator: epoch {@code k} of a given seed always sees the same order. Labels are
 * class indices {@code [batch, 1]} for sparse cross-entropy, or one-hot {@code [batch, classes]}.
 */
public final class LabelledDataSetIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final transient LabelledDataset data;
    private final int batchSize;
    private final boolean sparseLabels;
    private final long seed;
    private final boolean shuffle;
    private int epoch;
    private int[] order;
    private int cursor;
    private transient DataSetPreProcessor preProcessor;

    /**
     * @param data the examples
     * @param batchSize examples per minibatch
     * @param sparseLabels {@code true} for class-index labels, {@code false} for one-hot
     * @param shuffle whether to reshuffle before every epoch
     * @param seed the seed of the shuffles
     */
    public LabelledDataSetIterator(LabelledDataset data, int batchSize, boolean sparseLabels, boolean shuffle,
                                   long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.sparseLabels = sparseLabels;
        this.shuffle = shuffle;
        this.seed = seed;
        reset();
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch finished");
        }
        int count = Math.min(num, order.length - cursor);
        int d = data.featureCount();
        float[] x = new float[count * d];
        INDArray labels = Nd4j.zeros(DataType.FLOAT, count, sparseLabels ? 1 : data.numClasses());
        for (int i = 0; i < count; i++) {
            int example = order[cursor + i];
            data.copyFeatures(example, 1, x, i * d);
            if (sparseLabels) {
                labels.putScalar(i, 0, data.label(example));
            } else {
                labels.putScalar(i, data.label(example), 1.0);
            }
        }
        cursor += count;
        DataSet batch = new DataSet(Nd4j.create(x, new long[] {count, d}, 'c'), labels);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public int inputColumns() {
        return data.featureCount();
    }

    @Override
    public int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /** Starts the next epoch, in a new order when shuffling. */
    @Override
    public void reset() {
        order = shuffle ? Shuffles.permutation(data.size(), seed, epoch++) : IntStream.range(0, data.size()).toArray();
        cursor = 0;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    /** @return the number of minibatches per epoch */
    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor dataSetPreProcessor) {
        this.preProcessor = dataSetPreProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
