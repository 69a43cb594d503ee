package io.robustunit.data;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The minibatches of one training epoch after another: a source of {@link Minibatch}es that a network's training
 * loop consumes until {@link #hasNext()} is false, then {@link #reset() resets} for the next epoch.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Minibatches {

    /** @return whether the current epoch has another minibatch */
    boolean hasNext();

    /**
     * @return the next minibatch of the current epoch
     * @throws java.util.NoSuchElementException if the epoch is finished
     */
    Minibatch next();

    /** Starts the next epoch. */
    void reset();

    /** @return the number of the current epoch; its meaning (from 0 or 1) is the source's */
    int epoch();

    /** @return the number of minibatches per epoch */
    int batchesPerEpoch();

    /** @return examples per minibatch, the last of an epoch possibly excepted */
    int batchSize();

    /** @return features per example */
    int featureCount();

    /** @return the number of classes */
    int numClasses();

    /**
     * @param data the examples
     * @param batchSize examples per minibatch, at least 1
     * @param seed the seed of the order: epoch {@code k} of a seed always sees the same order
     * @return minibatches of {@code data} in an order reshuffled before every epoch, numbered from 0
     */
    static Minibatches shuffled(LabelledDataset data, int batchSize, long seed) {
        return new ShuffledMinibatches(data, batchSize, seed, true);
    }

    /**
     * @param data the examples
     * @param batchSize examples per minibatch, at least 1
     * @return minibatches of {@code data} in its own order, every epoch
     */
    static Minibatches inOrder(LabelledDataset data, int batchSize) {
        return new ShuffledMinibatches(data, batchSize, 0, false);
    }
}
