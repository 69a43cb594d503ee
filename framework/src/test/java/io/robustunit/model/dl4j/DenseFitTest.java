package io.robustunit.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;
import io.robustunit.data.Minibatch;
import io.robustunit.data.Minibatches;

/**
 * RobustUnit's own training step for dense softmax networks against DL4J's {@code fit} fed the same minibatches in the
 * same order: parameters, Adam's moments, iteration and epoch counts and the loss must agree after several steps
 * over two epochs, so that training can hand over between the two at any epoch.
 */
class DenseFitTest {

    private static final int FEATURES = 30;
    private static final int CLASSES = 4;

    /** Sparse non-negative features, as images are, with a class signal on a quarter of them each. */
    private static LabelledDataset data(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * FEATURES];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(CLASSES);
            for (int j = 0; j < FEATURES; j++) {
                boolean own = j * CLASSES / FEATURES == y[i];
                double v = random.nextDouble() < 0.4 ? 0 : random.nextDouble() * (own ? 1.0 : 0.6);
                x[i * FEATURES + j] = (float) v;
            }
        }
        return LabelledDataset.of("dense", x, y, FEATURES, CLASSES, InputRange.UNIT);
    }

    private static MultiLayerNetwork network(IUpdater updater, LossFunction loss, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(updater).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(24).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(24).nOut(12).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(loss).nIn(12).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** DL4J's own training on the minibatches {@code batches} yields, epoch by epoch. */
    private static double dl4jEpoch(MultiLayerNetwork net, Minibatches batches, boolean sparse) {
        double sum = 0;
        int count = 0;
        while (batches.hasNext()) {
            Minibatch batch = batches.next();
            int n = batch.size();
            INDArray labels = Nd4j.zeros(DataType.FLOAT, n, sparse ? 1 : CLASSES);
            for (int r = 0; r < n; r++) {
                if (sparse) {
                    labels.putScalar(r, 0, batch.labels()[r]);
                } else {
                    labels.putScalar(r, batch.labels()[r], 1.0);
                }
            }
            net.fit(new DataSet(Nd4j.create(batch.features(), new long[] {n, FEATURES}, 'c'), labels));
            sum += net.score();
            count++;
        }
        net.incrementEpochCount();
        batches.reset();
        return sum / count;
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    private void trainsLikeDl4j(IUpdater updater, LossFunction loss, boolean sparse) {
        LabelledDataset data = data(200, 3);
        MultiLayerNetwork ours = network(updater, loss, 5);
        MultiLayerNetwork theirs = network(updater, loss, 5);
        assertThat(DenseFit.unsupported(ours)).isNull();
        Dl4jNetwork trainable = new Dl4jNetwork(ours, false);
        Minibatches forUs = Minibatches.shuffled(data, 32, 9);
        Minibatches forThem = Minibatches.shuffled(data, 32, 9);
        for (int epoch = 0; epoch < 2; epoch++) {
            double ourLoss = trainable.fitEpoch(forUs);
            double theirLoss = dl4jEpoch(theirs, forThem, sparse);
            assertThat(ourLoss).isCloseTo(theirLoss, org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(ours.getIterationCount()).isEqualTo(theirs.getIterationCount()).isEqualTo(14);
        assertThat(ours.getEpochCount()).isEqualTo(theirs.getEpochCount()).isEqualTo(2);
        // 14 steps apart only by float rounding (measured: about 1e-7, a few ulps of parameters near 0.7)
        assertThat(maxDifference(ours.params(), theirs.params())).isLessThan(1e-6);
        INDArray ourState = ours.getUpdater().getStateViewArray();
        INDArray theirState = theirs.getUpdater().getStateViewArray();
        if (updater instanceof Sgd) {
            assertThat(ourState).isNull();
            assertThat(theirState).isNull();
        } else {
            assertThat(maxDifference(ourState, theirState)).isLessThan(1e-7);
            assertThat(theirState.amaxNumber().doubleValue()).isGreaterThan(1e-3);
        }
        // and DL4J carries on from our state exactly as from its own
        dl4jEpoch(ours, Minibatches.shuffled(data, 32, 10), sparse);
        dl4jEpoch(theirs, Minibatches.shuffled(data, 32, 10), sparse);
        assertThat(maxDifference(ours.params(), theirs.params())).isLessThan(2e-6);
    }

    @Test
    void adamWithOneHotCrossEntropyMatchesDl4jOverTwoEpochs() {
        trainsLikeDl4j(new Adam(0.01), LossFunction.MCXENT, false);
    }

    @Test
    void sgdWithSparseCrossEntropyMatchesDl4jOverTwoEpochs() {
        trainsLikeDl4j(new Sgd(0.2), LossFunction.SPARSE_MCXENT, true);
    }

    @Test
    void aLearningRateScheduleIsFollowed() {
        trainsLikeDl4j(new Adam(new org.nd4j.linalg.schedule.StepSchedule(
                org.nd4j.linalg.schedule.ScheduleType.ITERATION, 0.02, 0.5, 4)), LossFunction.MCXENT, false);
    }

    /** {@code layers} (the first a hidden layer of 8), then a softmax output layer, with {@code base}'s settings. */
    private static MultiLayerNetwork relu8(NeuralNetConfiguration.Builder base,
                                           org.deeplearning4j.nn.conf.layers.Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = base.list();
        for (org.deeplearning4j.nn.conf.layers.Layer layer : layers) {
            list.layer(layer);
        }
        list.layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(CLASSES).activation(Activation.SOFTMAX)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    @Test
    void whatItDoesNotReproduceIsLeftToDl4j() {
        MultiLayerNetwork withL2 = relu8(new NeuralNetConfiguration.Builder().updater(new Adam(0.01)).l2(1e-4),
                new DenseLayer.Builder().nIn(FEATURES).nOut(8).activation(Activation.RELU).build());
        assertThat(DenseFit.unsupported(withL2)).contains("regularized");

        MultiLayerNetwork withDropout = relu8(new NeuralNetConfiguration.Builder().updater(new Adam(0.01)),
                new DenseLayer.Builder().nIn(FEATURES).nOut(8).activation(Activation.RELU).dropOut(0.5).build());
        assertThat(DenseFit.unsupported(withDropout)).contains("dropout");

        MultiLayerNetwork dropoutLayer = relu8(new NeuralNetConfiguration.Builder().updater(new Adam(0.01)),
                new DenseLayer.Builder().nIn(FEATURES).nOut(8).activation(Activation.RELU).build(),
                new DropoutLayer.Builder(0.5).build());
        assertThat(DenseFit.unsupported(dropoutLayer)).contains("layer 1");

        MultiLayerNetwork nesterovs = network(new Nesterovs(0.01, 0.9), LossFunction.MCXENT, 1);
        assertThat(DenseFit.unsupported(nesterovs)).contains("Nesterovs");

        MultiLayerNetwork listened = network(new Adam(0.01), LossFunction.MCXENT, 1);
        listened.setListeners(new ScoreIterationListener(1000));
        assertThat(DenseFit.unsupported(listened)).contains("listeners");

        // and such a network still trains, through DL4J, exactly as DL4J trains it
        LabelledDataset data = data(64, 4);
        MultiLayerNetwork reference = withL2.clone();
        new Dl4jNetwork(withL2, false).fitEpoch(Minibatches.shuffled(data, 32, 1));
        dl4jEpoch(reference, Minibatches.shuffled(data, 32, 1), false);
        assertThat(maxDifference(withL2.params(), reference.params())).isZero();
    }
}
