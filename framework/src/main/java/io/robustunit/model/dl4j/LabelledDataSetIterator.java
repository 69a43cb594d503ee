package io.robustunit.model.dl4j;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.OptionalInt;

import org.apiguardian.api.API;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.data.LabelledDataset;
import io.robustunit.data.Minibatches;

/**
 * Feeds a {@link LabelledDataset} to DL4J's iterator-based {@code fit} in minibatches of {@code [batch, features]}
 * (or, for a network whose input type is convolutional, of the shape it declares, such as
 * {@code [batch, 1, 28, 28]}), reshuffled before every epoch by a seeded generator: epoch {@code k} of a given seed
 * always sees the same order.
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

    /**
     * Feeds minibatches in the shape {@code network} expects: the example shape is inferred from its input
     * type and the data's feature count, as {@link Dl4jClassifiers#of(Model)} does, so 784 pixels per example meet
     * a network declared with {@code InputType.convolutional(28, 28, 1)} as {@code [batch, 1, 28, 28]}.
     *
     * @param network the {@code MultiLayerNetwork} or {@code ComputationGraph} that will be fitted
     * @param data the examples
     * @param batchSize examples per minibatch
     * @param sparseLabels {@code true} for class-index labels, {@code false} for one-hot
     * @param seed the seed of the shuffles, done before every epoch
     * @throws IllegalArgumentException if the data's feature count does not fit the network's input
     */
    public LabelledDataSetIterator(Model network, LabelledDataset data, int batchSize, boolean sparseLabels,
                                   long seed) {
        super(Minibatches.shuffled(data, batchSize, seed), exampleShape(network, data), sparseLabels, true);
    }

    private static long[] exampleShape(Model network, LabelledDataset data) {
        OptionalInt features = OptionalInt.of(data.featureCount());
        if (network instanceof MultiLayerNetwork mln) {
            return InputShapes.resolve(mln.getLayerWiseConfigurations(), features).ndShape();
        }
        if (network instanceof ComputationGraph graph) {
            return InputShapes.resolve(graph.getConfiguration(), features).ndShape();
        }
        throw new IllegalArgumentException("expected a MultiLayerNetwork or a ComputationGraph but got "
                + (network == null ? "null" : network.getClass().getName()));
    }

    /** @return the number of minibatches per epoch */
    public int batchesPerEpoch() {
        return batches().batchesPerEpoch();
    }
}
