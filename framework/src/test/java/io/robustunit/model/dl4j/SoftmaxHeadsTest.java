package io.robustunit.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalInt;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;
import io.robustunit.data.Minibatches;
import io.robustunit.model.DifferentiableClassifier;

/**
 * A softmax head without a loss, as DL4J's Keras importer makes it (a softmax {@code DenseLayer}, or a linear one and
 * a softmax {@code ActivationLayer}), is attacked as the same weights with an {@code OutputLayer} and cross-entropy:
 * the same probabilities and the same input gradients, from the kernels and from DL4J's backprop.
 */
class SoftmaxHeadsTest {

    private static final int INPUTS = 6;
    private static final int HIDDEN = 5;
    private static final int CLASSES = 3;
    private static final int EXAMPLES = 7;

    private static NeuralNetConfiguration.ListBuilder layers() {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(HIDDEN).activation(Activation.TANH).build());
    }

    /** The reference: the head as DL4J users write it. */
    private static MultiLayerNetwork withOutputLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(layers().layer(new OutputLayer.Builder(LossFunction.MCXENT)
                .nIn(HIDDEN).nOut(CLASSES).activation(Activation.SOFTMAX).build()).build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork softmaxDense(MultiLayerNetwork reference) {
        MultiLayerConfiguration conf = layers().layer(new DenseLayer.Builder().nIn(HIDDEN).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(reference.params().dup(), false);
        return net;
    }

    private static MultiLayerNetwork denseThenSoftmax(MultiLayerNetwork reference) {
        MultiLayerConfiguration conf = layers().layer(new DenseLayer.Builder().nIn(HIDDEN).nOut(CLASSES)
                .activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(Activation.SOFTMAX).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(reference.params().dup(), false);
        return net;
    }

    @Test
    void aSoftmaxDenseHeadIsAttackedAsAnOutputLayerWithCrossEntropy() {
        MultiLayerNetwork reference = withOutputLayer();
        assertSameClassifier(Dl4jClassifiers.of(softmaxDense(reference)), Dl4jClassifiers.of(reference), true);
        assertSameClassifier(Dl4jClassifiers.usingDl4jBackprop(softmaxDense(reference)),
                Dl4jClassifiers.of(reference), false);
    }

    @Test
    void aLinearDenseFollowedBySoftmaxIsAttackedAsAnOutputLayerWithCrossEntropy() {
        MultiLayerNetwork reference = withOutputLayer();
        assertSameClassifier(Dl4jClassifiers.of(denseThenSoftmax(reference)), Dl4jClassifiers.of(reference), true);
        assertSameClassifier(Dl4jClassifiers.usingDl4jBackprop(denseThenSoftmax(reference)),
                Dl4jClassifiers.of(reference), false);
    }

    @Test
    void aGraphEndingInDenseAndSoftmaxIsAttackedAsAnOutputLayerWithCrossEntropy() {
        ComputationGraph reference = TestNets.graph(INPUTS, HIDDEN, CLASSES, Activation.TANH, 1.0,
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 5);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().updater(new Sgd(0.1)).graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(INPUTS).nOut(HIDDEN).activation(Activation.TANH)
                        .build(), "in")
                .addLayer("logits", new DenseLayer.Builder().nIn(HIDDEN).nOut(CLASSES).activation(Activation.IDENTITY)
                        .build(), "hidden")
                .addLayer("softmax", new ActivationLayer.Builder().activation(Activation.SOFTMAX).build(), "logits")
                .setOutputs("softmax").build();
        ComputationGraph lossless = new ComputationGraph(conf);
        lossless.init(reference.params().dup(), false);
        assertSameClassifier(Dl4jClassifiers.of(lossless), Dl4jClassifiers.of(reference), true);
        // the classifier that follows training runs on the kernels too, recompiled as the parameters change
        assertSameClassifier(Dl4jClassifiers.of(lossless, OptionalInt.empty(), true), Dl4jClassifiers.of(reference),
                true);
    }

    @Test
    void givingTheHeadItsLossKeepsEveryParameter() {
        MultiLayerNetwork reference = withOutputLayer();
        for (MultiLayerNetwork lossless : new MultiLayerNetwork[] {softmaxDense(reference), denseThenSoftmax(reference)}) {
            assertThat(SoftmaxHeads.hasLosslessHead(lossless)).isTrue();
            Model headed = SoftmaxHeads.withLoss(lossless);
            MultiLayerConfiguration conf = ((MultiLayerNetwork) headed).getLayerWiseConfigurations();
            assertThat(conf.getConfs()).hasSize(2);
            assertThat(conf.getConf(1).getLayer()).isInstanceOfSatisfying(OutputLayer.class,
                    out -> assertThat(out.getLossFn()).isInstanceOf(LossMCXENT.class));
            assertThat(Dl4jModels.parameterDigest(headed)).isEqualTo(Dl4jModels.parameterDigest(reference));
            assertThat(SoftmaxHeads.hasLosslessHead(headed)).isFalse();
        }
        assertThat(SoftmaxHeads.withLoss(reference)).isSameAs(reference);
    }

    @Test
    void trainingANetworkWithoutALossInPlaceIsRefusedWithWhatToDo() {
        MultiLayerNetwork lossless = softmaxDense(withOutputLayer());
        LabelledDataset data = LabelledDataset.of("tiny", TestNets.inputs(EXAMPLES, INPUTS, 1),
                TestNets.labels(EXAMPLES, CLASSES), INPUTS, CLASSES, InputRange.UNIT);
        assertThatThrownBy(() -> Dl4jModels.trainable(lossless).fitEpoch(Minibatches.inOrder(data, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the MultiLayerNetwork ends in a softmax layer without a loss function, as DL4J's Keras "
                        + "importer makes it, so DL4J cannot train it in place; load the Keras file with "
                        + "Dl4jModels.load, which gives it its cross-entropy loss");
    }

    private static void assertSameClassifier(DifferentiableClassifier actual, DifferentiableClassifier expected,
                                             boolean kernels) {
        assertThat(actual.description().contains("RobustUnit kernels")).as(actual.description()).isEqualTo(kernels);
        float[] x = TestNets.inputs(EXAMPLES, INPUTS, 11);
        int[] labels = {0, 1, 2, 2, 1, 0, 1};
        float[] p = new float[EXAMPLES * CLASSES];
        float[] q = new float[EXAMPLES * CLASSES];
        actual.probabilities(x, 0, EXAMPLES, p);
        expected.probabilities(x, 0, EXAMPLES, q);
        float[] g = new float[x.length];
        float[] h = new float[x.length];
        actual.lossGradient(x, labels, 0, EXAMPLES, g);
        expected.lossGradient(x, labels, 0, EXAMPLES, h);
        for (int i = 0; i < p.length; i++) {
            assertThat((double) p[i]).as("probability %d", i).isCloseTo(q[i], within(1e-6));
        }
        for (int i = 0; i < g.length; i++) {
            assertThat((double) g[i]).as("gradient %d", i).isCloseTo(h[i], within(1e-6));
        }
    }
}
