package io.robustunit.model.kernel;

/**
 * The two loops the dense kernel spends its time in. Both operate on whole arrays from index 0, which is
 * what lets HotSpot's C2 compiler turn them into SIMD code; offset or aliased forms are not vectorized
 * on JDK 17.
 */
final class VectorMath {

    private VectorMath() {
    }

    /** {@code y += a * x} over {@code y.length} elements. */
    static void axpy(float a, float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    /** {@code y += a0·x0 + a1·x1 + a2·x2 + a3·x3}: a quarter of the loads and stores of {@code y} of four axpys. */
    static void axpy4(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i];
        }
    }

    /**
     * {@code y += a0·x0 + a1·x1 + a2·x2 + a3·x3} and {@code z += b0·x0 + b1·x1 + b2·x2 + b3·x3} over {@code y.length}
     * elements, as fused multiply-adds in that order. Two outputs share each load of the four rows, which is the
     * widest form HotSpot's C2 still vectorizes on JDK 17 (wider ones fall back to scalar code): about 1.4 times the
     * multiply-adds per second of {@link #axpy4}.
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    static void axpy4x2(float a0, float a1, float a2, float a3, float b0, float b1, float b2, float b3,
                        float[] x0, float[] x1, float[] x2, float[] x3, float[] y, float[] z) {
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.fma(a3, x3[i], Math.fma(a2, x2[i], Math.fma(a1, x1[i], Math.fma(a0, x0[i], y[i]))));
            z[i] = Math.fma(b3, x3[i], Math.fma(b2, x2[i], Math.fma(b1, x1[i], Math.fma(b0, x0[i], z[i]))));
        }
    }

    /** {@code y += a0·x0 + a1·x1 + a2·x2 + a3·x3} as fused multiply-adds in that order. */
    static void fma4(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.fma(a3, x3[i], Math.fma(a2, x2[i], Math.fma(a1, x1[i], Math.fma(a0, x0[i], y[i]))));
        }
    }

    /** {@code y += a·x} as fused multiply-adds. */
    static void fma(float a, float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.fma(a, x[i], y[i]);
        }
    }

    /**
     * {@code y += Σ values[k]·rows[indices[k]]} over {@code k < count}, four rows per pass over {@code y}.
     */
    static void sparseCombination(float[][] rows, int[] indices, float[] values, int count, float[] y) {
        int k = 0;
        for (; k + 3 < count; k += 4) {
            axpy4(values[k], rows[indices[k]], values[k + 1], rows[indices[k + 1]],
                    values[k + 2], rows[indices[k + 2]], values[k + 3], rows[indices[k + 3]], y);
        }
        for (; k < count; k++) {
            axpy(values[k], rows[indices[k]], y);
        }
    }

    /**
     * Collects the non-zero entries of {@code x} into {@code indices} and {@code values} without branching
     * on the data, which is as unpredictable as an image.
     *
     * @return how many entries are non-zero
     */
    static int nonZeros(float[] x, int offset, int length, int[] indices, float[] values) {
        int count = 0;
        for (int i = 0; i < length; i++) {
            float v = x[offset + i];
            indices[count] = i;
            values[count] = v;
            count += v != 0f ? 1 : 0;
        }
        return count;
    }

    /** {@code Σ x[i]·y[offset + i]} over {@code x.length} elements, with eight partial sums for throughput. */
    static float dot(float[] x, float[] y, int offset) {
        int n = x.length;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            int j = offset + i;
            s0 += x[i] * y[j];
            s1 += x[i + 1] * y[j + 1];
            s2 += x[i + 2] * y[j + 2];
            s3 += x[i + 3] * y[j + 3];
            s4 += x[i + 4] * y[j + 4];
            s5 += x[i + 5] * y[j + 5];
            s6 += x[i + 6] * y[j + 6];
            s7 += x[i + 7] * y[j + 7];
        }
        for (; i < n; i++) {
            s0 += x[i] * y[offset + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
