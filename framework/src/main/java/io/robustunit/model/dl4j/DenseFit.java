package io.robustunit.model.dl4j;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.SgdUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import io.robustunit.data.Minibatch;
import io.robustunit.data.Minibatches;
import io.robustunit.model.kernel.Activation;
import io.robustunit.model.kernel.DenseBackprop;

/**
 * DL4J's training step for the networks adversarial training meets most, a MultiLayerNetwork of dense layers ending
 * in softmax cross-entropy with the Adam or SGD updater, computed by RobustUnit: the same gradient, averaged over the
 * minibatch, and the same update, in the same order, as DL4J's {@code fit}, written to the network's parameters and
 * updater state, iteration and epoch counts, so that DL4J can carry on where this leaves off. DL4J spends about 4 ms
 * per 128-row MNIST minibatch in its own machinery, more than the arithmetic takes. Every other network, and every
 * setting this does not reproduce (regularization, dropout, weight noise, constraints, gradient normalization,
 * other updaters, listeners), trains through DL4J: {@link #unsupported} says why.
 */
final class DenseFit {

    private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();

    private final MultiLayerNetwork network;
    private final DenseBackprop backprop;
    private final DenseBackprop.Gradient gradient;
    private final List<Slot> slots = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private final float[] flat;
    private final INDArray params;
    /** Whether the parameters are the whole of their buffer, which then takes the new values in one copy. */
    private final boolean direct;

    /** One parameter array (a weight column or a bias) with its gradient, its place in DL4J's flat view and updater. */
    private static final class Slot {
        final float[] values;
        final float[] gradient;
        final int offset;
        final Block block;
        final float[] m;
        final float[] v;

        Slot(float[] values, float[] gradient, int offset, Block block) {
            this.values = values;
            this.gradient = gradient;
            this.offset = offset;
            this.block = block;
            boolean adam = block.updater instanceof AdamUpdater;
            this.m = adam ? new float[values.length] : null;
            this.v = adam ? new float[values.length] : null;
        }
    }

    /**
     * An updater block of DL4J: a range of the flat parameters sharing one updater and its state view, with the
     * coefficients of the current step, worked out once per step for all its slots.
     */
    private static final class Block {
        final int start;
        final int end;
        final GradientUpdater<?> updater;
        final INDArray state;
        float beta1;
        float beta2;
        float epsilon;
        /** Adam's step size with the bias corrections folded in, or Sgd's learning rate. */
        float step;

        Block(UpdaterBlock block) {
            this.start = block.getParamOffsetStart();
            this.end = block.getParamOffsetEnd();
            this.updater = block.getGradientUpdater();
            this.state = block.getUpdaterView();
        }

        /** As libnd4j's adam updater, in float, and as DL4J's Sgd. */
        void prepare(int iteration, int epoch) {
            if (updater instanceof AdamUpdater adamUpdater) {
                Adam adam = adamUpdater.getConfig();
                beta1 = (float) adam.getBeta1();
                beta2 = (float) adam.getBeta2();
                epsilon = (float) adam.getEpsilon();
                float lr = (float) adam.getLearningRate(iteration, epoch);
                float beta1t = (float) Math.pow(beta1, iteration + 1);
                float beta2t = (float) Math.pow(beta2, iteration + 1);
                step = (float) (lr * Math.sqrt(1.0f - beta2t) / (1.0f - beta1t));
                if (Float.isNaN(step) || Float.isInfinite(step) || step == 0f) {
                    step = epsilon;
                }
            } else {
                step = (float) ((SgdUpdater) updater).getConfig().getLearningRate(iteration, epoch);
            }
        }
    }

    private DenseFit(MultiLayerNetwork network, int[] widths, Activation[] hidden) {
        this.network = network;
        this.backprop = new DenseBackprop(widths, hidden, PARALLELISM);
        this.gradient = backprop.newGradient();
        this.params = network.params();
        this.flat = new float[(int) params.length()];
        // the host memory is the array only on ND4J's CPU backend; elsewhere (CUDA) go through ND4J
        this.direct = Nd4j.getEnvironment().isCPU() && params.offset() == 0 && params.data().length() == params.length() && params.isVector()
                && params.elementWiseStride() == 1 && params.data().pointer() instanceof org.bytedeco.javacpp.FloatPointer p
                && p.position() == 0;
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks()) {
            blocks.add(new Block(block));
        }
        int offset = 0;
        for (int l = 0; l < backprop.layers(); l++) {
            float[][] columns = backprop.columns(l);
            for (int j = 0; j < columns.length; j++) {
                slots.add(new Slot(columns[j], gradient.columns(l)[j], offset, blockOf(blocks, offset, columns[j].length)));
                offset += columns[j].length;
            }
            float[] bias = backprop.bias(l);
            slots.add(new Slot(bias, gradient.bias(l), offset, blockOf(blocks, offset, bias.length)));
            offset += bias.length;
        }
        if (offset != flat.length) {
            throw new IllegalStateException("the network has " + flat.length + " parameters but its layers " + offset);
        }
    }

    private static Block blockOf(List<Block> blocks, int offset, int length) {
        for (Block block : blocks) {
            if (block.start <= offset && offset + length <= block.end) {
                return block;
            }
        }
        throw new IllegalStateException("no updater block holds parameters [" + offset + ", " + (offset + length) + ")");
    }

    /**
     * @return a trainer for the network, or {@code null} when {@link #unsupported} names a reason
     */
    static DenseFit of(MultiLayerNetwork network) {
        if (unsupported(network) != null) {
            return null;
        }
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        int n = conf.getConfs().size();
        int[] widths = new int[n + 1];
        Activation[] hidden = new Activation[n - 1];
        for (int i = 0; i < n; i++) {
            org.deeplearning4j.nn.conf.layers.FeedForwardLayer layer =
                    (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) conf.getConf(i).getLayer();
            widths[i] = (int) layer.getNIn();
            widths[i + 1] = (int) layer.getNOut();
            if (i < n - 1) {
                hidden[i] = KernelActivations.of(layer.getActivationFn());
            }
        }
        return new DenseFit(network, widths, hidden);
    }

    /** @return why this class cannot train the network as DL4J would, or {@code null} if it can */
    static String unsupported(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        if (network.params().dataType() != DataType.FLOAT) {
            return "its parameters are " + network.params().dataType();
        }
        if (conf.getBackpropType() != BackpropType.Standard) {
            return "it trains with " + conf.getBackpropType();
        }
        if (conf.getInputPreProcessors() != null && !conf.getInputPreProcessors().isEmpty()) {
            return "it has input preprocessors";
        }
        if (!network.getListeners().isEmpty()) {
            return "it has training listeners, which DL4J's fit calls";
        }
        int n = conf.getConfs().size();
        for (int i = 0; i < n; i++) {
            NeuralNetConfiguration layerConf = conf.getConf(i);
            Layer layer = layerConf.getLayer();
            String why = unsupported(layerConf, layer, i == n - 1);
            if (why != null) {
                return "layer " + i + " " + why;
            }
        }
        Updater updater = network.getUpdater();
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi)) {
            return "its updater is a " + (updater == null ? "null" : updater.getClass().getSimpleName());
        }
        for (UpdaterBlock block : multi.getUpdaterBlocks()) {
            GradientUpdater<?> u = block.getGradientUpdater();
            if (!(u instanceof AdamUpdater) && !(u instanceof SgdUpdater)) {
                return "it uses the updater " + u.getConfig() + "; only Adam and Sgd are reproduced";
            }
        }
        return null;
    }

    private static String unsupported(NeuralNetConfiguration conf, Layer layer, boolean last) {
        if (!conf.isMiniBatch() || !conf.isMinimize() || conf.getStepFunction() != null
                || conf.getOptimizationAlgo() != OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT) {
            return "is not plain minibatch gradient descent";
        }
        if (last) {
            if (layer.getClass() != OutputLayer.class) {
                return "ends the network but is not an OutputLayer";
            }
            OutputLayer out = (OutputLayer) layer;
            if (!(out.getActivationFn() instanceof ActivationSoftmax) || out.getLossFn() == null
                    || out.getLossFn().getClass() != LossMCXENT.class
                    && out.getLossFn().getClass() != org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT.class
                    || ((LossMCXENT) out.getLossFn()).getWeights() != null
                    || ((LossMCXENT) out.getLossFn()).getSoftmaxClipEps() != 1e-10) {
                return "is not softmax with unweighted cross-entropy";
            }
        } else {
            if (layer.getClass() != DenseLayer.class || ((DenseLayer) layer).hasLayerNorm()) {
                return "is not a plain DenseLayer";
            }
            if (KernelActivations.of(((DenseLayer) layer).getActivationFn()) == null) {
                return "has an activation the kernels do not have";
            }
        }
        BaseLayer base = (BaseLayer) layer;
        if (layer instanceof DenseLayer dense ? !dense.hasBias() : !((OutputLayer) layer).hasBias()) {
            return "has no bias";
        }
        if (base.getIDropout() != null || base.getWeightNoise() != null
                || base.getConstraints() != null && !base.getConstraints().isEmpty()) {
            return "uses dropout, weight noise or constraints";
        }
        if (base.getRegularization() != null && !base.getRegularization().isEmpty()
                || base.getRegularizationBias() != null && !base.getRegularizationBias().isEmpty()) {
            return "is regularized";
        }
        if (base.getGradientNormalization() != null && base.getGradientNormalization() != GradientNormalization.None) {
            return "normalizes its gradient";
        }
        return null;
    }

    /**
     * Trains one epoch as DL4J's {@code fit(DataSetIterator)} would: every minibatch {@code batches} yields, then the
     * epoch count goes up.
     *
     * @return the mean minibatch loss
     */
    double fitEpoch(Minibatches batches) {
        if (batches.featureCount() != backprop.inputs()) {
            throw new IllegalArgumentException("the network expects " + backprop.inputs() + " features per example "
                    + "but the minibatches have " + batches.featureCount());
        }
        load();
        double sum = 0;
        int count = 0;
        try {
            if (!batches.hasNext()) {
                batches.reset();
            }
            while (batches.hasNext()) {
                Minibatch batch = batches.next();
                double loss = backprop.gradient(batch.features(), batch.labels(), batch.size(), gradient);
                update(network.getIterationCount(), network.getEpochCount());
                sum += loss;
                count++;
                network.setScore(loss);
                network.setIterationCount(network.getIterationCount() + 1);
            }
        } finally {
            storeState();
        }
        network.incrementEpochCount();
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Reads the parameters and updater state from the network. */
    private void load() {
        float[] values = params.dup('c').data().asFloat();
        for (Slot slot : slots) {
            System.arraycopy(values, slot.offset, slot.values, 0, slot.values.length);
        }
        backprop.columnsChanged();
        for (Block block : blocks) {
            if (block.updater instanceof AdamUpdater) {
                float[] state = block.state.dup('c').data().asFloat();
                int half = block.end - block.start;
                for (Slot slot : slots) {
                    if (slot.block == block) {
                        int at = slot.offset - block.start;
                        System.arraycopy(state, at, slot.m, 0, slot.m.length);
                        System.arraycopy(state, half + at, slot.v, 0, slot.v.length);
                    }
                }
            }
        }
    }

    /** DL4J's step, {@code θ −= update(g)}, on every slot; then the new parameters go to the network. */
    private void update(int iteration, int epoch) {
        for (Block block : blocks) {
            block.prepare(iteration, epoch);
        }
        for (Slot slot : slots) {
            Block block = slot.block;
            if (block.updater instanceof AdamUpdater) {
                adam(slot.values, slot.gradient, slot.m, slot.v, block.beta1, block.beta2, block.epsilon, block.step);
            } else {
                sgd(slot.values, slot.gradient, block.step);
            }
            System.arraycopy(slot.values, 0, flat, slot.offset, slot.values.length);
        }
        backprop.columnsChanged();
        if (direct) {
            // one memcpy: DataBuffer.setData(float[]) puts element by element
            ((org.bytedeco.javacpp.FloatPointer) params.data().pointer()).put(flat, 0, flat.length);
        } else {
            params.assign(Nd4j.createFromArray(flat).reshape(params.shape()));
        }
    }

    private static void adam(float[] theta, float[] g, float[] m, float[] v, float beta1, float beta2, float epsilon,
                             float step) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = 0; i < theta.length; i++) {
            float mi = beta1 * m[i] + g[i] * oneMinusBeta1;
            float vi = beta2 * v[i] + g[i] * g[i] * oneMinusBeta2;
            m[i] = mi;
            v[i] = vi;
            theta[i] -= mi * step / ((float) Math.sqrt(vi) + epsilon);
        }
    }

    private static void sgd(float[] theta, float[] g, float lr) {
        for (int i = 0; i < theta.length; i++) {
            theta[i] -= g[i] * lr;
        }
    }

    /** Writes the updater state back into DL4J's view. */
    private void storeState() {
        for (Block block : blocks) {
            if (block.updater instanceof AdamUpdater) {
                int half = block.end - block.start;
                float[] state = new float[2 * half];
                for (Slot slot : slots) {
                    if (slot.block == block) {
                        int at = slot.offset - block.start;
                        System.arraycopy(slot.m, 0, state, at, slot.m.length);
                        System.arraycopy(slot.v, 0, state, half + at, slot.v.length);
                    }
                }
                block.state.assign(Nd4j.createFromArray(state).reshape(block.state.shape()));
            }
        }
    }
}
