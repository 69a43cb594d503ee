package io.robustunit.training;

import io.robustunit.attack.Attack;
import io.robustunit.data.LabelledDataset;
import io.robustunit.data.Minibatch;
import io.robustunit.data.Minibatches;
import io.robustunit.model.DifferentiableClassifier;

/**
 * Minibatches of Goodfellow et al.'s mixed objective: each holds {@code c} copies of the clean examples and
 * {@code a} copies of their adversarial versions, generated when the batch is requested from the network's
 * current parameters, with {@code c / (c + a) = α}. Networks average the loss over the rows of a minibatch, so
 * that mean is exactly {@code α·J(x, y) + (1 − α)·J(x_adv, y)}. (DL4J's label masks are not linear weights:
 * measured on M2.1, a mask of 2 scales the output layer's update by 4 and the hidden layers' by less, so they
 * cannot express α.) Epochs are numbered from 1, as the trainer's reports are.
 */
final class MixedMinibatches implements Minibatches {

    /** Makes the attack of one minibatch, so random starts differ between batches. */
    interface AttackSource {
        Attack forBatch(int epoch, int batch);
    }

    /** Told before each minibatch is handed to the network. */
    interface BatchListener {
        void batchReady(int epoch, int batch, int batches);
    }

    private final Minibatches clean;
    private final DifferentiableClassifier live;
    private final AttackSource attacks;
    private final int cleanCopies;
    private final int adversarialCopies;
    private final BatchListener listener;
    private int batch;
    private int batchEpoch;

    MixedMinibatches(LabelledDataset data, DifferentiableClassifier live, AttackSource attacks, int batchSize,
                     int cleanCopies, int adversarialCopies, long seed, BatchListener listener) {
        this.clean = Minibatches.shuffled(data, batchSize, seed);
        this.clean.reset();
        this.live = live;
        this.attacks = attacks;
        this.cleanCopies = cleanCopies;
        this.adversarialCopies = adversarialCopies;
        this.listener = listener;
    }

    @Override
    public Minibatch next() {
        Minibatch batchOfClean = clean.next();
        if (batchEpoch != epoch()) {
            batchEpoch = epoch();
            batch = 0;
        }
        batch++;
        int count = batchOfClean.size();
        float[] x = batchOfClean.features();
        int[] labels = batchOfClean.labels();
        listener.batchReady(epoch(), batch, batchesPerEpoch());
        float[] adversarial = new float[x.length];
        if (adversarialCopies > 0) {
            attacks.forBatch(epoch(), batch).generate(live, x, labels, 0, count, adversarial);
        }
        int copies = cleanCopies + adversarialCopies;
        float[] rows = new float[copies * x.length];
        int[] rowLabels = new int[copies * count];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(c < cleanCopies ? x : adversarial, 0, rows, c * x.length, x.length);
            System.arraycopy(labels, 0, rowLabels, c * count, count);
        }
        return new Minibatch(rows, rowLabels);
    }

    @Override
    public boolean hasNext() {
        return clean.hasNext();
    }

    @Override
    public void reset() {
        clean.reset();
    }

    @Override
    public int epoch() {
        return clean.epoch();
    }

    @Override
    public int batchesPerEpoch() {
        return clean.batchesPerEpoch();
    }

    /** @return clean examples per minibatch; each minibatch holds {@code copies} times as many rows */
    @Override
    public int batchSize() {
        return clean.batchSize();
    }

    @Override
    public int featureCount() {
        return clean.featureCount();
    }

    @Override
    public int numClasses() {
        return clean.numClasses();
    }
}
