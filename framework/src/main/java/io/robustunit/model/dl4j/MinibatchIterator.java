package io.robustunit.model.dl4j;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.data.Minibatch;
import io.robustunit.data.Minibatches;

/**
 * Feeds {@link Minibatches} to DL4J's iterator-based {@code fit}: features shaped as the network expects one
 * example, labels as class indices {@code [rows, 1]} for sparse cross-entropy or one-hot {@code [rows, classes]}.
 */
class MinibatchIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final transient Minibatches batches;
    private final long[] exampleShape;
    private final boolean sparseLabels;
    private final boolean async;
    private transient DataSetPreProcessor preProcessor;

    /**
     * @param exampleShape the shape of one example as the network takes it
     * @param async whether DL4J may prefetch minibatches on another thread; never for minibatches made from the
     *        network's current parameters
     */
    MinibatchIterator(Minibatches batches, long[] exampleShape, boolean sparseLabels, boolean async) {
        this.batches = batches;
        this.exampleShape = exampleShape.clone();
        this.sparseLabels = sparseLabels;
        this.async = async;
    }

    @Override
    public DataSet next(int num) {
        if (num != batches.batchSize()) {
            throw new UnsupportedOperationException("minibatches are " + batches.batchSize() + " examples, not " + num);
        }
        return next();
    }

    @Override
    public DataSet next() {
        Minibatch batch = batches.next();
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = batch.size();
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        DataSet out = new DataSet(Nd4j.create(batch.features(), shape, 'c'), labels(batch.labels()));
        if (preProcessor != null) {
            preProcessor.preProcess(out);
        }
        return out;
    }

    private INDArray labels(int[] labels) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, labels.length, sparseLabels ? 1 : batches.numClasses());
        for (int row = 0; row < labels.length; row++) {
            if (sparseLabels) {
                y.putScalar(row, 0, labels[row]);
            } else {
                y.putScalar(row, labels[row], 1.0);
            }
        }
        return y;
    }

    /** @return the source of the minibatches */
    final Minibatches batches() {
        return batches;
    }

    @Override
    public boolean hasNext() {
        return batches.hasNext();
    }

    /** Starts the next epoch. */
    @Override
    public void reset() {
        batches.reset();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return async;
    }

    @Override
    public int inputColumns() {
        return batches.featureCount();
    }

    @Override
    public int totalOutcomes() {
        return batches.numClasses();
    }

    @Override
    public int batch() {
        return batches.batchSize();
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
