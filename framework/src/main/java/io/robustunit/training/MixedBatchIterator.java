package io.robustunit.training;


import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
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
final class MixedBatchIterator extends ShuffledIterator {

    private static final long serialVersionUID = 1L;

    /** Makes the attack of one minibatch, so random starts differ between batches. */
    interface AttackSource {
        Attack forBatch(int epoch, int batch);
    }

    /** Told before each minibatch is handed to DL4J. */
    interface BatchListener {
        void batchReady(int epoch, int batch, int batches);
    }

    private final transient DifferentiableClassifier live;
    private final transient AttackSource attacks;
    private final int cleanCopies;
    private final int adversarialCopies;
    private int batch;
    private int batchEpoch;
    private transient BatchListener listener;

    MixedBatchIterator(LabelledDataset data, DifferentiableClassifier live, AttackSource attacks, int batchSize,
                       boolean sparseLabels, int cleanCopies, int adversarialCopies, long seed) {
        super(data, batchSize, sparseLabels, true, seed, 1);
        this.live = live;
        this.attacks = attacks;
        this.cleanCopies = cleanCopies;
        this.adversarialCopies = adversarialCopies;
    }

    void setListener(BatchListener batchListener) {
        this.listener = batchListener;
    }

    @Override
    public DataSet next(int num) {
        int[] examples = take(num);
        if (batchEpoch != epoch()) {
            batchEpoch = epoch();
            batch = 0;
        }
        batch++;
        int count = examples.length;
        int d = data.featureCount();
        float[] clean = new float[count * d];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            data.copyFeatures(examples[i], 1, clean, i * d);
            labels[i] = data.label(examples[i]);
        }
        if (listener != null) {
            listener.batchReady(epoch(), batch, batchesPerEpoch());
        }
        float[] adversarial = new float[count * d];
        if (adversarialCopies > 0) {
            attacks.forBatch(epoch(), batch).generate(live, clean, labels, 0, count, adversarial);
        }
        int copies = cleanCopies + adversarialCopies;
        float[] rows = new float[copies * count * d];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(c < cleanCopies ? clean : adversarial, 0, rows, c * count * d, count * d);
        }
        return new DataSet(Nd4j.create(rows, new long[] {(long) copies * count, d}, 'c'), labels(examples, copies));
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("adversarial minibatches are built from validated data as they are");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }
}
