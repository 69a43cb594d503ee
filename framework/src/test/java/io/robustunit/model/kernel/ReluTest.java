package io.robustunit.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * ReLU and its derivative work on the floats' bits; they must give, bit for bit, {@code z > 0 ? z : 0} and
 * {@code a > 0 ? delta : 0}, on every kind of float.
 */
class ReluTest {

    private static float[] values() {
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, -1e-30f, 0.5f, -0.5f,
            1f, -1f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001)};
        SplittableRandom random = new SplittableRandom(11);
        float[] out = new float[edges.length + 2000];
        System.arraycopy(edges, 0, out, 0, edges.length);
        for (int i = edges.length; i < out.length; i++) {
            out[i] = Float.intBitsToFloat(random.nextInt());
        }
        return out;
    }

    @Test
    void appliesAsTheComparisonDoes() {
        float[] z = values();
        float[] a = new float[z.length];
        Activation.relu().apply(z, a, z.length);
        for (int i = 0; i < z.length; i++) {
            float expected = z[i] > 0f ? z[i] : 0f;
            assertThat(Float.floatToRawIntBits(a[i])).as("relu(%s)", z[i]).isEqualTo(Float.floatToRawIntBits(expected));
        }
        float[] inPlace = z.clone();
        Activation.relu().apply(inPlace, inPlace, inPlace.length);
        assertThat(inPlace).containsExactly(a);
    }

    @Test
    void masksDeltasAsTheComparisonDoes() {
        float[] a = values();
        float[] delta = values();
        float[] reversed = new float[delta.length];
        for (int i = 0; i < delta.length; i++) {
            reversed[i] = delta[delta.length - 1 - i];
        }
        float[] out = reversed.clone();
        Activation.relu().multiplyDerivative(null, a, out, out.length);
        for (int i = 0; i < a.length; i++) {
            float expected = a[i] > 0f ? reversed[i] : 0f;
            assertThat(Float.floatToRawIntBits(out[i])).as("a %s, delta %s", a[i], reversed[i])
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }
}
