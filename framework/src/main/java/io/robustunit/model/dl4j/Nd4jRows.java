package io.robustunit.model.dl4j;

import java.util.Arrays;

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
}
