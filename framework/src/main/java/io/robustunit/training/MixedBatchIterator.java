package io.robustunit.training;

import java.util.List;
import java.util.NoSuchElementException;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.attack.Attack;
import io.robustunit.data.LabelledDataset;
import io.robustunit.model.DifferentiableClassifier;

/**
 * Minibatches of Goodfellow et al.'s mixed objective: each holds {@code c} copies of the clean examples and
 * {@code a} copies of their adversarial versions, generated when the batch is requested from the network's
 * current parameters, with {@code c / (c + a) = α}. DL4J averages the loss over the rows of a minibatch, so
 * that mean is exactly {@code α·J(x, y) + (1 − α)·J(x_adv, y)}. (DL4J's label masks are not linear weights:
 * measured on M2.1, a mask of 2 scales the output layer's update by 4 and the hidden layers' by less, so they
 * cannot express α.) It is never prefetched asynchronously, which would attack stale parameters.
 */
final class MixedBatchIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    /** Makes the attack of one minibatch, so random starts differ between batches. */
    interface AttackSource {
        Attack forBatch(int epoch, int batch);
    }

    private final transient LabelledDataset data;
    private final transient DifferentiableClassifier live;
    private final transient AttackSource attacks;
    private final int batchSize;
    private final boolean sparseLabels;
    private final int cleanCopies;
    private final int adversarialCopies;
    private final long seed;
    private int epoch;
    private int batch;
    private int[] order;
    private int cursor;
    private transient BatchListener listener;

    /** Told before each minibatch is handed to DL4J. */
    interface BatchListener {
        void batchReady(int epoch, int batch, int batches);
    }

    MixedBatchIterator(LabelledDataset data, DifferentiableClassifier live, AttackSource attacks, int batchSize,
                       boolean sparseLabels, int cleanCopies, int adversarialCopies, long seed) {
        this.data = data;
        this.live = live;
        this.attacks = attacks;
        this.batchSize = batchSize;
        this.sparseLabels = sparseLabels;
        this.cleanCopies = cleanCopies;
        this.adversarialCopies = adversarialCopies;
        this.seed = seed;
        this.epoch = 0;
        startEpoch();
    }

    void setListener(BatchListener batchListener) {
        this.listener = batchListener;
    }

    int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    private void startEpoch() {
        epoch++;
        batch = 0;
        cursor = 0;
        order = Shuffles.permutation(data.size(), seed, epoch);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch finished");
        }
        int count = Math.min(num, order.length - cursor);
        int d = data.featureCount();
        float[] clean = new float[count * d];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int example = order[cursor + i];
            data.copyFeatures(example, 1, clean, i * d);
            labels[i] = data.label(example);
        }
        cursor += count;
        batch++;
        if (listener != null) {
            listener.batchReady(epoch, batch, batchesPerEpoch());
        }
        float[] adversarial = new float[count * d];
        if (adversarialCopies > 0) {
            attacks.forBatch(epoch, batch).generate(live, clean, labels, 0, count, adversarial);
        }
        int copies = cleanCopies + adversarialCopies;
        float[] rows = new float[copies * count * d];
        INDArray y = Nd4j.zeros(DataType.FLOAT, (long) copies * count, sparseLabels ? 1 : data.numClasses());
        for (int c = 0; c < copies; c++) {
            System.arraycopy(c < cleanCopies ? clean : adversarial, 0, rows, c * count * d, count * d);
            for (int i = 0; i < count; i++) {
                int row = c * count + i;
                if (sparseLabels) {
                    y.putScalar(row, 0, labels[i]);
                } else {
                    y.putScalar(row, labels[i], 1.0);
                }
            }
        }
        return new DataSet(Nd4j.create(rows, new long[] {(long) copies * count, d}, 'c'), y);
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
        return false;
    }

    @Override
    public void reset() {
        startEpoch();
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("adversarial minibatches are built from validated data as they are");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
