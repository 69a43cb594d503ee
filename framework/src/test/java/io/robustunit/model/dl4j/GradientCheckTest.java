package io.robustunit.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import io.robustunit.model.DifferentiableClassifier;

/**
 * Central finite differences of the inference-mode loss, in double precision, against the adapters'
 * analytic input gradients. The networks are configured with dropout, which DL4J applies whenever it
 * computes gradients; the adapters must not.
 */
class GradientCheckTest {

    private static final int D = 8;
    private static final int H = 6;
    private static final int C = 4;
    private static final double STEP = 1e-6;

    @Test
    void multiLayerNetworkGradientMatchesFiniteDifferencesDespiteDropout() {
        MultiLayerNetwork net = TestNets.mlp(D, H, C, Activation.TANH, 0.5, DataType.DOUBLE, 21);
        check(Dl4jClassifiers.of(net), x -> net.output(x, false));
    }

    @Test
    void computationGraphGradientMatchesFiniteDifferencesDespiteDropout() {
        ComputationGraph graph = TestNets.graph(D, H, C, Activation.TANH, 0.5, DataType.DOUBLE, 21);
        check(Dl4jClassifiers.of(graph), x -> graph.outputSingle(false, x));
    }

    @Test
    void dl4jsOwnTrainingModeGradientIsNoisyWithDropout() {
        MultiLayerNetwork net = TestNets.mlp(D, H, C, Activation.TANH, 0.5, DataType.DOUBLE, 21);
        INDArray x = Nd4j.create(TestNets.inputs(4, D, 3), new long[] {4, D}).castTo(DataType.DOUBLE);
        INDArray y = Nd4j.eye(C).castTo(DataType.DOUBLE);
        INDArray first = net.calculateGradients(x, y, null, null).getSecond().dup();
        INDArray second = net.calculateGradients(x, y, null, null).getSecond().dup();
        assertThat(first.sub(second).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void computingGradientsLeavesTheNetworkUntouched() {
        MultiLayerNetwork net = TestNets.mlp(D, H, C, Activation.RELU, 0.5, DataType.FLOAT, 5);
        INDArray params = net.params().dup();
        int iterations = net.getIterationCount();
        DifferentiableClassifier model = Dl4jClassifiers.usingDl4jBackprop(net);
        model.lossGradient(TestNets.inputs(3, D, 1), TestNets.labels(3, C), 0, 3, new float[3 * D]);
        assertThat(net.params()).isEqualTo(params);
        assertThat(net.getIterationCount()).isEqualTo(iterations);
    }

    private interface Forward {
        INDArray probabilities(INDArray x);
    }

    private static void check(DifferentiableClassifier model, Forward forward) {
        int rows = 3;
        float[] x = TestNets.inputs(rows, D, 17);
        int[] y = TestNets.labels(rows, C);
        float[] gradient = new float[rows * D];
        float[] again = new float[rows * D];
        model.lossGradient(x, y, 0, rows, gradient);
        model.lossGradient(x, y, 0, rows, again);
        assertThat(again).containsExactly(gradient);

        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < D; i++) {
                double plus = loss(forward, x, r, i, STEP, y[r]);
                double minus = loss(forward, x, r, i, -STEP, y[r]);
                double numeric = (plus - minus) / (2 * STEP);
                assertThat((double) gradient[r * D + i]).as("∂J/∂x[%d][%d]", r, i)
                        .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
            }
        }
    }

    private static double loss(Forward forward, float[] x, int row, int feature, double delta, int label) {
        double[] xr = new double[D];
        for (int i = 0; i < D; i++) {
            xr[i] = x[row * D + i];
        }
        xr[feature] += delta;
        INDArray p = forward.probabilities(Nd4j.create(xr, new long[] {1, D}));
        return -Math.log(p.getDouble(0, label));
    }
}
