package io.robustunit.model.dl4j;

import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between the framework's row-major float arrays and ND4J arrays. */
final class Nd4jRows {

    private Nd4jRows() {
    }

    /** Rows {@code [from, from + count)} as an array of shape {@code [count, exampleShape...]}. */
    static INDArray features(float[] data, int width, int from, int count, long[] exampleShape, DataType type) {
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = count;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        INDArray rows = Nd4j.create(Arrays.copyOfRange(data, from * width, (from + count) * width), shape, 'c');
        return type == DataType.FLOAT ? rows : rows.castTo(type);
    }

    /** Labels as DL4J's losses expect them: class indices {@code [count, 1]} or one-hot {@code [count, classes]}. */
    static INDArray labels(int[] labels, int from, int count, int numClasses, boolean sparse, DataType type) {
        INDArray out = Nd4j.zeros(type, count, sparse ? 1 : numClasses);
        for (int i = 0; i < count; i++) {
            if (sparse) {
                out.putScalar(i, 0, labels[from + i]);
            } else {
                out.putScalar(i, labels[from + i], 1.0);
            }
        }
        return out;
    }

    /** Copies an array of shape {@code [count, ...]} into rows {@code [from, from + count)} of {@code dest}. */
    static void copyInto(INDArray source, float[] dest, int from, int width) {
        float[] values = source.castTo(DataType.FLOAT).dup('c').data().asFloat();
        if (values.length != (long) source.size(0) * width) {
            throw new IllegalStateException("expected " + width + " values per row but got shape "
                    + Arrays.toString(source.shape()));
        }
        System.arraycopy(values, 0, dest, from * width, values.length);
    }

    /**
     * A 2-D float matrix's rows, copied out in one pass (ND4J's {@code toFloatMatrix} makes an array view per row,
     * which cost adversarial training a millisecond per minibatch on the MLP), read straight from host memory where
     * the matrix is one dense range there: {@code dup('c')} of DL4J's {@code 'f'}-ordered dense weights allocated a
     * native array and ran a transposing op on every compilation, a fifth of an adversarial-training epoch of the
     * MLP, which compiles the kernels for every minibatch.
     */
    static float[][] rows(INDArray matrix) {
        int rows = (int) matrix.size(0);
        int columns = (int) matrix.size(1);
        float[] values = hostValues(matrix);
        boolean byColumn = values != null && matrix.ordering() == 'f';
        if (values == null) {
            values = matrix.dup('c').data().asFloat();
        }
        float[][] out = new float[rows][columns];
        if (byColumn) {
            for (int c = 0; c < columns; c++) {
                for (int r = 0, at = c * rows; r < rows; r++, at++) {
                    out[r][c] = values[at];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(values, r * columns, out[r], 0, columns);
            }
        }
        return out;
    }

    /**
     * @return a 2-D float matrix's values in its own order from host memory, where it is one dense range there (ND4J's
     *         CPU backend; a layer's weights are such a range of the network's parameters), or {@code null}
     */
    private static float[] hostValues(INDArray matrix) {
        if (!Nd4j.getEnvironment().isCPU() || matrix.dataType() != DataType.FLOAT || matrix.rank() != 2
                || !(matrix.data().pointer() instanceof FloatPointer pointer)) {
            return null;
        }
        long[] stride = matrix.stride();
        boolean dense = matrix.ordering() == 'c' ? stride[1] == 1 && stride[0] == matrix.size(1)
                : stride[0] == 1 && stride[1] == matrix.size(0);
        if (!dense || matrix.length() > Integer.MAX_VALUE) {
            return null;
        }
        float[] values = new float[(int) matrix.length()];
        // a pointer of its own onto the same memory, so that the buffer's own position is left alone
        new FloatPointer(pointer).position(pointer.position() + matrix.offset()).get(values, 0, values.length);
        return values;
    }
}
