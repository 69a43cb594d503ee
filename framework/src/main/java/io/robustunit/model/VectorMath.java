package io.robustunit.model;

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

    /** The dot product of the first {@code x.length} elements, with eight partial sums for throughput. */
    static float dot(float[] x, float[] y) {
        int n = x.length;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            s0 += x[i] * y[i];
            s1 += x[i + 1] * y[i + 1];
            s2 += x[i + 2] * y[i + 2];
            s3 += x[i + 3] * y[i + 3];
            s4 += x[i + 4] * y[i + 4];
            s5 += x[i + 5] * y[i + 5];
            s6 += x[i + 6] * y[i + 6];
            s7 += x[i + 7] * y[i + 7];
        }
        for (; i < n; i++) {
            s0 += x[i] * y[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
