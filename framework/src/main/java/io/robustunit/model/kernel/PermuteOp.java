package io.robustunit.model.kernel;

/**
 * Reorders an image between channels-first ({@code C,H,W}, the kernels' layout) and channels-last ({@code H,W,C}),
 * for networks that take or flatten their images channels-last.
 */
final class PermuteOp extends Op {

    private final boolean toChannelsLast;

    /**
     * @param shape the image's shape
     * @param toChannelsLast {@code true} to turn {@code C,H,W} values into {@code H,W,C}, {@code false} for the reverse
     */
    PermuteOp(Shape shape, boolean toChannelsLast) {
        super(shape);
        this.toChannelsLast = toChannelsLast;
    }

    private int channelsLast(int c, int pixel) {
        return pixel * shape.channels() + c;
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        float[] x = in[0];
        int plane = shape.plane();
        for (int c = 0; c < shape.channels(); c++) {
            for (int i = 0; i < plane; i++) {
                if (toChannelsLast) {
                    out[channelsLast(c, i)] = x[c * plane + i];
                } else {
                    out[c * plane + i] = x[channelsLast(c, i)];
                }
            }
        }
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        float[] dx = inGrad[0];
        int plane = shape.plane();
        for (int c = 0; c < shape.channels(); c++) {
            for (int i = 0; i < plane; i++) {
                if (toChannelsLast) {
                    dx[c * plane + i] += outGrad[channelsLast(c, i)];
                } else {
                    dx[channelsLast(c, i)] += outGrad[c * plane + i];
                }
            }
        }
    }

    @Override
    String describe() {
        return toChannelsLast ? "to channels-last" : "from channels-last";
    }
}
