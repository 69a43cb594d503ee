package io.robustunit.model.dl4j;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import io.robustunit.model.DifferentiableClassifier;

/**
 * What the adapters that let DL4J compute share: bounds checks, conversion to and from ND4J arrays in the
 * network's data type, labels in the format the output layer's loss expects, and serialized calls, because
 * DL4J networks are not thread-safe.
 */
abstract class Dl4jBackpropClassifier implements DifferentiableClassifier {

    private final String kind;
    private final long[] exampleShape;
    private final int inputSize;
    private final int numClasses;
    private final boolean sparseLabels;
    private final DataType dataType;

    Dl4jBackpropClassifier(String kind, long[] exampleShape, BaseOutputLayer output, DataType dataType) {
        this.kind = kind;
        this.exampleShape = exampleShape.clone();
        this.inputSize = InputShapes.size(exampleShape);
        this.numClasses = Math.toIntExact(output.getNOut());
        this.sparseLabels = output.getLossFn() instanceof LossSparseMCXENT;
        this.dataType = dataType;
    }

    /** @return the network's inference-mode output for a batch */
    abstract INDArray output(INDArray features);

    /** @return the loss gradient with respect to the batch's input */
    abstract INDArray inputGradient(INDArray features, INDArray labels);

    /** Releases the network's references to the last batch. */
    abstract void clear();

    @Override
    public final int inputSize() {
        return inputSize;
    }

    @Override
    public final int numClasses() {
        return numClasses;
    }

    @Override
    public final boolean isThreadSafe() {
        return false;
    }

    @Override
    public final String description() {
        return kind + " " + Arrays.toString(exampleShape) + " -> " + numClasses + " (DL4J backprop)";
    }

    @Override
    public final synchronized void probabilities(float[] inputs, int from, int count, float[] probabilities) {
        Rows.check(inputs, inputSize, from, count, "inputs");
        Rows.check(probabilities, numClasses, from, count, "probabilities");
        if (count == 0) {
            return;
        }
        try {
            Nd4jRows.copyInto(output(features(inputs, from, count)), probabilities, from, numClasses);
        } finally {
            clear();
        }
    }

    @Override
    public final synchronized void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient) {
        Rows.check(inputs, inputSize, from, count, "inputs");
        Rows.check(gradient, inputSize, from, count, "gradient");
        Rows.checkLabels(labels, numClasses, from, count);
        if (count == 0) {
            return;
        }
        try {
            INDArray y = Nd4jRows.labels(labels, from, count, numClasses, sparseLabels, dataType);
            Nd4jRows.copyInto(inputGradient(features(inputs, from, count), y), gradient, from, inputSize);
        } finally {
            clear();
        }
    }

    private INDArray features(float[] inputs, int from, int count) {
        return Nd4jRows.features(inputs, inputSize, from, count, exampleShape, dataType);
    }
}
