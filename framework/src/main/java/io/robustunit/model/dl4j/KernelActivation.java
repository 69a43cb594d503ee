package io.robustunit.model.dl4j;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/** The activations the dense kernel evaluates itself, with their derivatives written from the output. */
enum KernelActivation {
    IDENTITY {
        @Override
        void apply(float[] z) {
        }

        @Override
        void multiplyDerivative(float[] a, float[] delta) {
        }
    },
    RELU {
        @Override
        void apply(float[] z) {
            for (int j = 0; j < z.length; j++) {
                float v = z[j];
                z[j] = v > 0f ? v : 0f;
            }
        }

        @Override
        void multiplyDerivative(float[] a, float[] delta) {
            for (int j = 0; j < a.length; j++) {
                delta[j] = a[j] > 0f ? delta[j] : 0f;
            }
        }

        /** The derivative is 1 where the unit is active and 0 elsewhere, so masking and collecting are one pass. */
        @Override
        int activeDeltas(float[] a, float[] delta, int[] indices, float[] values) {
            int count = 0;
            for (int j = 0; j < a.length; j++) {
                float d = delta[j];
                indices[count] = j;
                values[count] = d;
                count += (a[j] > 0f) & (d != 0f) ? 1 : 0;
            }
            return count;
        }
    },
    TANH {
        @Override
        void apply(float[] z) {
            for (int j = 0; j < z.length; j++) {
                z[j] = (float) Math.tanh(z[j]);
            }
        }

        @Override
        void multiplyDerivative(float[] a, float[] delta) {
            for (int j = 0; j < a.length; j++) {
                delta[j] *= 1f - a[j] * a[j];
            }
        }
    },
    SIGMOID {
        @Override
        void apply(float[] z) {
            for (int j = 0; j < z.length; j++) {
                z[j] = (float) (1.0 / (1.0 + Math.exp(-z[j])));
            }
        }

        @Override
        void multiplyDerivative(float[] a, float[] delta) {
            for (int j = 0; j < a.length; j++) {
                delta[j] *= a[j] * (1f - a[j]);
            }
        }
    },
    SOFTMAX {
        @Override
        void apply(float[] z) {
            float max = z[0];
            for (int k = 1; k < z.length; k++) {
                max = Math.max(max, z[k]);
            }
            float sum = 0f;
            for (int k = 0; k < z.length; k++) {
                z[k] = (float) Math.exp(z[k] - max);
                sum += z[k];
            }
            float inverse = 1f / sum;
            for (int k = 0; k < z.length; k++) {
                z[k] *= inverse;
            }
        }

        @Override
        void multiplyDerivative(float[] a, float[] delta) {
            throw new UnsupportedOperationException("softmax is only used with cross-entropy in the output layer");
        }
    };

    /** Replaces pre-activations by activations, in place. */
    abstract void apply(float[] z);

    /** Multiplies {@code delta} by the derivative of this activation, given the activation values {@code a}. */
    abstract void multiplyDerivative(float[] a, float[] delta);

    /**
     * Multiplies {@code delta} by this activation's derivative and collects the non-zero results as
     * (index, value) pairs.
     *
     * @return the number of pairs
     */
    int activeDeltas(float[] a, float[] delta, int[] indices, float[] values) {
        multiplyDerivative(a, delta);
        return VectorMath.nonZeros(delta, 0, delta.length, indices, values);
    }

    /** @return the kernel's version of a DL4J activation, or {@code null} if the kernel does not have it */
    static KernelActivation of(IActivation activation) {
        if (activation instanceof ActivationReLU relu) {
            boolean plain = relu.getMax() == null
                    && (relu.getThreshold() == null || relu.getThreshold() == 0.0)
                    && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0.0);
            return plain ? RELU : null;
        }
        if (activation instanceof ActivationIdentity) {
            return IDENTITY;
        }
        if (activation instanceof ActivationTanH) {
            return TANH;
        }
        if (activation instanceof ActivationSigmoid) {
            return SIGMOID;
        }
        if (activation instanceof ActivationSoftmax) {
            return SOFTMAX;
        }
        return null;
    }
}
