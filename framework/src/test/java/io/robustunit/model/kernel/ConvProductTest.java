package io.robustunit.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where OpenBLAS is available, a convolution's passes are {@code sgemm} products: per kernel element on a zero-padded
 * copy of the input, and back through the adjoint convolution, at stride 1; on {@code im2col} columns otherwise.
 * Elsewhere they are the Java loops, which the layer tests check against DL4J, PyTorch and finite differences. Both
 * must give the same outputs and input gradients, for every geometry (padding beyond the kernel, asymmetric padding,
 * dilation), for dense and sparse deltas, and from a scratch that has computed other examples before.
 */
class ConvProductTest {

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, kernel {4}x{5}, stride {6}x{7}, dilation {8}x{9}, "
            + "pad top {10} left {11} bottom {12} right {13}")
    @CsvSource({
        "1, 28, 28, 20, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0",
        "20, 12, 12, 50, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0",
        "3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1",
        "16, 32, 32, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1",
        "32, 16, 16, 64, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0",
        "5, 11, 9, 7, 3, 2, 2, 3, 2, 1, 2, 1, 2, 1",
        "2, 9, 10, 3, 4, 3, 1, 2, 1, 2, 0, 3, 0, 3",
        "4, 10, 9, 6, 3, 2, 1, 1, 2, 1, 2, 0, 2, 0",
        "3, 8, 8, 5, 3, 3, 1, 1, 1, 1, 3, 3, 3, 3",
        "3, 7, 7, 4, 2, 2, 1, 1, 1, 1, 0, 0, 1, 1",
        "6, 9, 8, 5, 4, 3, 1, 1, 1, 1, 1, 2, 2, 0",
        "8, 6, 6, 8, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0"})
    void productsMatchTheJavaLoops(int c, int h, int w, int outC, int kh, int kw, int sh, int sw, int dh, int dw,
                                   int padTop, int padLeft, int padBottom, int padRight) {
        assertThat(Blas.available()).as("OpenBLAS from nd4j-native on the test class path").isTrue();
        int outH = (h + padTop + padBottom - dh * (kh - 1) - 1) / sh + 1;
        int outW = (w + padLeft + padRight - dw * (kw - 1) - 1) / sw + 1;
        SplittableRandom random = new SplittableRandom(c * 31L + h);
        float[][] weights = new float[outC][c * kh * kw];
        for (float[] row : weights) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextDouble(-0.5, 0.5);
            }
        }
        float[] bias = new float[outC];
        for (int o = 0; o < outC; o++) {
            bias[o] = (float) random.nextDouble(-0.2, 0.2);
        }
        ConvOp op = new ConvOp(new Shape(c, h, w), new Shape(outC, outH, outW), kh, kw, sh, sw, dh, dw, padTop, padLeft,
                weights, bias, Activation.relu());
        int size = outC * outH * outW;
        // one scratch for the products through every example, a new one for the loops each time
        Object productScratch = op.newScratch(true);
        for (double density : new double[] {1.0, 0.3, 0.05, 0.6}) {
            float[] x = new float[c * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextInt(3) == 0 ? 0f : (float) random.nextDouble();
            }
            float[] delta = new float[size];
            for (int i = 0; i < size; i++) {
                delta[i] = random.nextDouble() < density ? (float) random.nextDouble(-1, 1) : 0f;
            }
            float[][] loops = passes(op, op.newScratch(false), x, delta);
            float[][] products = passes(op, productScratch, x, delta);

            for (int i = 0; i < size; i++) {
                assertThat(products[0][i]).as("output %d", i).isCloseTo(loops[0][i], within(1e-5f));
            }
            double largest = 0;
            for (int i = 0; i < x.length; i++) {
                assertThat(products[1][i]).as("input gradient %d at density %s", i, density)
                        .isCloseTo(loops[1][i], within(1e-5f));
                largest = Math.max(largest, Math.abs(loops[1][i]));
            }
            assertThat(largest).as("something was back-propagated").isGreaterThan(1e-3);
        }
    }

    /** @return the output and the input gradient, which starts at 0.25 everywhere to show that it is added to */
    private static float[][] passes(ConvOp op, Object scratch, float[] x, float[] delta) {
        float[] out = new float[op.shape.size()];
        op.forward(new float[][] {x}, out, scratch);
        float[] dx = new float[x.length];
        java.util.Arrays.fill(dx, 0.25f);
        op.backward(new float[][] {x}, out, delta.clone(), new float[][] {dx}, scratch);
        return new float[][] {out, dx};
    }
}
