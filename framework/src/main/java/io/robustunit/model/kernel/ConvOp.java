package io.robustunit.model.kernel;

import java.util.Arrays;

/**
 * A 2-D convolution with its activation: {@code a[o] = f(b[o] + Σ W[o][k]·x[k])} over each output position, with
 * stride, dilation and zero padding. The forward pass gathers each example's input windows into columns (one
 * column array per kernel element, {@code im2col}) and accumulates whole output planes from them; the input gradient
 * is the transposed product scattered back ({@code col2im}). Output planes whose delta is all zero are skipped.
 */
final class ConvOp extends Op {

    private final Shape input;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int dilationH;
    private final int dilationW;
    private final int padTop;
    private final int padLeft;
    private final float[][] weights;
    private final float[] bias;
    private final Activation activation;
    private final int k;
    private final int p;

    private static final class Scratch {
        final float[][] columns;
        final float[] plane;
        final float[] z;

        Scratch(int k, int p, int size, boolean keepZ) {
            columns = new float[k][p];
            plane = new float[p];
            z = keepZ ? new float[size] : null;
        }
    }

    /**
     * @param weights {@code [outChannels][inChannels·kernelH·kernelW]}, kernel elements in row-major order within
     *        each input channel, as DL4J and PyTorch store them
     * @param bias {@code [outChannels]}
     * @param output the output shape, as the layer's padding rule gives it
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    ConvOp(Shape input, Shape output, int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
           int padTop, int padLeft, float[][] weights, float[] bias, Activation activation) {
        super(output);
        this.input = input;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.k = input.channels() * kernelH * kernelW;
        this.p = output.plane();
        if (weights.length != output.channels() || bias.length != output.channels()) {
            throw new IllegalArgumentException("expected " + output.channels() + " output channels of weights and bias");
        }
        this.weights = new float[weights.length][];
        for (int o = 0; o < weights.length; o++) {
            if (weights[o].length != k) {
                throw new IllegalArgumentException("output channel " + o + " has " + weights[o].length + " weights, not " + k);
            }
            this.weights[o] = weights[o].clone();
        }
        this.bias = bias.clone();
        this.activation = activation;
    }

    @Override
    Object newScratch() {
        return new Scratch(k, p, shape.size(), activation.usesInput());
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        Scratch s = (Scratch) scratch;
        gather(in[0], s.columns);
        float[] z = s.z != null ? s.z : out;
        float[] plane = s.plane;
        float[][] cols = s.columns;
        for (int o = 0; o < weights.length; o++) {
            Arrays.fill(plane, bias[o]);
            float[] w = weights[o];
            int j = 0;
            for (; j + 3 < k; j += 4) {
                VectorMath.axpy4(w[j], cols[j], w[j + 1], cols[j + 1], w[j + 2], cols[j + 2], w[j + 3], cols[j + 3], plane);
            }
            for (; j < k; j++) {
                VectorMath.axpy(w[j], cols[j], plane);
            }
            System.arraycopy(plane, 0, z, o * p, p);
        }
        activation.apply(z, out, shape.size());
    }

    /** {@code columns[(c, kh, kw)][(oy, ox)] = x[c][oy·sh + kh·dh − top][ox·sw + kw·dw − left]}, zero outside. */
    private void gather(float[] x, float[][] columns) {
        int inH = input.height();
        int inW = input.width();
        int outH = shape.height();
        int outW = shape.width();
        int row = 0;
        for (int c = 0; c < input.channels(); c++) {
            int base = c * inH * inW;
            for (int kh = 0; kh < kernelH; kh++) {
                for (int kw = 0; kw < kernelW; kw++) {
                    float[] col = columns[row++];
                    int dx = kw * dilationW - padLeft;
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * strideH + kh * dilationH - padTop;
                        int o = oy * outW;
                        if (iy < 0 || iy >= inH) {
                            Arrays.fill(col, o, o + outW, 0f);
                            continue;
                        }
                        int src = base + iy * inW;
                        for (int ox = 0; ox < outW; ox++) {
                            int ix = ox * strideW + dx;
                            col[o + ox] = ix >= 0 && ix < inW ? x[src + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        Scratch s = (Scratch) scratch;
        activation.multiplyDerivative(s.z, out, outGrad, shape.size());
        float[][] dcols = s.columns;
        for (float[] col : dcols) {
            Arrays.fill(col, 0f);
        }
        float[] plane = s.plane;
        for (int o = 0; o < weights.length; o++) {
            if (!copyIfNonZero(outGrad, o * p, plane)) {
                continue;
            }
            float[] w = weights[o];
            for (int j = 0; j < k; j++) {
                VectorMath.axpy(w[j], plane, dcols[j]);
            }
        }
        scatter(dcols, inGrad[0]);
    }

    private boolean copyIfNonZero(float[] source, int offset, float[] plane) {
        boolean any = false;
        for (int i = 0; i < p; i++) {
            float v = source[offset + i];
            plane[i] = v;
            any |= v != 0f;
        }
        return any;
    }

    /** The transpose of {@link #gather}: adds each column value back to the input position it came from. */
    private void scatter(float[][] columns, float[] dx) {
        int inH = input.height();
        int inW = input.width();
        int outH = shape.height();
        int outW = shape.width();
        int row = 0;
        for (int c = 0; c < input.channels(); c++) {
            int base = c * inH * inW;
            for (int kh = 0; kh < kernelH; kh++) {
                for (int kw = 0; kw < kernelW; kw++) {
                    float[] col = columns[row++];
                    int shift = kw * dilationW - padLeft;
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * strideH + kh * dilationH - padTop;
                        if (iy < 0 || iy >= inH) {
                            continue;
                        }
                        int dst = base + iy * inW;
                        int o = oy * outW;
                        for (int ox = 0; ox < outW; ox++) {
                            int ix = ox * strideW + shift;
                            if (ix >= 0 && ix < inW) {
                                dx[dst + ix] += col[o + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    String describe() {
        return "conv " + kernelH + "x" + kernelW + " " + input.channels() + "->" + shape.channels()
                + (strideH != 1 || strideW != 1 ? " stride " + strideH + "x" + strideW : "")
                + (dilationH != 1 || dilationW != 1 ? " dilation " + dilationH + "x" + dilationW : "")
                + (activation.isIdentity() ? "" : " " + activation);
    }
}
