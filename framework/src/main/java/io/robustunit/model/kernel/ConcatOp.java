package io.robustunit.model.kernel;

/** Inputs joined channel after channel, as DL4J's {@code MergeVertex}. */
final class ConcatOp extends Op {

    private final int[] sizes;

    ConcatOp(Shape shape, int[] sizes) {
        super(shape);
        this.sizes = sizes.clone();
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        int at = 0;
        for (int j = 0; j < sizes.length; j++) {
            System.arraycopy(in[j], 0, out, at, sizes[j]);
            at += sizes[j];
        }
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        int at = 0;
        for (int j = 0; j < sizes.length; j++) {
            float[] dx = inGrad[j];
            for (int i = 0; i < sizes[j]; i++) {
                dx[i] += outGrad[at + i];
            }
            at += sizes[j];
        }
    }

    @Override
    String describe() {
        return "concatenation of " + sizes.length;
    }
}
