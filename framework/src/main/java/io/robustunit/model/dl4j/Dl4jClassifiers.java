package io.robustunit.model.dl4j;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.OptionalInt;

import org.apiguardian.api.API;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.kernel.KernelGraph;

/**
 * Adapts Deeplearning4j networks to {@link DifferentiableClassifier}. Every adapter is a snapshot: it copies the
 * network's parameters when it is created, so training the network afterwards does not change it.
 *
 * <p>The network must be an initialized softmax classifier: its output layer has activation SOFTMAX and loss
 * MCXENT, SPARSE_MCXENT or NEGATIVELOGLIKELIHOOD. Networks made of the layers RobustUnit's kernels evaluate (dense,
 * convolution, pooling, global pooling, zero padding, batch normalization with its running statistics, dropout,
 * activation layers, residual additions and merges) get the kernels: pure Java, float32, thread-safe, computing
 * only the forward pass and the input gradient, each example on its own. Any other network gets DL4J's backprop on
 * an inference-mode copy (dropout and weight noise removed), with calls serialized because DL4J networks are not
 * thread-safe; {@link #kernelUnsupportedReason(Model)} says why.
 *
 * <p>The shape of one example is inferred from the network where DL4J records it: a dense first layer, the
 * preprocessor of {@code InputType.convolutionalFlat}, or, for {@code InputType.convolutional}, the first
 * convolution's channels and the image size its flattening records. Pass it explicitly where it cannot be inferred.
 */
@API(status = STABLE, since = "0.1")
public final class Dl4jClassifiers {

    private Dl4jClassifiers() {
    }

    /**
     * @param network an initialized softmax classifier
     * @return the kernels where they evaluate every layer, else DL4J's backprop
     * @throws IllegalArgumentException if the network is not initialized, not a softmax classifier, its example shape
     *         cannot be inferred, or it has batch normalization and a layer the kernels do not evaluate
     */
    public static DifferentiableClassifier of(MultiLayerNetwork network) {
        checkInitialized(network);
        return create(network, InputShapes.resolve(network.getLayerWiseConfigurations(), OptionalInt.empty()));
    }

    /**
     * @param network an initialized softmax classifier
     * @param exampleShape the shape of one input example as the network takes it, e.g. {@code 1, 28, 28} for a
     *        convolutional network declared with {@code InputType.convolutional(28, 28, 1)}; the data's features are
     *        one example's values in that shape's row-major order
     * @return the kernels where they evaluate every layer, else DL4J's backprop
     * @throws IllegalArgumentException if the network is not initialized or not a softmax classifier
     */
    public static DifferentiableClassifier of(MultiLayerNetwork network, long... exampleShape) {
        checkInitialized(network);
        return create(network, InputShapes.explicit(exampleShape,
                network.getLayerWiseConfigurations().getConf(0).getLayer()));
    }

    /**
     * @param network an initialized softmax classifier
     * @return an adapter that always uses DL4J's own backprop, even where the kernels apply
     * @throws IllegalArgumentException if the network is not initialized or not a softmax classifier
     */
    public static DifferentiableClassifier usingDl4jBackprop(MultiLayerNetwork network) {
        checkInitialized(network);
        return new MultiLayerClassifier(network, InputShapes.resolve(network.getLayerWiseConfigurations(),
                OptionalInt.empty()), false);
    }

    /**
     * @param graph an initialized graph with one input and one softmax classifier output
     * @return the kernels where they evaluate every vertex, else DL4J's backprop
     * @throws IllegalArgumentException as {@link #of(MultiLayerNetwork)}
     */
    public static DifferentiableClassifier of(ComputationGraph graph) {
        checkInitialized(graph);
        return create(graph, InputShapes.resolve(graph.getConfiguration(), OptionalInt.empty()));
    }

    /**
     * @param graph an initialized graph with one input and one softmax classifier output
     * @param exampleShape the shape of one input example as the graph takes it
     * @return the kernels where they evaluate every vertex, else DL4J's backprop
     * @throws IllegalArgumentException as {@link #of(MultiLayerNetwork, long...)}
     */
    public static DifferentiableClassifier of(ComputationGraph graph, long... exampleShape) {
        checkInitialized(graph);
        return create(graph, InputShapes.explicit(exampleShape, firstLayer(graph)));
    }

    /**
     * @param model a {@code MultiLayerNetwork} or a {@code ComputationGraph}
     * @return the adapter {@link #of(MultiLayerNetwork)} or {@link #of(ComputationGraph)} gives
     * @throws IllegalArgumentException if the model is neither, or as those methods
     */
    public static DifferentiableClassifier of(Model model) {
        return of(model, OptionalInt.empty(), false);
    }

    /**
     * @param features the data's features per example, which picks the image size where the network does not record
     *        it; empty to infer it from the network alone
     * @param following a view of the parameters that follows training, through DL4J's backprop, instead of a
     *        snapshot
     */
    static DifferentiableClassifier of(Model model, OptionalInt features, boolean following) {
        checkInitialized(model);
        if (model instanceof MultiLayerNetwork network) {
            ExampleShape shape = InputShapes.resolve(network.getLayerWiseConfigurations(), features);
            return following ? live(network, shape) : create(network, shape);
        }
        if (model instanceof ComputationGraph graph) {
            ExampleShape shape = InputShapes.resolve(graph.getConfiguration(), features);
            return following ? live(graph, shape) : create(graph, shape);
        }
        throw new IllegalArgumentException("expected a MultiLayerNetwork or a ComputationGraph but got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /**
     * @param model a {@code MultiLayerNetwork} or a {@code ComputationGraph}
     * @return why RobustUnit's kernels do not evaluate it, naming the layer, or {@code null} if they do
     */
    public static String kernelUnsupportedReason(Model model) {
        checkInitialized(model);
        try {
            if (model instanceof MultiLayerNetwork network) {
                KernelCompiler.compile(network, InputShapes.resolve(network.getLayerWiseConfigurations(),
                        OptionalInt.empty()));
            } else if (model instanceof ComputationGraph graph) {
                KernelCompiler.compile(graph, InputShapes.resolve(graph.getConfiguration(), OptionalInt.empty()));
            } else {
                return "it is a " + model.getClass().getSimpleName();
            }
            return null;
        } catch (KernelCompiler.Unsupported e) {
            return e.getMessage();
        }
    }

    /** The kernels, recompiled as training moves the network on, or else DL4J's backprop, which follows it anyway. */
    private static DifferentiableClassifier live(Model model, ExampleShape shape) {
        boolean graph = model instanceof ComputationGraph;
        if (graph) {
            OutputLayers.of(((ComputationGraph) model).getConfiguration());
        } else {
            OutputLayers.of(((MultiLayerNetwork) model).getLayerWiseConfigurations());
        }
        try {
            return new LiveKernelClassifier(model, shape);
        } catch (KernelCompiler.Unsupported e) {
            if (graph) {
                ComputationGraph g = (ComputationGraph) model;
                rejectBatchNormalization(g.getConfiguration().getVertices().values().stream()
                        .filter(v -> v instanceof LayerVertex).map(v -> ((LayerVertex) v).getLayerConf().getLayer())
                        .toList(), e);
                return new GraphClassifier(g, shape, true);
            }
            MultiLayerNetwork n = (MultiLayerNetwork) model;
            rejectBatchNormalization(n.getLayerWiseConfigurations().getConfs().stream().map(c -> c.getLayer()).toList(), e);
            return new MultiLayerClassifier(n, shape, true);
        }
    }

    private static DifferentiableClassifier create(MultiLayerNetwork network, ExampleShape shape) {
        OutputLayers.of(network.getLayerWiseConfigurations());
        try {
            KernelGraph graph = KernelCompiler.compile(network, shape);
            return graph.classifier(Runtime.getRuntime().availableProcessors(), "MultiLayerNetwork " + shape + " -> "
                    + OutputLayers.of(network.getLayerWiseConfigurations()).getNOut() + " (RobustUnit kernels)");
        } catch (KernelCompiler.Unsupported e) {
            rejectBatchNormalization(network.getLayerWiseConfigurations().getConfs().stream()
                    .map(c -> c.getLayer()).toList(), e);
            return new MultiLayerClassifier(network, shape, false);
        }
    }

    private static DifferentiableClassifier create(ComputationGraph graph, ExampleShape shape) {
        OutputLayers.of(graph.getConfiguration());
        try {
            KernelGraph kernel = KernelCompiler.compile(graph, shape);
            return kernel.classifier(Runtime.getRuntime().availableProcessors(), "ComputationGraph " + shape + " -> "
                    + OutputLayers.of(graph.getConfiguration()).getNOut() + " (RobustUnit kernels)");
        } catch (KernelCompiler.Unsupported e) {
            rejectBatchNormalization(graph.getConfiguration().getVertices().values().stream()
                    .filter(v -> v instanceof LayerVertex).map(v -> ((LayerVertex) v).getLayerConf().getLayer())
                    .toList(), e);
            return new GraphClassifier(graph, shape, false);
        }
    }

    /** DL4J's backprop would use batch statistics for batch normalization: no fallback for such networks. */
    private static void rejectBatchNormalization(java.util.List<Layer> layers, KernelCompiler.Unsupported why) {
        if (layers.stream().anyMatch(l -> l instanceof BatchNormalization)) {
            throw new IllegalArgumentException(why.getMessage() + "; the network also has batch normalization, whose "
                    + "input gradient DL4J computes only with batch statistics, so RobustUnit cannot attack it", why);
        }
    }

    private static Layer firstLayer(ComputationGraph graph) {
        String input = graph.getConfiguration().getNetworkInputs().get(0);
        for (var e : graph.getConfiguration().getVertexInputs().entrySet()) {
            if (e.getValue().contains(input) && graph.getConfiguration().getVertices().get(e.getKey())
                    instanceof LayerVertex v) {
                return v.getLayerConf().getLayer();
            }
        }
        throw new IllegalArgumentException("no layer reads the graph's input '" + input + "'");
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
