package io.robustunit.example.mnist;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import io.robustunit.data.LabelledDataset;
import io.robustunit.model.dl4j.LabelledDataSetIterator;

/** Trains the example's networks ({@link ReferenceMlp}, {@link ReferenceLenet}) on MNIST with DL4J. */
public final class MnistTraining {

    private MnistTraining() {
    }

    /** Called after every minibatch and every epoch of {@link #train}. */
    public interface Progress {

        /**
         * @param epoch the epoch, from 1
         * @param batch the minibatch within the epoch, from 1
         * @param batches minibatches per epoch
         */
        default void batchDone(int epoch, int batch, int batches) {
        }

        /**
         * @param epoch the epoch, from 1
         * @param meanLoss the mean minibatch loss over the epoch
         * @param seconds the epoch's wall time
         */
        void epochDone(int epoch, double meanLoss, double seconds);
    }

    /**
     * Trains with DL4J's iterator-based {@code fit}, one epoch at a time, reshuffling before each epoch. The
     * minibatches take the shape the network's input type declares: {@code [batch, 784]} for the MLP,
     * {@code [batch, 1, 28, 28]} for LeNet.
     *
     * @param network the network to train
     * @param train the training data
     * @param epochs the number of epochs
     * @param batchSize examples per minibatch
     * @param seed the seed of the shuffles
     * @param progress told about every minibatch and epoch
     */
    public static void train(MultiLayerNetwork network, LabelledDataset train, int epochs, int batchSize, long seed,
                             Progress progress) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1 but was " + epochs);
        }
        LabelledDataSetIterator iterator = new LabelledDataSetIterator(network, train, batchSize, true, seed);
        LossTracker tracker = new LossTracker(progress, iterator.batchesPerEpoch());
        network.addListeners(tracker);
        try {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                tracker.startEpoch(epoch);
                long start = System.nanoTime();
                network.fit(iterator);
                progress.epochDone(epoch, tracker.meanLoss(), (System.nanoTime() - start) / 1e9);
            }
        } finally {
            network.getListeners().remove(tracker);
        }
    }

    /** Averages the minibatch losses of an epoch and reports progress. */
    private static final class LossTracker extends BaseTrainingListener {

        private final Progress progress;
        private final int batches;
        private int epoch;
        private int batch;
        private double lossSum;

        LossTracker(Progress progress, int batches) {
            this.progress = progress;
            this.batches = batches;
        }

        void startEpoch(int newEpoch) {
            epoch = newEpoch;
            batch = 0;
            lossSum = 0;
        }

        double meanLoss() {
            return batch == 0 ? Double.NaN : lossSum / batch;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epochCount) {
            lossSum += model.score();
            batch++;
            progress.batchDone(epoch, batch, batches);
        }
    }
}
