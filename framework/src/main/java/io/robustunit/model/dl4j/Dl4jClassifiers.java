package io.robustunit.model.dl4j;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.model.DifferentiableClassifier;

/**
 * Adapts Deeplearning4j networks to {@link DifferentiableClassifier}. Every adapter is a snapshot: it copies the
 * network's parameters when it is created, so training the network afterwards does not change it.
 *
 * <p>The network must be an initialized softmax classifier: its output layer has activation SOFTMAX and loss
 * MCXENT, SPARSE_MCXENT or NEGATIVELOGLIKELIHOOD. A {@code MultiLayerNetwork} of dense layers (the classic MLP)
 * gets the dense kernel: pure Java, thread-safe, and several times faster than DL4J's own backprop because it
 * computes no weight gradients. Any other network gets DL4J's backprop on an inference-mode copy (dropout and
 * weight noise removed), with calls serialized because DL4J networks are not thread-safe.
 */
@API(status = STABLE, since = "0.1")
public final class Dl4jClassifiers {

    private Dl4jClassifiers() {
    }

    /**
     * @param network an initialized softmax classifier
     * @return the dense kernel when the network is a dense MLP, else DL4J's backprop
     * @throws IllegalArgumentException if the network is not initialized or not a softmax classifier
     */
    public static DifferentiableClassifier of(MultiLayerNetwork network) {
        checkInitialized(network);
        OutputLayers.of(network.getLayerWiseConfigurations());
        if (DenseKernelClassifier.unsupportedReason(network) == null) {
            return DenseKernelClassifier.compile(network, Runtime.getRuntime().availableProcessors());
        }
        return new MultiLayerClassifier(network, null, false);
    }

    /**
     * @param network an initialized softmax classifier
     * @param exampleShape the shape of one input example as the network takes it, e.g. {@code 1, 28, 28} for
     *        a convolutional network declared with {@code InputType.convolutional(28, 28, 1)}; the data's
     *        features are one example's values in that shape's row-major order
     * @return an adapter using DL4J's backprop
     * @throws IllegalArgumentException if the network is not initialized or not a softmax classifier
     */
    public static DifferentiableClassifier of(MultiLayerNetwork network, long... exampleShape) {
        checkInitialized(network);
        return new MultiLayerClassifier(network, exampleShape, false);
    }

    /**
     * @param network an initialized softmax classifier
     * @return an adapter that always uses DL4J's own backprop, even where the dense kernel applies
     * @throws IllegalArgumentException if the network is not initialized or not a softmax classifier
     */
    public static DifferentiableClassifier usingDl4jBackprop(MultiLayerNetwork network) {
        checkInitialized(network);
        return new MultiLayerClassifier(network, null, false);
    }

    /**
     * @param graph an initialized graph with one input and one softmax classifier output
     * @return an adapter using DL4J's backprop
     * @throws IllegalArgumentException if the graph is not initialized or not a softmax classifier
     */
    public static DifferentiableClassifier of(ComputationGraph graph) {
        checkInitialized(graph);
        return new GraphClassifier(graph, null, false);
    }

    /**
     * @param graph an initialized graph with one input and one softmax classifier output
     * @param exampleShape the shape of one input example as the graph takes it
     * @return an adapter using DL4J's backprop
     * @throws IllegalArgumentException if the graph is not initialized or not a softmax classifier
     */
    public static DifferentiableClassifier of(ComputationGraph graph, long... exampleShape) {
        checkInitialized(graph);
        return new GraphClassifier(graph, exampleShape, false);
    }

    /**
     * @param model a {@code MultiLayerNetwork} or a {@code ComputationGraph}
     * @return the adapter {@link #of(MultiLayerNetwork)} or {@link #of(ComputationGraph)} gives
     * @throws IllegalArgumentException if the model is neither, not initialized, or not a softmax classifier
     */
    public static DifferentiableClassifier of(Model model) {
        if (model instanceof MultiLayerNetwork network) {
            return of(network);
        }
        if (model instanceof ComputationGraph graph) {
            return of(graph);
        }
        throw new IllegalArgumentException("expected a MultiLayerNetwork or a ComputationGraph but got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /**
     * An adapter that is not a snapshot: it views the network's parameters and so follows it while it trains, as
     * adversarial training needs. It uses DL4J's backprop on an inference-mode copy and serializes calls.
     */
    static DifferentiableClassifier following(Model model) {
        checkInitialized(model);
        if (model instanceof MultiLayerNetwork network) {
            return new MultiLayerClassifier(network, null, true);
        }
        return new GraphClassifier((ComputationGraph) model, null, true);
    }

    /**
     * @param network a network
     * @return why the dense kernel does not apply to it, or {@code null} if it does
     */
    public static String denseKernelUnsupportedReason(MultiLayerNetwork network) {
        return network.params() == null ? "the network is not initialized" : DenseKernelClassifier.unsupportedReason(network);
    }

    static void checkInitialized(Model model) {
        boolean initialized = model instanceof MultiLayerNetwork network ? network.getLayers() != null
                : model instanceof ComputationGraph graph ? graph.getVertices() != null : model.params() != null;
        if (!initialized || model.params() == null) {
            throw new IllegalArgumentException("the " + model.getClass().getSimpleName()
                    + " is not initialized: call init() before attacking it");
        }
    }
}
