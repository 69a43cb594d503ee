package io.robustunit.model.kernel;

/** The same values under another shape, e.g. an image flattened to a vector in its channels-first order. */
final class ReshapeOp extends Op {

    ReshapeOp(Shape input, Shape output) {
        super(output);
        if (input.size() != output.size()) {
            throw new IllegalArgumentException("cannot reshape " + input + " to " + output);
        }
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        System.arraycopy(in[0], 0, out, 0, out.length);
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        float[] dx = inGrad[0];
        for (int i = 0; i < dx.length; i++) {
            dx[i] += outGrad[i];
        }
    }

    @Override
    String describe() {
        return "reshape to " + shape;
    }
}
