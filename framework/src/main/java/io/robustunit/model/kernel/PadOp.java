package io.robustunit.model.kernel;

/** Zero padding around each channel's plane. */
final class PadOp extends Op {

    private final Shape input;
    private final int top;
    private final int left;

    PadOp(Shape input, int top, int bottom, int left, int right) {
        super(new Shape(input.channels(), input.height() + top + bottom, input.width() + left + right));
        this.input = input;
        this.top = top;
        this.left = left;
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        java.util.Arrays.fill(out, 0f);
        float[] x = in[0];
        for (int c = 0; c < input.channels(); c++) {
            for (int y = 0; y < input.height(); y++) {
                System.arraycopy(x, (c * input.height() + y) * input.width(), out,
                        (c * shape.height() + y + top) * shape.width() + left, input.width());
            }
        }
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        float[] dx = inGrad[0];
        for (int c = 0; c < input.channels(); c++) {
            for (int y = 0; y < input.height(); y++) {
                int src = (c * shape.height() + y + top) * shape.width() + left;
                int dst = (c * input.height() + y) * input.width();
                for (int x = 0; x < input.width(); x++) {
                    dx[dst + x] += outGrad[src + x];
                }
            }
        }
    }

    @Override
    String describe() {
        return "zero padding " + input + " -> " + shape;
    }
}
