package io.robustunit.example.mnist.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.attack.Attacks;
import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.peer.NpyArrays;
import io.robustunit.example.mnist.peer.PeerWeights;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.dl4j.Dl4jModels;

/**
 * Keras models as Keras saves them (the fixtures of {@code keras-fixtures/generate.py}: Keras 2 {@code .h5}, Keras 3
 * {@code .h5} and Keras 3 {@code .keras} of an MLP, a channels-last CNN, a Functional model with a branch, and a
 * model of every other layer RobustUnit imports: zero padding, strided "same" convolution, batch normalization,
 * activations, average and global average pooling, dropout, and a softmax {@code Activation} after a linear
 * {@code Dense}) open as
 * DL4J networks that compute Keras's numbers. The references are independent of the import: NumPy's forward pass on
 * the Keras-layout weights ({@code <model>-expected.npy}), plain Java math on the MLP's weights as PyTorch trained
 * them, and the same weights loaded into a DL4J network by hand ({@link PeerWeights}).
 */
class KerasImportTest {

    private static final double TOLERANCE = 1e-5;
    private static final int EXAMPLES = 100;

    private static LabelledDataset first;
    private static LabelledDataset test;

    @BeforeAll
    static void load() throws Exception {
        test = MnistData.test();
        first = test.slice(0, EXAMPLES);
    }

    static Stream<Arguments> files() {
        return Stream.of("mlp", "cnn", "branch", "layers").flatMap(model -> Stream.of(model + "-keras2.h5", model + "-keras3.h5",
                model + ".keras").map(file -> Arguments.of(file, model)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void theKernelsComputeNumPysProbabilities(String file, String model) throws Exception {
        DifferentiableClassifier classifier = Dl4jModels.trainable(Dl4jModels.loadResource("/keras/" + file))
                .classifier(MnistData.PIXELS);
        assertThat(classifier.description()).contains("RobustUnit kernels");
        assertClose(probabilities(classifier, first), expected(model));
    }

    /** DL4J's own forward pass, on the image as Keras takes it: rows of 784 pixels, or 28×28×1 channels-last. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void dl4jComputesNumPysProbabilities(String file, String model) throws Exception {
        Model network = Dl4jModels.loadResource("/keras/" + file);
        assertThat(network).isInstanceOf(model.equals("branch") ? ComputationGraph.class : MultiLayerNetwork.class);
        INDArray input = Nd4j.create(first.features(), new long[] {EXAMPLES, MnistData.PIXELS});
        if (model.equals("cnn") || model.equals("layers")) {
            input = input.reshape(EXAMPLES, 28, 28, 1);
        }
        INDArray output = network instanceof MultiLayerNetwork mln ? mln.output(input)
                : ((ComputationGraph) network).outputSingle(input);
        assertClose(output.reshape(EXAMPLES * 10L).toFloatVector(), expected(model));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp-keras2.h5", "mlp-keras3.h5", "mlp.keras"})
    void theMlpComputesPlainJavaMathOnTheTutorialsWeights(String file) throws Exception {
        float[] w1 = npy("W1");
        float[] b1 = npy("b1");
        float[] w2 = npy("W2");
        float[] b2 = npy("b2");
        float[] actual = probabilities(Dl4jModels.trainable(Dl4jModels.loadResource("/keras/" + file))
                .classifier(MnistData.PIXELS), first);
        float[] reference = new float[EXAMPLES * 10];
        for (int n = 0; n < EXAMPLES; n++) {
            double[] hidden = new double[128];
            for (int j = 0; j < 128; j++) {
                double sum = b1[j];
                for (int i = 0; i < 784; i++) {
                    sum += first.feature(n, i) * w1[i * 128 + j];
                }
                hidden[j] = Math.max(0, sum);
            }
            double[] logits = new double[10];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 10; k++) {
                logits[k] = b2[k];
                for (int j = 0; j < 128; j++) {
                    logits[k] += hidden[j] * w2[j * 10 + k];
                }
                max = Math.max(max, logits[k]);
            }
            double total = 0;
            for (int k = 0; k < 10; k++) {
                total += Math.exp(logits[k] - max);
            }
            for (int k = 0; k < 10; k++) {
                reference[n * 10 + k] = (float) (Math.exp(logits[k] - max) / total);
            }
        }
        assertClose(actual, reference);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp-keras2.h5", "mlp-keras3.h5", "mlp.keras"})
    void theMlpIsTheTutorialsWeightsLoadedIntoDl4jBitForBit(String file) throws Exception {
        Model imported = Dl4jModels.loadResource("/keras/" + file);
        MultiLayerNetwork byHand = PeerWeights.load(peerDirectory());
        assertThat(Dl4jModels.parameterDigest(imported)).isEqualTo(Dl4jModels.parameterDigest(byHand));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp-keras2.h5", "mlp-keras3.h5", "mlp.keras"})
    void fgsmOnTheImportedMlpGivesTheNumbersOfTheSameWeightsAsADl4jNetwork(String file) throws Exception {
        DifferentiableClassifier imported = Dl4jModels.trainable(Dl4jModels.loadResource("/keras/" + file))
                .classifier(MnistData.PIXELS);
        DifferentiableClassifier dl4j = Dl4jClassifiers.of(PeerWeights.load(peerDirectory()));
        for (double eps : new double[] {0.05, 0.1, 0.2}) {
            EvaluationResult a = RobustnessEvaluator.of(imported).evaluate(test, Attacks.fgsm(eps));
            EvaluationResult b = RobustnessEvaluator.of(dl4j).evaluate(test, Attacks.fgsm(eps));
            assertThat(a.clean().correct()).as("clean, ε=%s", eps).isEqualTo(b.clean().correct());
            assertThat(a.adversarial().correct()).as("FGSM, ε=%s", eps).isEqualTo(b.adversarial().correct());
        }
    }

    @Test
    void theThreeFormatsOfEachModelHoldTheSameWeights() throws Exception {
        for (String model : new String[] {"mlp", "cnn", "branch", "layers"}) {
            String digest = Dl4jModels.parameterDigest(Dl4jModels.loadResource("/keras/" + model + "-keras2.h5"));
            assertThat(Dl4jModels.parameterDigest(Dl4jModels.loadResource("/keras/" + model + "-keras3.h5")))
                    .as(model + "-keras3.h5").isEqualTo(digest);
            assertThat(Dl4jModels.parameterDigest(Dl4jModels.loadResource("/keras/" + model + ".keras")))
                    .as(model + ".keras").isEqualTo(digest);
        }
    }

    /**
     * The kernels compile the imported channels-last CNN and the graph; DL4J's own backprop on the same network is
     * the independent gradient. Two float32 gradients differ only where a component's sign comes down to rounding.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cnn-keras3.h5", "branch.keras"})
    void fgsmWithTheKernelsMatchesFgsmWithDl4jBackprop(String file) throws Exception {
        Model network = Dl4jModels.loadResource("/keras/" + file);
        LabelledDataset sample = test.stratifiedSample(2000, 42);
        double kernels = RobustnessEvaluator.of(Dl4jModels.trainable(network).classifier(MnistData.PIXELS))
                .evaluate(sample, Attacks.fgsm(0.1)).adversarialAccuracy();
        double backprop = RobustnessEvaluator.of(Dl4jModels.trainable(network).liveClassifier(MnistData.PIXELS))
                .evaluate(sample, Attacks.fgsm(0.1)).adversarialAccuracy();
        assertThat(kernels).isCloseTo(backprop, within(0.0015));
    }

    private static float[] probabilities(DifferentiableClassifier classifier, LabelledDataset data) {
        float[] probabilities = new float[data.size() * classifier.numClasses()];
        classifier.probabilities(data.features(), 0, data.size(), probabilities);
        return probabilities;
    }

    private static float[] expected(String model) throws Exception {
        NpyArrays.Array array = NpyArrays.read(resource("/keras/" + model + "-expected.npy"));
        assertThat(array.shape()).containsExactly(EXAMPLES, 10);
        return array.values();
    }

    private static float[] npy(String name) throws Exception {
        return NpyArrays.read(peerDirectory().resolve(name + ".npy")).values();
    }

    private static Path peerDirectory() throws Exception {
        return resource("/peer/W1.npy").getParent();
    }

    private static Path resource(String name) throws Exception {
        return Path.of(KerasImportTest.class.getResource(name).toURI());
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("value %d (example %d, class %d)", i, i / 10, i % 10)
                    .isCloseTo(expected[i], within(TOLERANCE));
        }
    }
}
