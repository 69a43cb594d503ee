package io.robustunit.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import io.robustunit.model.DifferentiableClassifier;

class KernelClassifierTest {

    private static final int D = 30;
    private static final int H = 20;
    private static final int C = 5;

    @ParameterizedTest
    @CsvSource({"RELU, relu", "TANH, tanh", "SIGMOID, sigmoid", "IDENTITY, identity"})
    void matchesTheHandWrittenReferenceMlp(Activation activation, String name) {
        MultiLayerNetwork net = TestNets.mlp(D, H, C, activation, 1.0, DataType.FLOAT, 11);
        DifferentiableClassifier kernel = Dl4jClassifiers.of(net);
        ReferenceMlp reference = new ReferenceMlp(net, name);
        int rows = 40;
        float[] x = TestNets.inputs(rows, D, 5);
        int[] y = TestNets.labels(rows, C);
        float[] p = new float[rows * C];
        float[] g = new float[rows * D];

        kernel.probabilities(x, 0, rows, p);
        kernel.lossGradient(x, y, 0, rows, g);

        assertThat(kernel.description()).isEqualTo("MultiLayerNetwork [30] -> 5 (RobustUnit kernels)");
        for (int r = 0; r < rows; r++) {
            double[] xr = ReferenceMlp.row(x, r, D);
            double[] expectedP = reference.probabilities(xr);
            double[] expectedG = reference.gradient(xr, y[r]);
            for (int k = 0; k < C; k++) {
                assertThat(p[r * C + k]).as("p[%d][%d]", r, k).isCloseTo((float) expectedP[k], within(2e-6f));
            }
            for (int i = 0; i < D; i++) {
                assertThat(g[r * D + i]).as("g[%d][%d]", r, i).isCloseTo((float) expectedG[i], within(2e-6f));
            }
        }
    }

    @Test
    void agreesWithDl4jBackpropOnTheSameNetwork() {
        MultiLayerNetwork net = TestNets.mlp(D, H, C, Activation.RELU, 1.0, DataType.FLOAT, 3);
        DifferentiableClassifier kernel = Dl4jClassifiers.of(net);
        DifferentiableClassifier dl4j = Dl4jClassifiers.usingDl4jBackprop(net);
        int rows = 64;
        float[] x = TestNets.inputs(rows, D, 9);
        int[] y = TestNets.labels(rows, C);
        float[] gKernel = new float[rows * D];
        float[] gDl4j = new float[rows * D];
        float[] pKernel = new float[rows * C];
        float[] pDl4j = new float[rows * C];

        kernel.lossGradient(x, y, 0, rows, gKernel);
        dl4j.lossGradient(x, y, 0, rows, gDl4j);
        kernel.probabilities(x, 0, rows, pKernel);
        dl4j.probabilities(x, 0, rows, pDl4j);

        assertThat(dl4j.description()).contains("DL4J backprop");
        for (int i = 0; i < gKernel.length; i++) {
            assertThat(gKernel[i]).as("gradient %d", i).isCloseTo(gDl4j[i], within(1e-5f));
        }
        for (int i = 0; i < pKernel.length; i++) {
            assertThat(pKernel[i]).isCloseTo(pDl4j[i], within(1e-6f));
        }
    }

    @Test
    void batchedRowsAgreeWithRowsComputedOneByOne() {
        // from 65 rows on, an MLP's rows go through OpenBLAS products, one by one through the per-example kernels
        MultiLayerNetwork net = TestNets.mlp(D, H, C, Activation.RELU, 1.0, DataType.FLOAT, 4);
        DifferentiableClassifier kernel = Dl4jClassifiers.of(net);
        int rows = 200;
        float[] x = TestNets.inputs(rows, D, 2);
        int[] y = TestNets.labels(rows, C);
        float[] whole = new float[rows * D];
        float[] oneByOne = new float[rows * D];

        kernel.lossGradient(x, y, 0, rows, whole);
        for (int r = 0; r < rows; r++) {
            kernel.lossGradient(x, y, r, 1, oneByOne);
        }

        for (int i = 0; i < whole.length; i++) {
            assertThat(whole[i]).as("gradient %d", i).isCloseTo(oneByOne[i], within(1e-6f));
        }
    }

    @Test
    void writesOnlyTheRequestedRows() {
        DifferentiableClassifier kernel = Dl4jClassifiers.of(TestNets.mlp(D, H, C, Activation.RELU, 1.0, DataType.FLOAT, 4));
        float[] x = TestNets.inputs(10, D, 2);
        float[] p = new float[10 * C];
        java.util.Arrays.fill(p, -1f);

        kernel.probabilities(x, 3, 2, p);

        for (int r = 0; r < 10; r++) {
            float sum = 0;
            for (int k = 0; k < C; k++) {
                sum += p[r * C + k];
            }
            assertThat(sum).as("row %d", r).isCloseTo(r == 3 || r == 4 ? 1f : -C, within(1e-5f));
        }
    }

    @Test
    void isASnapshotOfTheWeights() {
        MultiLayerNetwork net = TestNets.mlp(D, H, C, Activation.RELU, 1.0, DataType.FLOAT, 4);
        DifferentiableClassifier kernel = Dl4jClassifiers.of(net);
        float[] x = TestNets.inputs(1, D, 1);
        float[] before = new float[C];
        kernel.probabilities(x, 0, 1, before);

        net.params().muli(2);
        float[] after = new float[C];
        kernel.probabilities(x, 0, 1, after);

        assertThat(after).containsExactly(before);
    }

    @Test
    void rejectsLabelsOutsideTheClasses() {
        DifferentiableClassifier kernel = Dl4jClassifiers.of(TestNets.mlp(D, H, C, Activation.RELU, 1.0, DataType.FLOAT, 4));
        float[] x = TestNets.inputs(2, D, 2);
        assertThatThrownBy(() -> kernel.lossGradient(x, new int[] {0, 5}, 0, 2, new float[2 * D]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label of example 1 is 5; labels must be in [0, 5)");
    }

    @Test
    void fallsBackToDl4jWhereTheKernelsDoNotApply() {
        MultiLayerNetwork doubleNet = TestNets.mlp(D, H, C, Activation.RELU, 1.0, DataType.DOUBLE, 4);
        assertThat(Dl4jClassifiers.kernelUnsupportedReason(doubleNet))
                .isEqualTo("the network has DOUBLE parameters; the kernels compute in float32");
        assertThat(Dl4jClassifiers.of(doubleNet).description()).contains("DL4J backprop");

        MultiLayerNetwork cube = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(D).nOut(H).activation(Activation.CUBE).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(H).nOut(C).activation(Activation.SOFTMAX).build())
                .build());
        cube.init();
        assertThat(Dl4jClassifiers.kernelUnsupportedReason(cube))
                .isEqualTo("layer 0 (DenseLayer) has the activation cube, which the kernels do not have");
        assertThat(Dl4jClassifiers.of(cube).description()).endsWith("(DL4J backprop)");
        assertThat(Dl4jClassifiers.kernelUnsupportedReason(TestNets.mlp(D, H, C, Activation.RELU, 1.0, DataType.FLOAT,
                4))).isNull();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"1, 1e-5", "7, 1e-5", "64, 1e-5", "200, 0", "500, 0"})
    void resultsDoNotDependOnTheBatchSize(int batchSize, float tolerance) {
        // an MLP's calls of more than 64 rows go through OpenBLAS in fixed blocks, so their bits cannot change with
        // the batch size; smaller calls (a small batch, or its rows still to attack) go through the per-example
        // kernels, which may round differently
        MultiLayerNetwork net = TestNets.mlp(D, H, C, Activation.RELU, 1.0, DataType.FLOAT, 21);
        DifferentiableClassifier kernel = Dl4jClassifiers.of(net);
        io.robustunit.data.LabelledDataset data = io.robustunit.data.LabelledDataset.of("random",
                TestNets.inputs(500, D, 3), TestNets.labels(500, C), D, C, io.robustunit.data.InputRange.UNIT);
        io.robustunit.attack.Attack pgd = io.robustunit.attack.Attacks.pgd(1.0, io.robustunit.attack.Norm.L2)
                .withSteps(5).withRandomStart(9);
        float[] reference = io.robustunit.metrics.RobustnessEvaluator.of(kernel).batchSize(100).evaluate(data, pgd)
                .adversarialExamples();
        float[] batched = io.robustunit.metrics.RobustnessEvaluator.of(kernel).batchSize(batchSize).evaluate(data, pgd)
                .adversarialExamples();
        if (tolerance == 0) {
            assertThat(batched).containsExactly(reference);
        } else {
            for (int i = 0; i < batched.length; i++) {
                assertThat(batched[i]).as("feature %d", i).isCloseTo(reference[i], within(tolerance));
            }
        }
    }
}
