package io.robustunit.model;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * Any {@code MultiLayerNetwork} whose output layer is a classifier, evaluated by DL4J itself: probabilities
 * from {@code output(x, false)} and input gradients from {@code calculateGradients} on an inference-mode
 * copy (see {@link InferenceCopies}). DL4J networks are not thread-safe, so calls are serialized.
 */
final class MultiLayerClassifier implements DifferentiableClassifier {

    private final MultiLayerNetwork network;
    private final long[] exampleShape;
    private final int inputSize;
    private final int numClasses;
    private final boolean sparseLabels;
    private final DataType dataType;

    MultiLayerClassifier(MultiLayerNetwork original, long[] exampleShape, boolean following) {
        this.network = InferenceCopies.of(original, following);
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        Layer last = conf.getConf(network.getnLayers() - 1).getLayer();
        if (!(last instanceof BaseOutputLayer output)) {
            throw new IllegalArgumentException("the last layer is a " + last.getClass().getSimpleName()
                    + ", not an output layer with a loss function");
        }
        this.exampleShape = exampleShape != null ? exampleShape.clone()
                : InputShapes.infer(conf.getConf(0).getLayer(), conf.getInputPreProcess(0), "the network");
        this.inputSize = InputShapes.size(this.exampleShape);
        this.numClasses = Math.toIntExact(output.getNOut());
        this.sparseLabels = output.getLossFn() instanceof LossSparseMCXENT;
        this.dataType = network.params().dataType();
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
        return "MultiLayerNetwork " + Arrays.toString(exampleShape) + " -> " + numClasses + " (DL4J backprop)";
    }

    @Override
    public synchronized void probabilities(float[] inputs, int from, int count, float[] probabilities) {
        Rows.check(inputs, inputSize, from, count, "inputs");
        Rows.check(probabilities, numClasses, from, count, "probabilities");
        if (count == 0) {
            return;
        }
        INDArray x = Nd4jRows.features(inputs, inputSize, from, count, exampleShape, dataType);
        Nd4jRows.copyInto(network.output(x, false), probabilities, from, numClasses);
        network.clear();
    }

    @Override
    public synchronized void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient) {
        Rows.check(inputs, inputSize, from, count, "inputs");
        Rows.check(gradient, inputSize, from, count, "gradient");
        Rows.checkLabels(labels, numClasses, from, count);
        if (count == 0) {
            return;
        }
        INDArray x = Nd4jRows.features(inputs, inputSize, from, count, exampleShape, dataType);
        INDArray y = Nd4jRows.labels(labels, from, count, numClasses, sparseLabels, dataType);
        INDArray inputGradient = network.calculateGradients(x, y, null, null).getSecond();
        Nd4jRows.copyInto(inputGradient, gradient, from, inputSize);
        network.clear();
    }
}
