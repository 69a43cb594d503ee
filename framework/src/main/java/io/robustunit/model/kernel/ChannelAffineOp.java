package io.robustunit.model.kernel;

/**
 * {@code a = f(scale[c]·x + shift[c])} for every value of channel {@code c}: batch normalization in inference mode,
 * with {@code scale = γ/σ} and {@code shift = β − μ·γ/σ} from the running statistics, and its activation.
 */
final class ChannelAffineOp extends Op {

    private final float[] scale;
    private final float[] shift;
    private final Activation activation;

    ChannelAffineOp(Shape shape, float[] scale, float[] shift, Activation activation) {
        super(shape);
        if (scale.length != shape.channels() || shift.length != shape.channels()) {
            throw new IllegalArgumentException("expected " + shape.channels() + " scales and shifts");
        }
        this.scale = scale.clone();
        this.shift = shift.clone();
        this.activation = activation;
    }

    float[] scale() {
        return scale.clone();
    }

    float[] shift() {
        return shift.clone();
    }

    Activation activation() {
        return activation;
    }

    /** @return this map with {@code then} as its activation, which must be the identity now */
    ChannelAffineOp withActivation(Activation then) {
        if (!activation.isIdentity()) {
            throw new IllegalStateException("cannot apply " + then + " after " + activation + " in one op");
        }
        return new ChannelAffineOp(shape, scale, shift, then);
    }

    @Override
    Object newScratch() {
        return activation.usesInput() ? new float[shape.size()] : null;
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        float[] x = in[0];
        float[] z = scratch != null ? (float[]) scratch : out;
        int plane = shape.plane();
        for (int c = 0; c < scale.length; c++) {
            float a = scale[c];
            float b = shift[c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                z[i] = a * x[i] + b;
            }
        }
        activation.apply(z, out, shape.size());
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        activation.multiplyDerivative((float[]) scratch, out, outGrad, shape.size());
        float[] dx = inGrad[0];
        int plane = shape.plane();
        for (int c = 0; c < scale.length; c++) {
            float a = scale[c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                dx[i] += a * outGrad[i];
            }
        }
    }

    @Override
    String describe() {
        return "batch normalization (inference)" + (activation.isIdentity() ? "" : " " + activation);
    }
}
