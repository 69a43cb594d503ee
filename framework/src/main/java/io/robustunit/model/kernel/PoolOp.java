package io.robustunit.model.kernel;

/**
 * 2-D max or average pooling over windows with stride and zero padding. Max pooling remembers, per example, which
 * input each output came from (the first maximum of its window) and sends the gradient there; average pooling
 * spreads it evenly over the window, divided as the forward pass divided.
 */
final class PoolOp extends Op {

    private final Shape input;
    private final boolean max;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padTop;
    private final int padLeft;
    private final boolean padInDivisor;

    /**
     * @param padInDivisor for average pooling: whether padded positions count in the divisor
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    PoolOp(Shape input, Shape output, boolean max, int kernelH, int kernelW, int strideH, int strideW, int padTop,
           int padLeft, boolean padInDivisor) {
        super(output);
        if (input.channels() != output.channels()) {
            throw new IllegalArgumentException("pooling keeps the channels: " + input + " -> " + output);
        }
        this.input = input;
        this.max = max;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.padInDivisor = padInDivisor;
    }

    @Override
    Object newScratch() {
        return max ? new int[shape.size()] : null;
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        float[] x = in[0];
        int[] argmax = (int[]) scratch;
        int inH = input.height();
        int inW = input.width();
        int outH = shape.height();
        int outW = shape.width();
        if (max && kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && padTop == 0 && padLeft == 0
                && 2 * outH <= inH && 2 * outW <= inW) {
            maxPool2x2(x, out, argmax);
            return;
        }
        int o = 0;
        for (int c = 0; c < shape.channels(); c++) {
            int base = c * inH * inW;
            for (int oy = 0; oy < outH; oy++) {
                int y0 = oy * strideH - padTop;
                int yStart = Math.max(y0, 0);
                int yEnd = Math.min(y0 + kernelH, inH);
                for (int ox = 0; ox < outW; ox++, o++) {
                    int x0 = ox * strideW - padLeft;
                    int xStart = Math.max(x0, 0);
                    int xEnd = Math.min(x0 + kernelW, inW);
                    if (max) {
                        if (yStart >= yEnd || xStart >= xEnd) {
                            out[o] = 0f;
                            argmax[o] = -1;
                            continue;
                        }
                        // the first maximum wins; selects rather than branches, as image data is unpredictable
                        int at = base + yStart * inW + xStart;
                        float best = x[at];
                        for (int y = yStart; y < yEnd; y++) {
                            for (int xx = xStart, i = base + y * inW + xStart; xx < xEnd; xx++, i++) {
                                float v = x[i];
                                boolean better = v > best;
                                best = better ? v : best;
                                at = better ? i : at;
                            }
                        }
                        out[o] = best;
                        argmax[o] = at;
                    } else {
                        float sum = 0f;
                        for (int y = yStart; y < yEnd; y++) {
                            for (int xx = xStart; xx < xEnd; xx++) {
                                sum += x[base + y * inW + xx];
                            }
                        }
                        out[o] = sum / divisor(yStart, yEnd, xStart, xEnd, y0, x0);
                    }
                }
            }
        }
    }

    /** The common case, 2×2 windows at stride 2 inside the input, without the general case's loops. */
    private void maxPool2x2(float[] x, float[] out, int[] argmax) {
        int inH = input.height();
        int inW = input.width();
        int outH = shape.height();
        int outW = shape.width();
        int o = 0;
        for (int c = 0; c < shape.channels(); c++) {
            int base = c * inH * inW;
            for (int oy = 0; oy < outH; oy++) {
                int row = base + 2 * oy * inW;
                for (int ox = 0; ox < outW; ox++, o++) {
                    int i = row + 2 * ox;
                    float best = x[i];
                    int at = i;
                    float v = x[i + 1];
                    boolean better = v > best;
                    best = better ? v : best;
                    at = better ? i + 1 : at;
                    v = x[i + inW];
                    better = v > best;
                    best = better ? v : best;
                    at = better ? i + inW : at;
                    v = x[i + inW + 1];
                    better = v > best;
                    best = better ? v : best;
                    at = better ? i + inW + 1 : at;
                    out[o] = best;
                    argmax[o] = at;
                }
            }
        }
    }

    private int divisor(int yStart, int yEnd, int xStart, int xEnd, int y0, int x0) {
        if (!padInDivisor) {
            return Math.max(1, (yEnd - yStart) * (xEnd - xStart));
        }
        int inH = input.height() + 2 * padTop;
        int inW = input.width() + 2 * padLeft;
        int h = Math.min(y0 + kernelH, inH - padTop) - y0;
        int w = Math.min(x0 + kernelW, inW - padLeft) - x0;
        return Math.max(1, h * w);
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        float[] dx = inGrad[0];
        if (max) {
            int[] argmax = (int[]) scratch;
            for (int o = 0; o < outGrad.length; o++) {
                if (argmax[o] >= 0) {
                    dx[argmax[o]] += outGrad[o];
                }
            }
            return;
        }
        int inH = input.height();
        int inW = input.width();
        int outH = shape.height();
        int outW = shape.width();
        int o = 0;
        for (int c = 0; c < shape.channels(); c++) {
            int base = c * inH * inW;
            for (int oy = 0; oy < outH; oy++) {
                int y0 = oy * strideH - padTop;
                int yStart = Math.max(y0, 0);
                int yEnd = Math.min(y0 + kernelH, inH);
                for (int ox = 0; ox < outW; ox++, o++) {
                    int x0 = ox * strideW - padLeft;
                    int xStart = Math.max(x0, 0);
                    int xEnd = Math.min(x0 + kernelW, inW);
                    float g = outGrad[o] / divisor(yStart, yEnd, xStart, xEnd, y0, x0);
                    for (int y = yStart; y < yEnd; y++) {
                        for (int xx = xStart; xx < xEnd; xx++) {
                            dx[base + y * inW + xx] += g;
                        }
                    }
                }
            }
        }
    }

    @Override
    String describe() {
        return (max ? "max" : "avg") + " pool " + kernelH + "x" + kernelW
                + (strideH != kernelH || strideW != kernelW ? " stride " + strideH + "x" + strideW : "");
    }
}
