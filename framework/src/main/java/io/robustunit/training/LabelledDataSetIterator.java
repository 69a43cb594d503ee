package io.robustunit.training;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.data.LabelledDataset;

/**
 * Feeds a {@link LabelledDataset} to DL4J's iterator-based {@code fit}, in minibatches, reshuffled before
 * every epoch by a seeded generator: epoch {@code k} of a given seed always sees the same order. Labels are
 * class indices {@code [batch, 1]} for sparse cross-entropy, or one-hot {@code [batch, classes]}.
 */
public final class LabelledDataSetIterator extends ShuffledIterator {

    private static final long serialVersionUID = 1L;

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
        super(data, batchSize, sparseLabels, shuffle, seed, 0);
    }

    @Override
    public DataSet next(int num) {
        int[] rows = take(num);
        int d = data.featureCount();
        float[] x = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            data.copyFeatures(rows[i], 1, x, i * d);
        }
        DataSet batch = new DataSet(Nd4j.create(x, new long[] {rows.length, d}, 'c'), labels(rows, 1));
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor dataSetPreProcessor) {
        this.preProcessor = dataSetPreProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }
}
