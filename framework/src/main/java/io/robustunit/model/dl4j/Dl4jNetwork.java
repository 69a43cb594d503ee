package io.robustunit.model.dl4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import io.robustunit.data.Minibatches;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.TrainableNetwork;

/** A DL4J network as a {@link TrainableNetwork}: DL4J's iterator-based {@code fit} with the network's own updater. */
final class Dl4jNetwork implements TrainableNetwork {

    private final Model model;
    private final boolean owned;

    /**
     * @param owned whether closing this closes the network, as for copies made here
     */
    Dl4jNetwork(Model model, boolean owned) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("expected a MultiLayerNetwork or a ComputationGraph but got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        Dl4jClassifiers.checkInitialized(model);
        this.model = model;
        this.owned = owned;
    }

    @Override
    public DifferentiableClassifier classifier() {
        return Dl4jClassifiers.of(model, OptionalInt.empty(), false);
    }

    @Override
    public DifferentiableClassifier classifier(int featuresPerExample) {
        return Dl4jClassifiers.of(model, OptionalInt.of(featuresPerExample), false);
    }

    @Override
    public DifferentiableClassifier liveClassifier(int featuresPerExample) {
        return Dl4jClassifiers.of(model, OptionalInt.of(featuresPerExample), true);
    }

    @Override
    public TrainableNetwork copy() {
        Model clone = model instanceof MultiLayerNetwork network ? network.clone() : ((ComputationGraph) model).clone();
        return new Dl4jNetwork(clone, true);
    }

    @Override
    public double fitEpoch(Minibatches batches) {
        if (SoftmaxHeads.hasLosslessHead(model)) {
            throw new IllegalArgumentException("the " + model.getClass().getSimpleName() + " ends in a softmax layer "
                    + "without a loss function, as DL4J's Keras importer makes it, so DL4J cannot train it in place; "
                    + "load the Keras file with Dl4jModels.load, which gives it its cross-entropy loss");
        }
        ExampleShape shape = model instanceof MultiLayerNetwork network
                ? InputShapes.resolve(network.getLayerWiseConfigurations(), OptionalInt.of(batches.featureCount()))
                : InputShapes.resolve(((ComputationGraph) model).getConfiguration(),
                OptionalInt.of(batches.featureCount()));
        if (model instanceof MultiLayerNetwork network) {
            DenseFit fit = DenseFit.of(network);
            if (fit != null) {
                return fit.fitEpoch(batches);
            }
        }
        MinibatchIterator iterator = new MinibatchIterator(batches, shape.ndShape(), sparseLabels(), false);
        LossListener losses = new LossListener();
        model.addListeners(losses);
        try {
            if (model instanceof MultiLayerNetwork network) {
                network.fit(iterator);
            } else {
                ((ComputationGraph) model).fit(iterator);
            }
        } finally {
            (model instanceof MultiLayerNetwork network ? network.getListeners()
                    : ((ComputationGraph) model).getListeners()).remove(losses);
        }
        return losses.mean();
    }

    private boolean sparseLabels() {
        Layer output;
        if (model instanceof MultiLayerNetwork network) {
            output = network.getLayerWiseConfigurations().getConf(network.getnLayers() - 1).getLayer();
        } else {
            ComputationGraph graph = (ComputationGraph) model;
            output = graph.getLayer(graph.getConfiguration().getNetworkOutputs().get(0)).conf().getLayer();
        }
        return output instanceof BaseOutputLayer out && out.getLossFn() instanceof LossSparseMCXENT;
    }

    @Override
    public void save(Path file) throws IOException {
        Dl4jModels.save(model, file, false);
    }

    @Override
    public String parameterDigest() {
        return Dl4jModels.parameterDigest(model);
    }

    @Override
    public String description() {
        return Dl4jModels.describe(model);
    }

    @Override
    public void close() {
        if (owned) {
            model.close();
        }
    }

    /** Averages the minibatch losses of an epoch. */
    private static final class LossListener extends BaseTrainingListener {
        private double sum;
        private int count;

        double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            sum += model.score();
            count++;
        }
    }
}
