package io.robustunit.model;

import java.util.Arrays;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * A single-input, single-output {@code ComputationGraph} classifier. DL4J 1.0.0-M2.1 has no
 * {@code calculateGradients} for graphs, so the input gradient is read from the input vertex's epsilon in
 * a listener's {@code onBackwardPass}, after {@code computeGradientAndScore()} on an inference-mode copy
 * with workspaces off. Calls are serialized.
 */
final class GraphClassifier implements DifferentiableClassifier {

    private final ComputationGraph graph;
    private final String inputName;
    private final long[] exampleShape;
    private final int inputSize;
    private final int numClasses;
    private final boolean sparseLabels;
    private final DataType dataType;
    private final EpsilonCapture capture = new EpsilonCapture();

    GraphClassifier(ComputationGraph original, long[] exampleShape, boolean following) {
        ComputationGraphConfiguration conf = original.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("only graphs with one input and one output are supported, but this one has "
                    + conf.getNetworkInputs() + " inputs and " + conf.getNetworkOutputs() + " outputs");
        }
        this.graph = InferenceCopies.of(original, following);
        this.inputName = conf.getNetworkInputs().get(0);
        String outputName = conf.getNetworkOutputs().get(0);
        Layer output = layerOf(conf, outputName);
        if (!(output instanceof BaseOutputLayer outputLayer)) {
            throw new IllegalArgumentException("output vertex '" + outputName + "' is not an output layer with a loss function");
        }
        this.exampleShape = exampleShape != null ? exampleShape.clone() : inferShape(conf);
        this.inputSize = InputShapes.size(this.exampleShape);
        this.numClasses = Math.toIntExact(outputLayer.getNOut());
        this.sparseLabels = outputLayer.getLossFn() instanceof LossSparseMCXENT;
        this.dataType = graph.params().dataType();
        graph.setListeners(capture);
    }

    private static Layer layerOf(ComputationGraphConfiguration conf, String vertexName) {
        if (conf.getVertices().get(vertexName) instanceof LayerVertex vertex) {
            return vertex.getLayerConf().getLayer();
        }
        return null;
    }

    private long[] inferShape(ComputationGraphConfiguration conf) {
        for (var entry : conf.getVertexInputs().entrySet()) {
            if (entry.getValue().contains(inputName) && conf.getVertices().get(entry.getKey()) instanceof LayerVertex v) {
                return InputShapes.infer(v.getLayerConf().getLayer(), v.getPreProcessor(),
                        "vertex '" + entry.getKey() + "'");
            }
        }
        throw new IllegalArgumentException("cannot infer the input size of the graph; pass the input shape explicitly");
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public boolean isThreadSafe() {
        return false;
    }

    @Override
    public String description() {
        return "ComputationGraph " + Arrays.toString(exampleShape) + " -> " + numClasses + " (DL4J backprop)";
    }

    @Override
    public synchronized void probabilities(float[] inputs, int from, int count, float[] probabilities) {
        Rows.check(inputs, inputSize, from, count, "inputs");
        Rows.check(probabilities, numClasses, from, count, "probabilities");
        if (count == 0) {
            return;
        }
        INDArray x = Nd4jRows.features(inputs, inputSize, from, count, exampleShape, dataType);
        Nd4jRows.copyInto(graph.outputSingle(false, x), probabilities, from, numClasses);
        graph.clear();
    }

    @Override
    public synchronized void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient) {
        Rows.check(inputs, inputSize, from, count, "inputs");
        Rows.check(gradient, inputSize, from, count, "gradient");
        Rows.checkLabels(labels, numClasses, from, count);
        if (count == 0) {
            return;
        }
        graph.setInput(0, Nd4jRows.features(inputs, inputSize, from, count, exampleShape, dataType));
        graph.setLabels(Nd4jRows.labels(labels, from, count, numClasses, sparseLabels, dataType));
        capture.epsilon = null;
        graph.computeGradientAndScore();
        INDArray epsilon = capture.epsilon;
        graph.clear();
        if (epsilon == null) {
            throw new IllegalStateException("the graph produced no gradient for input '" + inputName + "'");
        }
        Nd4jRows.copyInto(epsilon, gradient, from, inputSize);
    }

    /** Copies the input vertex's epsilon before the graph clears it. */
    private final class EpsilonCapture extends BaseTrainingListener {

        private INDArray epsilon;

        @Override
        public void onBackwardPass(Model model) {
            INDArray e = ((ComputationGraph) model).getVertex(inputName).getEpsilon();
            epsilon = e == null ? null : e.dup();
        }
    }
}
