package io.robustunit.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parameter gradient of {@link DenseBackprop} against central finite differences of the mean cross-entropy,
 * computed here in double precision from the same weights, and its independence of the number of threads.
 */
class DenseBackpropTest {

    private static final int[] WIDTHS = {12, 9, 7, 4};

    private static DenseBackprop network(long seed, int parallelism, boolean products) {
        DenseBackprop net = new DenseBackprop(WIDTHS, new Activation[] {Activation.tanh(), Activation.sigmoid()},
                parallelism, products);
        SplittableRandom random = new SplittableRandom(seed);
        for (int l = 0; l < net.layers(); l++) {
            for (float[] column : net.columns(l)) {
                for (int i = 0; i < column.length; i++) {
                    column[i] = (float) random.nextDouble(-0.8, 0.8);
                }
            }
            float[] bias = net.bias(l);
            for (int j = 0; j < bias.length; j++) {
                bias[j] = (float) random.nextDouble(-0.3, 0.3);
            }
        }
        net.columnsChanged();
        return net;
    }

    /** The mean loss in double precision, straight from the definition. */
    private static double meanLoss(DenseBackprop net, float[] x, int[] labels, int count) {
        double total = 0;
        for (int r = 0; r < count; r++) {
            double[] a = new double[WIDTHS[0]];
            for (int i = 0; i < a.length; i++) {
                a[i] = x[r * WIDTHS[0] + i];
            }
            for (int l = 0; l < net.layers(); l++) {
                float[][] columns = net.columns(l);
                double[] z = new double[columns.length];
                for (int j = 0; j < z.length; j++) {
                    z[j] = net.bias(l)[j];
                    for (int i = 0; i < a.length; i++) {
                        z[j] += columns[j][i] * a[i];
                    }
                }
                if (l == 0) {
                    for (int j = 0; j < z.length; j++) {
                        z[j] = Math.tanh(z[j]);
                    }
                } else if (l == 1) {
                    for (int j = 0; j < z.length; j++) {
                        z[j] = 1 / (1 + Math.exp(-z[j]));
                    }
                }
                a = z;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : a) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : a) {
                sum += Math.exp(v - max);
            }
            total += -(a[labels[r]] - max - Math.log(sum));
        }
        return total / count;
    }

    private static float[] inputs(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[count * WIDTHS[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(3) == 0 ? 0f : (float) random.nextDouble();
        }
        return x;
    }

    /** Central difference of the mean loss in one parameter, over the step the float parameter really took. */
    private static double numeric(DenseBackprop net, float[] values, int index, float[] x, int[] labels, int count) {
        double h = 1e-2;
        float saved = values[index];
        float up = (float) (saved + h);
        float down = (float) (saved - h);
        values[index] = up;
        double lossUp = meanLoss(net, x, labels, count);
        values[index] = down;
        double lossDown = meanLoss(net, x, labels, count);
        values[index] = saved;
        return (lossUp - lossDown) / ((double) up - down);
    }

    /**
     * Both paths: the Java loops, and OpenBLAS products (nd4j-native is on the test class path), in one part and, from
     * 128 rows on, in two.
     */
    @ParameterizedTest
    @CsvSource({"false, 40", "true, 40", "true, 130"})
    void theGradientIsTheFiniteDifferenceOfTheMeanLoss(boolean products, int count) {
        DenseBackprop net = network(1, 2, products);
        float[] x = inputs(count, 2);
        int[] labels = new SplittableRandom(3).ints(count, 0, WIDTHS[3]).toArray();
        DenseBackprop.Gradient gradient = net.newGradient();
        double loss = net.gradient(x, labels, count, gradient);
        assertThat(loss).isCloseTo(meanLoss(net, x, labels, count), Offset.offset(1e-5));

        int checked = 0;
        for (int l = 0; l < net.layers(); l++) {
            float[][] columns = net.columns(l);
            for (int j = 0; j < columns.length; j += 2) {
                for (int i = 0; i < columns[j].length; i += 3) {
                    double numeric = numeric(net, columns[j], i, x, labels, count);
                    assertThat((double) gradient.columns(l)[j][i]).as("layer %d weight (%d, %d)", l, i, j)
                            .isCloseTo(numeric, Offset.offset(2e-4 + 2e-3 * Math.abs(numeric)));
                    checked++;
                }
            }
            for (int j = 0; j < net.bias(l).length; j++) {
                double numeric = numeric(net, net.bias(l), j, x, labels, count);
                assertThat((double) gradient.bias(l)[j]).as("layer %d bias %d", l, j)
                        .isCloseTo(numeric, Offset.offset(2e-4 + 2e-3 * Math.abs(numeric)));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(58);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theResultDoesNotDependOnTheNumberOfThreads(boolean products) {
        int count = 150;
        float[] x = inputs(count, 5);
        int[] labels = new SplittableRandom(6).ints(count, 0, WIDTHS[3]).toArray();
        DenseBackprop one = network(4, 1, products);
        DenseBackprop many = network(4, 8, products);
        DenseBackprop.Gradient a = one.newGradient();
        DenseBackprop.Gradient b = many.newGradient();
        assertThat(one.gradient(x, labels, count, a)).isEqualTo(many.gradient(x, labels, count, b));
        for (int l = 0; l < one.layers(); l++) {
            assertThat(a.bias(l)).containsExactly(b.bias(l));
            for (int j = 0; j < a.columns(l).length; j++) {
                assertThat(a.columns(l)[j]).containsExactly(b.columns(l)[j]);
            }
        }
    }

    @Test
    void aLabelThatIsNotAClassIsRejectedBeforeAnyWork() {
        DenseBackprop net = network(1, 1, false);
        assertThatThrownBy(() -> net.gradient(inputs(2, 1), new int[] {0, 4}, 2, net.newGradient()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 4 of example 1");
    }
}
