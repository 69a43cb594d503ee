package io.robustunit.model.kernel;

/** The sum, the difference or the mean of inputs of one shape, as DL4J's {@code ElementWiseVertex}. */
final class ElementwiseOp extends Op {

    /** The operations. */
    enum Kind { ADD, SUBTRACT, AVERAGE }

    private final Kind kind;
    private final int inputs;

    ElementwiseOp(Shape shape, Kind kind, int inputs) {
        super(shape);
        if (kind == Kind.SUBTRACT && inputs != 2) {
            throw new IllegalArgumentException("subtraction takes 2 inputs, not " + inputs);
        }
        this.kind = kind;
        this.inputs = inputs;
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        System.arraycopy(in[0], 0, out, 0, out.length);
        for (int j = 1; j < inputs; j++) {
            float[] x = in[j];
            if (kind == Kind.SUBTRACT) {
                for (int i = 0; i < out.length; i++) {
                    out[i] -= x[i];
                }
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] += x[i];
                }
            }
        }
        if (kind == Kind.AVERAGE) {
            float inverse = 1f / inputs;
            for (int i = 0; i < out.length; i++) {
                out[i] *= inverse;
            }
        }
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        float factor = kind == Kind.AVERAGE ? 1f / inputs : 1f;
        for (int j = 0; j < inputs; j++) {
            float f = kind == Kind.SUBTRACT && j == 1 ? -1f : factor;
            float[] dx = inGrad[j];
            for (int i = 0; i < dx.length; i++) {
                dx[i] += f * outGrad[i];
            }
        }
    }

    @Override
    String describe() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " of " + inputs;
    }
}
