package io.robustunit.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.LogitLoss;

/**
 * Calls of more than 64 rows on a stack of dense layers go through OpenBLAS in blocks of 64 rows ({@link DenseStack}).
 * Checked here against a double-precision evaluation written out below, against the per-example kernels of smaller
 * calls, and for rows that depend on nothing but their own values.
 */
class DenseStackTest {

    private static final int[] WIDTHS = {50, 33, 24, 7};
    private static final int ROWS = 150;

    private static float[][][] weights;
    private static float[][] biases;

    @BeforeAll
    static void weights() {
        assertThat(Blas.available()).as("OpenBLAS from nd4j-native on the test class path").isTrue();
        // ND4J's backend sets OpenBLAS's thread count, OMP_NUM_THREADS=1 under Maven: the kernels then split blocks
        // over their own threads
        org.nd4j.linalg.factory.Nd4j.create(1);
        assertThat(Blas.threads()).isEqualTo(1);
        SplittableRandom random = new SplittableRandom(5);
        weights = new float[WIDTHS.length - 1][][];
        biases = new float[WIDTHS.length - 1][];
        for (int l = 0; l + 1 < WIDTHS.length; l++) {
            weights[l] = new float[WIDTHS[l]][WIDTHS[l + 1]];
            biases[l] = new float[WIDTHS[l + 1]];
            double scale = 1.5 / Math.sqrt(WIDTHS[l]);
            for (float[] row : weights[l]) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) (scale * (2 * random.nextDouble() - 1));
                }
            }
            for (int j = 0; j < biases[l].length; j++) {
                biases[l][j] = (float) (0.2 * (2 * random.nextDouble() - 1));
            }
        }
    }

    private static KernelGraph graph(Activation hidden) {
        KernelGraph.Builder b = KernelGraph.builder(Shape.vector(WIDTHS[0]));
        int node = 0;
        for (int l = 0; l < weights.length; l++) {
            node = b.dense(node, weights[l], biases[l], l + 1 < weights.length ? hidden : Activation.identity());
        }
        return b.build();
    }

    /** Image-like rows: about half the features are exactly zero, the rest in [0, 1). */
    private static float[] inputs(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * WIDTHS[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextBoolean() ? 0f : (float) random.nextDouble();
        }
        return x;
    }

    private static int[] labels(int rows) {
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = (r * 7 + 3) % WIDTHS[WIDTHS.length - 1];
        }
        return y;
    }

    private static DoubleUnaryOperator function(String name) {
        return switch (name) {
            case "relu" -> z -> Math.max(z, 0);
            case "tanh" -> Math::tanh;
            case "sigmoid" -> z -> 1 / (1 + Math.exp(-z));
            case "identity" -> z -> z;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static DoubleUnaryOperator derivative(String name) {
        return switch (name) {
            case "relu" -> z -> z > 0 ? 1 : 0;
            case "tanh" -> z -> 1 - Math.tanh(z) * Math.tanh(z);
            case "sigmoid" -> z -> Math.exp(-z) / ((1 + Math.exp(-z)) * (1 + Math.exp(-z)));
            case "identity" -> z -> 1;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Activation activation(String name) {
        return switch (name) {
            case "relu" -> Activation.relu();
            case "tanh" -> Activation.tanh();
            case "sigmoid" -> Activation.sigmoid();
            case "identity" -> Activation.identity();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Logits and the input gradient of the cross-entropy, in double, for one row. */
    private static double[][] reference(float[] x, int row, int label, String name) {
        DoubleUnaryOperator f = function(name);
        DoubleUnaryOperator fPrime = derivative(name);
        int layers = weights.length;
        double[][] a = new double[layers + 1][];
        a[0] = new double[WIDTHS[0]];
        for (int i = 0; i < WIDTHS[0]; i++) {
            a[0][i] = x[row * WIDTHS[0] + i];
        }
        double[][] z = new double[layers][];
        for (int l = 0; l < layers; l++) {
            z[l] = new double[WIDTHS[l + 1]];
            a[l + 1] = new double[WIDTHS[l + 1]];
            for (int j = 0; j < WIDTHS[l + 1]; j++) {
                double s = biases[l][j];
                for (int i = 0; i < WIDTHS[l]; i++) {
                    s += a[l][i] * weights[l][i][j];
                }
                z[l][j] = s;
                a[l + 1][j] = l + 1 < layers ? f.applyAsDouble(s) : s;
            }
        }
        double[] logits = a[layers];
        double max = Arrays.stream(logits).max().orElseThrow();
        double sum = Arrays.stream(logits).map(v -> Math.exp(v - max)).sum();
        double[] delta = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            delta[k] = Math.exp(logits[k] - max) / sum - (k == label ? 1 : 0);
        }
        for (int l = layers - 1; l >= 0; l--) {
            if (l + 1 < layers) {
                for (int j = 0; j < delta.length; j++) {
                    delta[j] *= fPrime.applyAsDouble(z[l][j]);
                }
            }
            double[] below = new double[WIDTHS[l]];
            for (int i = 0; i < WIDTHS[l]; i++) {
                for (int j = 0; j < delta.length; j++) {
                    below[i] += delta[j] * weights[l][i][j];
                }
            }
            delta = below;
        }
        return new double[][] {logits, delta};
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "tanh", "sigmoid", "identity"})
    void batchedRowsMatchADoublePrecisionEvaluation(String name) {
        DifferentiableClassifier c = graph(activation(name)).classifier(2, "stack");
        float[] x = inputs(ROWS, 1);
        int[] y = labels(ROWS);
        float[] logits = new float[ROWS * 7];
        float[] g = new float[ROWS * WIDTHS[0]];

        c.logits(x, 0, ROWS, logits);
        c.lossGradient(x, y, 0, ROWS, g);

        for (int r = 0; r < ROWS; r++) {
            double[][] expected = reference(x, r, y[r], name);
            for (int k = 0; k < 7; k++) {
                assertThat(logits[r * 7 + k]).as("logit %d of row %d", k, r).isCloseTo((float) expected[0][k],
                        within(2e-5f));
            }
            for (int i = 0; i < WIDTHS[0]; i++) {
                assertThat(g[r * WIDTHS[0] + i]).as("gradient %d of row %d", i, r).isCloseTo((float) expected[1][i],
                        within(2e-5f));
            }
        }
    }

    @Test
    void everyEntryPointAgreesWithThePerExampleKernels() {
        DifferentiableClassifier c = graph(Activation.relu()).classifier(2, "stack");
        float[] x = inputs(ROWS, 2);
        int[] y = labels(ROWS);
        int d = WIDTHS[0];
        LogitLoss margin = (example, z, at, out, outAt, classes) -> {
            // the gradient of z[label] − z[best other], which sums to zero
            int label = y[example];
            int other = label == 0 ? 1 : 0;
            for (int k = 0; k < classes; k++) {
                out[outAt + k] = 0f;
                if (k != label && z[at + k] > z[at + other]) {
                    other = k;
                }
            }
            out[outAt + label] = 1f;
            out[outAt + other] = -1f;
        };
        float[][] batched = {new float[ROWS * 7], new float[ROWS * d], new float[ROWS * 7], new float[ROWS * d]};
        float[][] single = {new float[ROWS * 7], new float[ROWS * d], new float[ROWS * 7], new float[ROWS * d]};
        float[] logitsB = new float[ROWS * 7];
        float[] logitsS = new float[ROWS * 7];

        c.probabilities(x, 0, ROWS, batched[0]);
        c.lossGradient(x, y, 0, ROWS, batched[1]);
        c.logits(x, 0, ROWS, batched[2]);
        c.logitGradient(x, 0, ROWS, margin, logitsB, batched[3]);
        for (int r = 0; r < ROWS; r++) {
            c.probabilities(x, r, 1, single[0]);
            c.lossGradient(x, y, r, 1, single[1]);
            c.logits(x, r, 1, single[2]);
            c.logitGradient(x, r, 1, margin, logitsS, single[3]);
        }

        for (int m = 0; m < batched.length; m++) {
            for (int i = 0; i < batched[m].length; i++) {
                assertThat(batched[m][i]).as("output %d, value %d", m, i).isCloseTo(single[m][i], within(1e-5f));
            }
        }
        for (int i = 0; i < logitsB.length; i++) {
            assertThat(logitsB[i]).as("logit %d", i).isCloseTo(logitsS[i], within(1e-5f));
        }
        for (float[] values : batched) {
            double largest = 0;
            for (float v : values) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertThat(largest).as("something was computed").isGreaterThan(1e-2);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 100, 128, 147})
    void aRowsBitsDependOnItsValuesOnlyNotOnTheBatchOrTheThreads(int batch) {
        KernelGraph graph = graph(Activation.relu());
        float[] x = inputs(ROWS, 3);
        int[] y = labels(ROWS);
        int d = WIDTHS[0];
        float[] reference = new float[ROWS * d];
        graph.classifier(1, "one thread").lossGradient(x, y, 0, ROWS, reference);

        DifferentiableClassifier twoThreads = graph.classifier(2, "two threads");
        float[] g = new float[ROWS * d];
        // batches from an odd offset, so that no row sits where it sat in the reference's blocks
        int start = 3;
        while (start < ROWS) {
            int rows = Math.min(batch, ROWS - start);
            if (rows < DenseStack.MIN_ROWS) {
                // a short tail is computed in a call of the smallest batched size, ending at the last row
                twoThreads.lossGradient(x, y, ROWS - DenseStack.MIN_ROWS, DenseStack.MIN_ROWS, g);
            } else {
                twoThreads.lossGradient(x, y, start, rows, g);
            }
            start += rows;
        }
        twoThreads.lossGradient(x, y, 0, DenseStack.MIN_ROWS, g);

        assertThat(g).containsExactly(reference);
    }

    @Test
    void aRowOfNaNsStaysInItsRow() {
        DifferentiableClassifier c = graph(Activation.tanh()).classifier(2, "stack");
        float[] x = inputs(100, 4);
        float[] clean = new float[100 * 7];
        c.probabilities(x, 0, 100, clean);

        Arrays.fill(x, 70 * WIDTHS[0], 71 * WIDTHS[0], Float.NaN);
        float[] p = new float[100 * 7];
        c.probabilities(x, 0, 100, p);

        for (int r = 0; r < 100; r++) {
            float[] row = Arrays.copyOfRange(p, r * 7, r * 7 + 7);
            if (r == 70) {
                assertThat(row).containsOnly(Float.NaN);
            } else {
                assertThat(row).as("row %d", r).containsExactly(Arrays.copyOfRange(clean, r * 7, r * 7 + 7));
            }
        }
    }

    @Test
    void onlyAChainOfDenseLayersIsAStack() {
        assertThat(DenseStack.of(graph(Activation.relu()).nodes())).isNotNull();

        KernelGraph.Builder branch = KernelGraph.builder(Shape.vector(WIDTHS[0]));
        int h = branch.dense(0, weights[0], biases[0], Activation.relu());
        float[][] square = new float[WIDTHS[0]][WIDTHS[1]];
        int skip = branch.dense(0, square, biases[0], Activation.identity());
        int sum = branch.elementwise("ADD", h, skip);
        branch.dense(sum, weights[1], biases[1], Activation.identity());
        assertThat(DenseStack.of(branch.build().nodes())).isNull();
    }
}
