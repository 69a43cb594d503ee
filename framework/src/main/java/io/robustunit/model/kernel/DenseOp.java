package io.robustunit.model.kernel;

import java.util.Arrays;

/**
 * A dense layer with its activation: {@code a = f(W·x + b)}. The weights are stored both by output
 * ({@code columns[j]}, for the backward pass and narrow layers) and by input ({@code rows[i]}, for wide layers'
 * forward pass, which then skips the zero inputs that images and ReLU layers are full of); the backward pass visits
 * only the non-zero deltas.
 */
final class DenseOp extends Op {

    /** Below this many outputs a forward pass by dot products beats one by row updates. */
    private static final int ROW_FORWARD_MIN_OUTPUTS = 16;

    private final int inputs;
    private final int outputs;
    private final Activation activation;
    private final float[][] rows;
    private final float[][] columns;
    private final float[] bias;

    /** Per-thread state: the pre-activations, where the activation needs them, and (index, value) scratch. */
    private static final class Scratch {
        final float[] z;
        final int[] indices;
        final float[] values;

        Scratch(int outputs, int widest, boolean keepZ) {
            this.z = keepZ ? new float[outputs] : null;
            this.indices = new int[widest];
            this.values = new float[widest];
        }
    }

    /**
     * @param weights {@code [inputs][outputs]}, DL4J's orientation
     * @param bias {@code [outputs]}
     */
    DenseOp(float[][] weights, float[] bias, Activation activation) {
        super(Shape.vector(bias.length));
        this.inputs = weights.length;
        this.outputs = bias.length;
        this.activation = activation;
        this.bias = bias.clone();
        this.columns = new float[outputs][inputs];
        for (int i = 0; i < inputs; i++) {
            if (weights[i].length != outputs) {
                throw new IllegalArgumentException("weight row " + i + " has " + weights[i].length + " values, not " + outputs);
            }
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
     * @return this layer followed by the per-output affine map {@code a·y + b} and {@code then} (a batch normalization
     *         after a dense layer), folded into its weights and bias
     * @throws IllegalStateException if this layer has an activation of its own
     */
    DenseOp fold(float[] scale, float[] shift, Activation then) {
        if (!activation.isIdentity()) {
            throw new IllegalStateException("cannot fold an affine map past " + activation);
        }
        float[][] weights = new float[inputs][outputs];
        float[] b = new float[outputs];
        for (int j = 0; j < outputs; j++) {
            for (int i = 0; i < inputs; i++) {
                weights[i][j] = columns[j][i] * scale[j];
            }
            b[j] = bias[j] * scale[j] + shift[j];
        }
        return new DenseOp(weights, b, then);
    }

    /** @return this layer with {@code then} as its activation, which must be the identity now */
    DenseOp withActivation(Activation then) {
        if (!activation.isIdentity()) {
            throw new IllegalStateException("cannot apply " + then + " after " + activation + " in one op");
        }
        float[][] weights = new float[inputs][outputs];
        for (int j = 0; j < outputs; j++) {
            for (int i = 0; i < inputs; i++) {
                weights[i][j] = columns[j][i];
            }
        }
        return new DenseOp(weights, bias, then);
    }

    boolean hasActivation() {
        return !activation.isIdentity();
    }

    int inputs() {
        return inputs;
    }

    int outputs() {
        return outputs;
    }

    Activation activation() {
        return activation;
    }

    /** @return the bias, which the caller must not modify */
    float[] bias() {
        return bias;
    }

    /** @return the weights {@code [inputs][outputs]} in one row-major array */
    float[] weightsRowMajor() {
        float[] w = new float[inputs * outputs];
        if (rows != null) {
            for (int i = 0; i < inputs; i++) {
                System.arraycopy(rows[i], 0, w, i * outputs, outputs);
            }
            return w;
        }
        for (int j = 0; j < outputs; j++) {
            float[] column = columns[j];
            for (int i = 0; i < inputs; i++) {
                w[i * outputs + j] = column[i];
            }
        }
        return w;
    }

    @Override
    Object newScratch() {
        return new Scratch(outputs, Math.max(inputs, outputs), activation.usesInput());
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        Scratch s = (Scratch) scratch;
        float[] z = s.z != null ? s.z : out;
        float[] x = in[0];
        if (rows != null) {
            System.arraycopy(bias, 0, z, 0, outputs);
            int count = VectorMath.nonZeros(x, 0, inputs, s.indices, s.values);
            VectorMath.sparseCombination(rows, s.indices, s.values, count, z);
        } else {
            for (int j = 0; j < outputs; j++) {
                z[j] = bias[j] + VectorMath.dot(columns[j], x, 0);
            }
        }
        activation.apply(z, out, outputs);
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        Scratch s = (Scratch) scratch;
        int count = activation.activeDeltas(s.z, out, outGrad, outputs, s.indices, s.values);
        VectorMath.sparseCombination(columns, s.indices, s.values, count, inGrad[0]);
    }

    @Override
    String describe() {
        return "dense " + inputs + "->" + outputs + (activation.isIdentity() ? "" : " " + activation);
    }

    @Override
    public String toString() {
        return describe() + " " + Arrays.toString(new int[] {inputs, outputs});
    }
}
