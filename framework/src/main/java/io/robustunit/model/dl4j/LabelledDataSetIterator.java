package io.robustunit.model.dl4j;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

import io.robustunit.data.LabelledDataset;
import io.robustunit.data.Minibatches;

/**
 * Feeds a {@link LabelledDataset} to DL4J's iterator-based {@code fit} in minibatches of {@code [batch, features]},
 * reshuffled before every epoch by a seeded generator: epoch {@code k} of a given seed always sees the same order.
 * Labels are class indices {@code [batch, 1]} for sparse cross-entropy, or one-hot {@code [batch, classes]}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LabelledDataSetIterator extends MinibatchIterator {

    private static final long serialVersionUID = 1L;

    /**
     * @param data the examples
     * @param batchSize examples per minibatch
     * @param sparseLabels {@code true} for class-index labels, {@code false} for one-hot
     * @param shuffle whether to reshuffle before every epoch
     * @param seed the seed of the shuffles
     */
    public LabelledDataSetIterator(LabelledDataset data, int batchSize, boolean sparseLabels, boolean shuffle,
                                   long seed) {
        super(shuffle ? Minibatches.shuffled(data, batchSize, seed) : Minibatches.inOrder(data, batchSize),
                new long[] {data.featureCount()}, sparseLabels, true);
    }

    /** @return the number of minibatches per epoch */
    public int batchesPerEpoch() {
        return batches().batchesPerEpoch();
    }
}
