package io.robustunit.model.dl4j;

/**
 * One dense layer's parameters, laid out for the kernel: {@code columns[j]} holds the weights into output
 * {@code j} (used by the backward pass and by narrow layers' forward pass), and {@code rows[i]} holds the
 * weights out of input {@code i} (used by wide layers' forward pass, which can then skip zero inputs).
 */
final class DenseWeights {

    /** Below this many outputs a forward pass by dot products beats one by row updates. */
    private static final int ROW_FORWARD_MIN_OUTPUTS = 16;

    final int inputs;
    final int outputs;
    final KernelActivation activation;
    private final float[][] rows;
    private final float[][] columns;
    private final float[] bias;

    /**
     * @param weights {@code [inputs][outputs]}, DL4J's orientation
     * @param bias {@code [outputs]}
     */
    DenseWeights(float[][] weights, float[] bias, KernelActivation activation) {
        this.inputs = weights.length;
        this.outputs = bias.length;
        this.activation = activation;
        this.bias = bias.clone();
        this.columns = new float[outputs][inputs];
        for (int i = 0; i < inputs; i++) {
            for (int j = 0; j < outputs; j++) {
                columns[j][i] = weights[i][j];
            }
        }
        this.rows = outputs >= ROW_FORWARD_MIN_OUTPUTS ? copy(weights) : null;
    }

    private static float[][] copy(float[][] weights) {
        float[][] out = new float[weights.length][];
        for (int i = 0; i < weights.length; i++) {
            out[i] = weights[i].clone();
        }
        return out;
    }

    /**
     * {@code out = activation(W·in + b)} for the {@code inputs} values of {@code in} from {@code offset};
     * {@code indices} and {@code values} are scratch space of at least {@code inputs} entries.
     */
    void forward(float[] in, int offset, float[] out, int[] indices, float[] values) {
        if (rows != null) {
            System.arraycopy(bias, 0, out, 0, outputs);
            int count = VectorMath.nonZeros(in, offset, inputs, indices, values);
            VectorMath.sparseCombination(rows, indices, values, count, out);
        } else {
            for (int j = 0; j < outputs; j++) {
                out[j] = bias[j] + VectorMath.dot(columns[j], in, offset);
            }
        }
        activation.apply(out);
    }

    /**
     * {@code deltaIn = Wᵀ·deltaOut}, the gradient with respect to this layer's input, given the non-zero
     * entries of {@code deltaOut} as {@code count} (index, value) pairs.
     */
    void backward(int[] indices, float[] values, int count, float[] deltaIn) {
        java.util.Arrays.fill(deltaIn, 0f);
        VectorMath.sparseCombination(columns, indices, values, count, deltaIn);
    }
}
