package io.robustunit.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.LogitLoss;

/**
 * The logit SPI against double-precision finite differences: the kernels' exact override and the default that
 * derives everything from probabilities and cross-entropy gradients (DL4J's backprop adapter does not override it).
 * The reference logits are {@code ln p} of the double-precision network, exact up to a constant per example, which
 * no loss of {@link LogitLoss} sees.
 */
class LogitGradientTest {

    private static final int D = 8;
    private static final int H = 6;
    private static final int C = 5;
    private static final int ROWS = 4;
    private static final double STEP = 1e-6;

    /** The network under test, in float32 as the kernels require. */
    private static final MultiLayerNetwork NET = TestNets.mlp(D, H, C, Activation.TANH, 1.0, DataType.FLOAT, 21);

    /** The same parameters in double precision, for the finite differences. */
    private static final MultiLayerNetwork REFERENCE = NET.convertDataType(DataType.DOUBLE);

    private static DifferentiableClassifier classifier(boolean kernel) {
        DifferentiableClassifier model = kernel ? Dl4jClassifiers.of(NET) : Dl4jClassifiers.usingDl4jBackprop(NET);
        assertThat(model.description().contains("RobustUnit kernels")).as(model.description()).isEqualTo(kernel);
        return model;
    }

    @ParameterizedTest(name = "kernel {0}")
    @ValueSource(booleans = {true, false})
    void logitsAreTheLogProbabilitiesUpToAConstantPerExample(boolean kernel) {
        float[] x = TestNets.inputs(ROWS, D, 17);
        float[] z = new float[ROWS * C];
        classifier(kernel).logits(x, 0, ROWS, z);
        for (int r = 0; r < ROWS; r++) {
            double[] reference = logProbabilities(x, r, -1, 0);
            double shift = z[r * C] - reference[0];
            for (int k = 0; k < C; k++) {
                assertThat(z[r * C + k] - reference[k]).as("z[%d][%d] − ln p", r, k).isCloseTo(shift, within(2e-6));
            }
        }
    }

    @ParameterizedTest(name = "kernel {0}")
    @ValueSource(booleans = {true, false})
    void aFixedZeroSumWeightingMatchesFiniteDifferences(boolean kernel) {
        SplittableRandom random = new SplittableRandom(3);
        double[][] u = new double[ROWS][C];
        for (double[] row : u) {
            double mean = 0;
            for (int k = 0; k < C; k++) {
                row[k] = random.nextDouble(-1, 1);
                mean += row[k] / C;
            }
            for (int k = 0; k < C; k++) {
                row[k] -= mean;
            }
        }
        LogitLoss loss = (example, logits, lo, gradient, go, classes) -> {
            for (int k = 0; k < classes; k++) {
                gradient[go + k] = (float) u[example][k];
            }
        };
        check(classifier(kernel), loss, (row, logp) -> {
            double value = 0;
            for (int k = 0; k < C; k++) {
                value += u[row][k] * logp[k];
            }
            return value;
        });
    }

    @ParameterizedTest(name = "kernel {0}")
    @ValueSource(booleans = {true, false})
    void theDlrLossMatchesFiniteDifferences(boolean kernel) {
        int[] y = TestNets.labels(ROWS, C);
        LogitLoss dlr = (example, logits, lo, gradient, go, classes) -> {
            double[] z = new double[classes];
            for (int k = 0; k < classes; k++) {
                z[k] = logits[lo + k];
            }
            int[] order = order(z);
            int other = order[0] == y[example] ? order[1] : order[0];
            double n = z[y[example]] - z[other];
            double d = z[order[0]] - z[order[2]];
            double[] g = new double[classes];
            g[y[example]] -= 1 / d;
            g[other] += 1 / d;
            g[order[0]] += n / (d * d);
            g[order[2]] -= n / (d * d);
            for (int k = 0; k < classes; k++) {
                gradient[go + k] = (float) g[k];
            }
        };
        check(classifier(kernel), dlr, (row, logp) -> {
            int[] order = order(logp);
            int other = order[0] == y[row] ? order[1] : order[0];
            return -(logp[y[row]] - logp[other]) / (logp[order[0]] - logp[order[2]]);
        });
    }

    @ParameterizedTest(name = "kernel {0}")
    @ValueSource(booleans = {true, false})
    void aGradientThatDoesNotSumToZeroIsRejected(boolean kernel) {
        float[] x = TestNets.inputs(ROWS, D, 17);
        LogitLoss bad = (example, logits, lo, gradient, go, classes) -> gradient[go] = 1f;
        assertThatThrownBy(() -> classifier(kernel).logitGradient(x, 0, ROWS, bad, new float[ROWS * C],
                new float[ROWS * D])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sums to 1.0 but must sum to zero");
    }

    private interface LossOfLogits {
        double value(int row, double[] logProbabilities);
    }

    private static void check(DifferentiableClassifier model, LogitLoss loss, LossOfLogits reference) {
        float[] x = TestNets.inputs(ROWS + 2, D, 17);
        float[] logits = new float[(ROWS + 2) * C];
        float[] gradient = new float[(ROWS + 2) * D];
        model.logitGradient(x, 1, ROWS, (example, z, lo, g, go, classes) -> loss.gradient(example - 1, z, lo, g, go,
                classes), logits, gradient);
        for (int r = 0; r < ROWS; r++) {
            int row = r;
            for (int i = 0; i < D; i++) {
                double plus = reference.value(row, logProbabilities(x, r + 1, i, STEP));
                double minus = reference.value(row, logProbabilities(x, r + 1, i, -STEP));
                double numeric = (plus - minus) / (2 * STEP);
                assertThat((double) gradient[(r + 1) * D + i]).as("∂L/∂x[%d][%d]", r, i)
                        .isCloseTo(numeric, within(2e-6 + 1e-4 * Math.abs(numeric)));
            }
        }
        assertThat(java.util.Arrays.copyOfRange(gradient, 0, D)).containsOnly(0f);
    }

    /** ln p of row {@code row} with feature {@code feature} moved by {@code delta}, in double precision. */
    private static double[] logProbabilities(float[] x, int row, int feature, double delta) {
        double[] xr = new double[D];
        for (int i = 0; i < D; i++) {
            xr[i] = x[row * D + i];
        }
        if (feature >= 0) {
            xr[feature] += delta;
        }
        INDArray p = REFERENCE.output(Nd4j.create(xr, new long[] {1, D}), false);
        double[] out = new double[C];
        for (int k = 0; k < C; k++) {
            out[k] = Math.log(p.getDouble(0, k));
        }
        return out;
    }

    /** Class indices by decreasing value. */
    private static int[] order(double[] z) {
        return java.util.stream.IntStream.range(0, z.length).boxed()
                .sorted((a, b) -> Double.compare(z[b], z[a])).mapToInt(Integer::intValue).toArray();
    }

}
