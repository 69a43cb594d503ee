package io.robustunit.model.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Finds a network's output layer and checks that the network is a softmax classifier: its outputs are a
 * probability distribution over the classes and its loss is their cross-entropy, so that accuracy, confidence and
 * the attacks' loss mean what they say.
 */
final class OutputLayers {

    static final String RULE = "RobustUnit attacks softmax classifiers: the output layer needs activation SOFTMAX "
            + "with loss MCXENT, SPARSE_MCXENT or NEGATIVELOGLIKELIHOOD (a softmax DenseLayer without a loss, as "
            + "DL4J's Keras importer makes it, is taken as softmax with cross-entropy)";

    private OutputLayers() {
    }

    /**
     * @return the output layer of a {@code MultiLayerNetwork} classifier; for a softmax head without a loss, the
     *         output layer {@link SoftmaxHeads} makes of it
     */
    static BaseOutputLayer of(MultiLayerConfiguration network) {
        MultiLayerConfiguration conf = SoftmaxHeads.withLoss(network);
        int last = conf.getConfs().size() - 1;
        return check(conf.getConf(last).getLayer(), "layer " + last);
    }

    /** @return the output layer of a single-output {@code ComputationGraph} classifier, as for a network */
    static BaseOutputLayer of(ComputationGraphConfiguration graph) {
        ComputationGraphConfiguration conf = SoftmaxHeads.withLoss(graph);
        String name = conf.getNetworkOutputs().get(0);
        GraphVertex vertex = conf.getVertices().get(name);
        if (!(vertex instanceof LayerVertex layer)) {
            throw new IllegalArgumentException("output vertex '" + name + "' is a " + vertex.getClass().getSimpleName()
                    + ", not a layer; " + RULE);
        }
        return check(layer.getLayerConf().getLayer(), "output vertex '" + name + "'");
    }

    private static BaseOutputLayer check(Layer layer, String where) {
        String name = where + " (" + layer.getClass().getSimpleName() + ")";
        if (!(layer instanceof BaseOutputLayer output)) {
            throw new IllegalArgumentException(name + " is not an output layer with a loss function; " + RULE);
        }
        IActivation activation = ((BaseLayer) layer).getActivationFn();
        ILossFunction loss = output.getLossFn();
        if (!(activation instanceof ActivationSoftmax) || !(loss instanceof LossMCXENT)) {
            throw new IllegalArgumentException(name + " has activation " + activation + " and loss " + loss + "; "
                    + RULE);
        }
        return output;
    }
}
