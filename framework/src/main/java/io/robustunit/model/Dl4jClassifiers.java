package io.robustunit.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Adapts Deeplearning4j networks to {@link DifferentiableClassifier}. Every adapter is a snapshot: it copies
 * the network's parameters when it is created, so training the network afterwards does not change it.
 *
 * <p>A {@code MultiLayerNetwork} of dense layers with a softmax cross-entropy output layer (the classic
 * MLP) gets the dense kernel: pure Java, thread-safe, and several times faster than DL4J's own backprop
 * because it computes no weight gradients. Any other network gets DL4J's backprop on an inference-mode copy
 * (dropout and weight noise removed), with calls serialized because DL4J networks are not thread-safe.
 */
public final class Dl4jClassifiers {

    private Dl4jClassifiers() {
    }

    /**
     * @param network an initialized network whose last layer is a classifier output layer
     * @return the dense kernel when the network is a dense MLP, else DL4J's backprop
     */
    public static DifferentiableClassifier of(MultiLayerNetwork network) {
        if (network.params() != null && DenseKernelClassifier.unsupportedReason(network) == null) {
            return DenseKernelClassifier.compile(network, Runtime.getRuntime().availableProcessors());
        }
        return new MultiLayerClassifier(network, null, false);
    }

    /**
     * @param network an initialized network whose last layer is a classifier output layer
     * @param exampleShape the shape of one input example as the network expects it, e.g. {@code 1, 28, 28}
     * @return an adapter using DL4J's backprop
     */
    public static DifferentiableClassifier of(MultiLayerNetwork network, long... exampleShape) {
        return new MultiLayerClassifier(network, exampleShape, false);
    }

    /**
     * @param network an initialized network
     * @return an adapter that always uses DL4J's own backprop, even where the dense kernel applies
     */
    public static DifferentiableClassifier usingDl4jBackprop(MultiLayerNetwork network) {
        return new MultiLayerClassifier(network, null, false);
    }

    /**
     * @param graph an initialized graph with one input and one classifier output layer
     * @return an adapter using DL4J's backprop
     */
    public static DifferentiableClassifier of(ComputationGraph graph) {
        return new GraphClassifier(graph, null, false);
    }

    /**
     * @param graph an initialized graph with one input and one classifier output layer
     * @param exampleShape the shape of one input example as the graph expects it
     * @return an adapter using DL4J's backprop
     */
    public static DifferentiableClassifier of(ComputationGraph graph, long... exampleShape) {
        return new GraphClassifier(graph, exampleShape, false);
    }

    /**
     * @param model a {@code MultiLayerNetwork} or a {@code ComputationGraph}
     * @return the adapter {@link #of(MultiLayerNetwork)} or {@link #of(ComputationGraph)} gives
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
     * An adapter that is not a snapshot: it views the network's parameters and so follows it while it trains,
     * as adversarial training needs. It uses DL4J's backprop on an inference-mode copy and serializes calls.
     *
     * @param model an initialized {@code MultiLayerNetwork} or {@code ComputationGraph}
     * @return the following adapter
     */
    public static DifferentiableClassifier following(Model model) {
        if (model instanceof MultiLayerNetwork network) {
            return new MultiLayerClassifier(network, null, true);
        }
        if (model instanceof ComputationGraph graph) {
            return new GraphClassifier(graph, null, true);
        }
        throw new IllegalArgumentException("expected a MultiLayerNetwork or a ComputationGraph but got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /**
     * @param network a network
     * @return why the dense kernel does not apply to it, or {@code null} if it does
     */
    public static String denseKernelUnsupportedReason(MultiLayerNetwork network) {
        return network.params() == null ? "the network is not initialized" : DenseKernelClassifier.unsupportedReason(network);
    }
}
