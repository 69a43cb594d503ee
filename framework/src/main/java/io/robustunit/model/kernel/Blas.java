package io.robustunit.model.kernel;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Single-precision matrix products through the OpenBLAS that ND4J's CPU backend ships (JavaCPP's {@code openblas}
 * preset). The dependency is optional: where it is missing (ND4J's CUDA backend, another platform) or its natives do
 * not load, {@link #available()} is false and the kernels compute everything in Java.
 */
final class Blas {

    private static final boolean AVAILABLE = load();

    private Blas() {
    }

    /** @return whether a 2×2 product through OpenBLAS gives what it should */
    private static boolean load() {
        try (FloatPointer a = new FloatPointer(1f, 2f, 3f, 4f);
             FloatPointer b = new FloatPointer(0f, 1f, 1f, 0f);
             FloatPointer c = new FloatPointer(4)) {
            multiply(a, b, false, c, 2, 2, 2);
            float[] product = new float[4];
            c.get(product);
            return product[0] == 2f && product[1] == 1f && product[2] == 4f && product[3] == 3f;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** @return whether OpenBLAS is on the class path and its natives loaded */
    static boolean available() {
        return AVAILABLE;
    }

    /**
     * @return the threads OpenBLAS splits one product over ({@code OPENBLAS_NUM_THREADS} or {@code OMP_NUM_THREADS},
     *         else the cores), or a value below 1 where it is not known yet (before ND4J's CPU backend has started)
     */
    static int threads() {
        return openblas_nolapack.blas_get_num_threads();
    }

    /**
     * {@code c = a·b}, or {@code c = a·bᵀ} where {@code transposeB}, all row-major: {@code a} is {@code m×k},
     * {@code b} is {@code k×n} ({@code n×k} transposed), {@code c} is {@code m×n}.
     */
    static void multiply(FloatPointer a, FloatPointer b, boolean transposeB, FloatPointer c, int m, int n, int k) {
        multiply(a, false, b, transposeB, c, m, n, k);
    }

    /**
     * {@code c = op(a)·op(b)}, all row-major, {@code op} the transpose where asked: {@code op(a)} is {@code m×k},
     * {@code op(b)} is {@code k×n}, {@code c} is {@code m×n}.
     */
    static void multiply(FloatPointer a, boolean transposeA, FloatPointer b, boolean transposeB, FloatPointer c, int m,
                         int n, int k) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, 1f, a,
                transposeA ? m : k, b, transposeB ? k : n, 0f, c, n);
    }

    /**
     * {@code c = a·b + beta·c} on row-major matrices with the given leading dimensions (values from one row to the
     * next), each starting at its pointer's position: {@code a} is {@code m×k}, {@code b} is {@code k×n}, {@code c}
     * is {@code m×n}.
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    static void multiplyAdd(FloatPointer a, int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc, int m,
                            int n, int k) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasNoTrans, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
    }
}
