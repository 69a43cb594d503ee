package io.robustunit.model.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.GradientStep;

/**
 * A float32 forward and input-gradient pass for {@code MultiLayerNetwork}s made of dense layers and a
 * softmax cross-entropy output layer, written in plain Java. It computes what FGSM and PGD need and
 * nothing else: no weight gradients, no allocation per example, and it skips the zero inputs that
 * images and ReLU layers are full of. Rows of a batch are split over the common fork-join pool.
 *
 * <p>It holds a copy of the weights taken at construction and is immutable, hence thread-safe. The result
 * is the exact gradient of the per-example cross-entropy, {@code softmax(z) − onehot(y)} back-propagated;
 * unlike DL4J's {@code LossMCXENT} it does not clip probabilities to {@code [1e-10, 1 − 1e-10]}.
 */
final class DenseKernelClassifier implements DifferentiableClassifier {

    /** Rows per parallel task below which splitting a batch costs more than it saves. */
    private static final int MIN_ROWS_PER_TASK = 16;

    private static final GradientStep COPY = (inputs, offset, gradient, gradientOffset, out, width) ->
            System.arraycopy(gradient, gradientOffset, out, offset, width);

    private final DenseWeights[] layers;
    private final int inputSize;
    private final int numClasses;
    private final int parallelism;
    private final String description;

    DenseKernelClassifier(DenseWeights[] layers, int parallelism, String description) {
        this.layers = layers.clone();
        this.inputSize = layers[0].inputs;
        this.numClasses = layers[layers.length - 1].outputs;
        this.parallelism = Math.max(1, parallelism);
        this.description = description;
    }

    /**
     * @return why the kernel cannot evaluate this network, or {@code null} if it can
     */
    static String unsupportedReason(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        if (network.params() == null || network.params().dataType() != DataType.FLOAT) {
            return "parameters are not float32";
        }
        int n = network.getnLayers();
        for (int i = 0; i < n; i++) {
            Layer layer = conf.getConf(i).getLayer();
            if (conf.getInputPreProcess(i) != null) {
                return "layer " + i + " has an input preprocessor";
            }
            boolean last = i == n - 1;
            if (!last && layer.getClass() != DenseLayer.class) {
                return "layer " + i + " is a " + layer.getClass().getSimpleName() + ", not a DenseLayer";
            }
            if (!last && ((DenseLayer) layer).hasLayerNorm()) {
                return "layer " + i + " uses layer normalization";
            }
            if (last && layer.getClass() != OutputLayer.class) {
                return "the last layer is a " + layer.getClass().getSimpleName() + ", not an OutputLayer";
            }
            KernelActivation activation = KernelActivation.of(((org.deeplearning4j.nn.conf.layers.BaseLayer) layer)
                    .getActivationFn());
            if (activation == null || (activation == KernelActivation.SOFTMAX) != last) {
                return "layer " + i + " has activation " + ((org.deeplearning4j.nn.conf.layers.BaseLayer) layer)
                        .getActivationFn() + (last ? " (the output layer must use softmax)" : "");
            }
            if (last && !isCrossEntropy(((OutputLayer) layer).getLossFn())) {
                return "the output layer's loss is " + ((OutputLayer) layer).getLossFn()
                        + ", not an unweighted (sparse) multi-class cross-entropy";
            }
        }
        return null;
    }

    private static boolean isCrossEntropy(ILossFunction loss) {
        Class<?> type = loss.getClass();
        boolean family = type == LossMCXENT.class || type == LossSparseMCXENT.class
                || type == LossNegativeLogLikelihood.class;
        return family && ((LossMCXENT) loss).getWeights() == null;
    }

    /** Copies the network's current weights into a kernel; {@link #unsupportedReason} must be null. */
    static DenseKernelClassifier compile(MultiLayerNetwork network, int parallelism) {
        int n = network.getnLayers();
        DenseWeights[] layers = new DenseWeights[n];
        StringBuilder shape = new StringBuilder();
        for (int i = 0; i < n; i++) {
            org.deeplearning4j.nn.api.Layer layer = network.getLayer(i);
            float[][] w = layer.getParam("W").toFloatMatrix();
            INDArray b = layer.getParam("b");
            float[] bias = b == null ? new float[w[0].length] : b.toFloatVector();
            KernelActivation activation = KernelActivation.of(
                    ((org.deeplearning4j.nn.conf.layers.BaseLayer) layer.conf().getLayer()).getActivationFn());
            layers[i] = new DenseWeights(w, bias, activation);
            shape.append(i == 0 ? String.valueOf(w.length) : "").append('-').append(bias.length);
        }
        return new DenseKernelClassifier(layers, parallelism, "MultiLayerNetwork " + shape + " (dense kernel)");
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
        return true;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void probabilities(float[] inputs, int from, int count, float[] probabilities) {
        Rows.check(inputs, inputSize, from, count, "inputs");
        Rows.check(probabilities, numClasses, from, count, "probabilities");
        run(from, count, (workspace, row) -> workspace.probabilities(inputs, row, probabilities));
    }

    @Override
    public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient) {
        Rows.check(inputs, inputSize, from, count, "inputs");
        Rows.check(gradient, inputSize, from, count, "gradient");
        Rows.checkLabels(labels, numClasses, from, count);
        run(from, count, (workspace, row) -> workspace.gradient(inputs, labels[row], row, gradient, COPY));
    }

    /** Applies {@code step} to each gradient while it is still in this thread's workspace. */
    @Override
    public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] out, GradientStep step) {
        Rows.check(inputs, inputSize, from, count, "inputs");
        Rows.check(out, inputSize, from, count, "out");
        Rows.checkLabels(labels, numClasses, from, count);
        run(from, count, (workspace, row) -> workspace.gradient(inputs, labels[row], row, out, step));
    }

    private void run(int from, int count, RowTask task) {
        int tasks = Math.min(parallelism, count / MIN_ROWS_PER_TASK);
        if (tasks <= 1) {
            runRows(from, count, task);
            return;
        }
        List<RecursiveAction> actions = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            int start = from + (int) ((long) count * t / tasks);
            int end = from + (int) ((long) count * (t + 1) / tasks);
            actions.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    runRows(start, end - start, task);
                }
            });
        }
        ForkJoinTask.invokeAll(actions);
    }

    private void runRows(int from, int count, RowTask task) {
        Workspace workspace = new Workspace();
        for (int row = from; row < from + count; row++) {
            task.run(workspace, row);
        }
    }

    @FunctionalInterface
    private interface RowTask {
        void run(Workspace workspace, int row);
    }

    /** Scratch arrays for one thread: the activations and deltas of every layer for one example. */
    private final class Workspace {

        private final float[][] activations = new float[layers.length + 1][];
        private final float[][] deltas = new float[layers.length + 1][];
        private final int[] indices;
        private final float[] values;

        Workspace() {
            int widest = inputSize;
            for (DenseWeights layer : layers) {
                widest = Math.max(widest, layer.outputs);
            }
            indices = new int[widest];
            values = new float[widest];
            deltas[0] = new float[inputSize];
            for (int l = 0; l < layers.length; l++) {
                activations[l + 1] = new float[layers[l].outputs];
                deltas[l + 1] = new float[layers[l].outputs];
            }
        }

        private float[] forward(float[] inputs, int row) {
            layers[0].forward(inputs, row * inputSize, activations[1], indices, values);
            for (int l = 1; l < layers.length; l++) {
                layers[l].forward(activations[l], 0, activations[l + 1], indices, values);
            }
            return activations[layers.length];
        }

        void probabilities(float[] inputs, int row, float[] out) {
            System.arraycopy(forward(inputs, row), 0, out, row * numClasses, numClasses);
        }

        /** Back-propagates {@code softmax − onehot} through the layers, visiting only non-zero deltas. */
        void gradient(float[] inputs, int label, int row, float[] out, GradientStep step) {
            float[] top = deltas[layers.length];
            System.arraycopy(forward(inputs, row), 0, top, 0, numClasses);
            top[label] -= 1f;
            int count = VectorMath.nonZeros(top, 0, numClasses, indices, values);
            for (int l = layers.length - 1; l >= 0; l--) {
                layers[l].backward(indices, values, count, deltas[l]);
                if (l > 0) {
                    count = layers[l - 1].activation.activeDeltas(activations[l], deltas[l], indices, values);
                }
            }
            step.apply(inputs, row * inputSize, deltas[0], 0, out, inputSize);
        }
    }
}
