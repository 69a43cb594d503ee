package io.robustunit.model.kernel;

import java.util.Arrays;

/**
 * A 2-D convolution with its activation: {@code a[o] = f(b[o] + Σ W[o][k]·x[k])} over each output position, with
 * stride, dilation and zero padding.
 * <ul>
 *   <li>The forward pass gathers the example's input windows into columns (one column array per kernel element,
 *       {@code im2col}) and accumulates two output planes at a time from them, so that each column is loaded once
 *       for two output channels.</li>
 *   <li>The backward pass visits only the non-zero deltas where they are sparse, as after max pooling or ReLU.
 *       Where a pixel has several input channels, the gradient of each output position's receptive field is a
 *       combination of the output channels' weight vectors, one per non-zero delta, added back window by window
 *       with the input read channels-last, so that a window row's channels are contiguous. With fewer channels each
 *       non-zero delta adds its kernel to the input gradient directly. Dense deltas in a first layer, and 1×1
 *       kernels, take one dense transposed product {@code Wᵀ·Δ} added back by {@code col2im} instead.</li>
 * </ul>
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
    /**
     * From this many input channels on, the backward pass works per output position on channels-last data (or, for 1×1
     * kernels, as one dense product); below it (the first layer of an image network) it adds each delta's kernel
     * directly, or takes the dense product where the deltas are dense.
     */
    private static final int MIN_CHANNELS_PER_POSITION = 4;

    /** {@code [o][(c·KH + kh)·KW + kw]}: the forward pass's weights, DL4J's order. */
    private final float[][] weights;
    /**
     * How the backward pass runs, as measured on LeNet and ResNet-20: with few input channels, one dense transposed
     * product from this share of non-zero deltas on ({@value #DENSE_DELTAS_NUMERATOR}/{@value #DENSE_DELTAS_DENOMINATOR}),
     * and a visit per non-zero delta below it; with many, per output position (receptive fields), except for 1×1
     * kernels, whose receptive fields are too small to pay for that and which take the dense product.
     */
    private static final int DENSE_DELTAS_NUMERATOR = 1;
    private static final int DENSE_DELTAS_DENOMINATOR = 3;

    /** {@code [(c·KH + kh)·KW + kw][o]}: the weights transposed, for the dense backward pass. */
    private final float[][] transposed;
    /** {@code [o][(kh·KW + kw)·C + c]}: the backward pass's rows, channels-last, one per output channel. */
    private final float[][] columns;
    private final float[] bias;
    private final Activation activation;
    private final int k;
    /** Per output position, whether its whole window lies inside the input. */
    private final boolean[] inside;

    private static final class Scratch {
        /** {@code im2col}: one array per kernel element, one value per output position. */
        final float[][] columns;
        /** The deltas, one array per output channel, for the dense backward pass. */
        final float[][] deltaPlanes;
        /** Two output planes under construction. */
        final float[] planeA;
        final float[] planeB;
        /** An output position's non-zero deltas (channel, value), or all the non-zero deltas (index, value). */
        final int[] indices;
        final float[] values;
        /** One receptive field's gradient. */
        final float[] field;
        /** The input gradient, channels-last. */
        final float[] pixelGradients;
        final float[] z;

        Scratch(ConvOp op, boolean keepZ) {
            int k = op.k;
            int p = op.shape.plane();
            boolean fields = op.manyChannels();
            this.columns = new float[k][p];
            this.deltaPlanes = new float[op.shape.channels()][p];
            this.planeA = new float[p];
            this.planeB = new float[p];
            this.indices = new int[fields ? op.shape.channels() : op.shape.size()];
            this.values = new float[fields ? op.shape.channels() : op.shape.size()];
            this.field = fields ? new float[k] : null;
            this.pixelGradients = fields ? new float[op.input.size()] : null;
            this.z = keepZ ? new float[op.shape.size()] : null;
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
        int channels = input.channels();
        int outChannels = output.channels();
        this.k = channels * kernelH * kernelW;
        if (weights.length != outChannels || bias.length != outChannels) {
            throw new IllegalArgumentException("expected " + outChannels + " output channels of weights and bias");
        }
        this.weights = new float[outChannels][];
        this.columns = new float[outChannels][k];
        this.transposed = new float[k][outChannels];
        for (int o = 0; o < outChannels; o++) {
            if (weights[o].length != k) {
                throw new IllegalArgumentException("output channel " + o + " has " + weights[o].length + " weights, not " + k);
            }
            this.weights[o] = weights[o].clone();
            for (int j = 0; j < k; j++) {
                transposed[j][o] = weights[o][j];
            }
            for (int c = 0; c < channels; c++) {
                for (int kh = 0; kh < kernelH; kh++) {
                    for (int kw = 0; kw < kernelW; kw++) {
                        int r = (kh * kernelW + kw) * channels + c;
                        float w = weights[o][(c * kernelH + kh) * kernelW + kw];
                        columns[o][r] = w;
                    }
                }
            }
        }
        this.bias = bias.clone();
        this.activation = activation;
        this.inside = new boolean[output.plane()];
        for (int oy = 0, q = 0; oy < output.height(); oy++) {
            for (int ox = 0; ox < output.width(); ox++, q++) {
                int y0 = oy * strideH - padTop;
                int x0 = ox * strideW - padLeft;
                inside[q] = y0 >= 0 && y0 + (kernelH - 1) * dilationH < input.height()
                        && x0 >= 0 && x0 + (kernelW - 1) * dilationW < input.width();
            }
        }
    }

    /**
     * @return this convolution followed by the per-channel affine map {@code a·y + b} and {@code then}: the batch
     *         normalization that follows a convolution, folded into its weights and bias
     * @throws IllegalStateException if this convolution has an activation of its own
     */
    ConvOp fold(float[] scale, float[] shift, Activation then) {
        if (!activation.isIdentity()) {
            throw new IllegalStateException("cannot fold an affine map past " + activation);
        }
        float[][] w = new float[weights.length][];
        float[] b = new float[bias.length];
        for (int o = 0; o < weights.length; o++) {
            w[o] = weights[o].clone();
            for (int j = 0; j < k; j++) {
                w[o][j] *= scale[o];
            }
            b[o] = bias[o] * scale[o] + shift[o];
        }
        return new ConvOp(input, shape, kernelH, kernelW, strideH, strideW, dilationH, dilationW, padTop, padLeft, w, b,
                then);
    }

    boolean hasActivation() {
        return !activation.isIdentity();
    }

    /** @return this convolution with {@code then} as its activation, which must be the identity now */
    ConvOp withActivation(Activation then) {
        return fold(ones(bias.length), new float[bias.length], then);
    }

    private static float[] ones(int n) {
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        return ones;
    }

    @Override
    Object newScratch() {
        return new Scratch(this, activation.usesInput());
    }

    private boolean manyChannels() {
        return input.channels() >= MIN_CHANNELS_PER_POSITION;
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        Scratch s = (Scratch) scratch;
        float[] z = s.z != null ? s.z : out;
        forwardByPlanes(in[0], z, s);
        activation.apply(z, out, shape.size());
    }

    /** Accumulates two output planes at a time from the input's {@code im2col} columns. */
    private void forwardByPlanes(float[] x, float[] z, Scratch s) {
        gather(x, s.columns);
        float[][] cols = s.columns;
        int p = shape.plane();
        int o = 0;
        for (; o + 1 < weights.length; o += 2) {
            float[] a = weights[o];
            float[] b = weights[o + 1];
            Arrays.fill(s.planeA, bias[o]);
            Arrays.fill(s.planeB, bias[o + 1]);
            int j = 0;
            for (; j + 3 < k; j += 4) {
                VectorMath.axpy4x2(a[j], a[j + 1], a[j + 2], a[j + 3], b[j], b[j + 1], b[j + 2], b[j + 3],
                        cols[j], cols[j + 1], cols[j + 2], cols[j + 3], s.planeA, s.planeB);
            }
            for (; j < k; j++) {
                VectorMath.fma(a[j], cols[j], s.planeA);
                VectorMath.fma(b[j], cols[j], s.planeB);
            }
            System.arraycopy(s.planeA, 0, z, o * p, p);
            System.arraycopy(s.planeB, 0, z, (o + 1) * p, p);
        }
        if (o < weights.length) {
            float[] a = weights[o];
            Arrays.fill(s.planeA, bias[o]);
            int j = 0;
            for (; j + 3 < k; j += 4) {
                VectorMath.fma4(a[j], cols[j], a[j + 1], cols[j + 1], a[j + 2], cols[j + 2], a[j + 3], cols[j + 3],
                        s.planeA);
            }
            for (; j < k; j++) {
                VectorMath.fma(a[j], cols[j], s.planeA);
            }
            System.arraycopy(s.planeA, 0, z, o * p, p);
        }
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
                        if (strideW == 1 && dx >= 0 && dx + outW <= inW) {
                            System.arraycopy(x, src + dx, col, o, outW);
                            continue;
                        }
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
        int nonZero = 0;
        for (float d : outGrad) {
            nonZero += d != 0f ? 1 : 0;
        }
        if (nonZero == 0) {
            return;
        }
        if (manyChannels() ? kernelH * kernelW == 1
                : (long) nonZero * DENSE_DELTAS_DENOMINATOR >= (long) shape.size() * DENSE_DELTAS_NUMERATOR) {
            backwardByPlanes(outGrad, inGrad[0], s);
        } else if (manyChannels()) {
            backwardByFields(outGrad, inGrad[0], s);
        } else {
            backwardByDeltas(outGrad, inGrad[0], s);
        }
    }

    /**
     * Dense deltas: the columns' gradients are the transposed product {@code Wᵀ·Δ}, two kernel elements at a time, added
     * back to the input ({@code col2im}).
     */
    private void backwardByPlanes(float[] outGrad, float[] dx, Scratch s) {
        int p = shape.plane();
        int outChannels = weights.length;
        float[][] deltas = s.deltaPlanes;
        for (int o = 0; o < outChannels; o++) {
            System.arraycopy(outGrad, o * p, deltas[o], 0, p);
        }
        float[][] dcols = s.columns;
        int j = 0;
        for (; j + 1 < k; j += 2) {
            float[] a = transposed[j];
            float[] b = transposed[j + 1];
            Arrays.fill(dcols[j], 0f);
            Arrays.fill(dcols[j + 1], 0f);
            int o = 0;
            for (; o + 3 < outChannels; o += 4) {
                VectorMath.axpy4x2(a[o], a[o + 1], a[o + 2], a[o + 3], b[o], b[o + 1], b[o + 2], b[o + 3],
                        deltas[o], deltas[o + 1], deltas[o + 2], deltas[o + 3], dcols[j], dcols[j + 1]);
            }
            for (; o < outChannels; o++) {
                VectorMath.fma(a[o], deltas[o], dcols[j]);
                VectorMath.fma(b[o], deltas[o], dcols[j + 1]);
            }
        }
        if (j < k) {
            float[] a = transposed[j];
            Arrays.fill(dcols[j], 0f);
            for (int o = 0; o < outChannels; o++) {
                VectorMath.fma(a[o], deltas[o], dcols[j]);
            }
        }
        scatter(dcols, dx);
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

    /** Adds each non-zero delta's kernel, scaled, to the input gradient. */
    private void backwardByDeltas(float[] outGrad, float[] dx, Scratch s) {
        int inH = input.height();
        int inW = input.width();
        int outW = shape.width();
        int p = shape.plane();
        int count = VectorMath.nonZeros(outGrad, 0, shape.size(), s.indices, s.values);
        for (int t = 0; t < count; t++) {
            int at = s.indices[t];
            float d = s.values[t];
            int o = at / p;
            int q = at - o * p;
            int oy = q / outW;
            int ox = q - oy * outW;
            float[] w = weights[o];
            int y0 = oy * strideH - padTop;
            int x0 = ox * strideW - padLeft;
            if (inside[q]) {
                for (int c = 0, j = 0; c < input.channels(); c++) {
                    for (int kh = 0; kh < kernelH; kh++, j += kernelW) {
                        int row = (c * inH + y0 + kh * dilationH) * inW + x0;
                        for (int kw = 0; kw < kernelW; kw++) {
                            dx[row + kw * dilationW] += d * w[j + kw];
                        }
                    }
                }
                continue;
            }
            for (int c = 0, j = 0; c < input.channels(); c++) {
                for (int kh = 0; kh < kernelH; kh++, j += kernelW) {
                    int iy = y0 + kh * dilationH;
                    if (iy < 0 || iy >= inH) {
                        continue;
                    }
                    int row = (c * inH + iy) * inW;
                    for (int kw = 0; kw < kernelW; kw++) {
                        int ix = x0 + kw * dilationW;
                        if (ix >= 0 && ix < inW) {
                            dx[row + ix] += d * w[j + kw];
                        }
                    }
                }
            }
        }
    }

    /**
     * For each output position with a non-zero delta, combines the output channels' weight vectors into the receptive
     * field's gradient and adds it back, channels-last.
     */
    private void backwardByFields(float[] outGrad, float[] target, Scratch s) {
        int channels = input.channels();
        int outChannels = shape.channels();
        int plane = shape.plane();
        int outW = shape.width();
        float[] field = s.field;
        float[] dx = s.pixelGradients;
        Arrays.fill(dx, 0f);
        for (int oy = 0, q = 0; oy < shape.height(); oy++) {
            for (int ox = 0; ox < outW; ox++, q++) {
                int count = 0;
                for (int o = 0; o < outChannels; o++) {
                    float d = outGrad[o * plane + q];
                    s.indices[count] = o;
                    s.values[count] = d;
                    count += d != 0f ? 1 : 0;
                }
                if (count == 0) {
                    continue;
                }
                Arrays.fill(field, 0f);
                VectorMath.sparseCombination(columns, s.indices, s.values, count, field);
                for (int kh = 0; kh < kernelH; kh++) {
                    int iy = oy * strideH + kh * dilationH - padTop;
                    if (iy < 0 || iy >= input.height()) {
                        continue;
                    }
                    for (int kw = 0; kw < kernelW; kw++) {
                        int ix = ox * strideW + kw * dilationW - padLeft;
                        if (ix < 0 || ix >= input.width()) {
                            continue;
                        }
                        int to = (iy * input.width() + ix) * channels;
                        int from = (kh * kernelW + kw) * channels;
                        for (int c = 0; c < channels; c++) {
                            dx[to + c] += field[from + c];
                        }
                    }
                }
            }
        }
        int pixels = input.height() * input.width();
        for (int c = 0; c < channels; c++) {
            for (int p = 0, at = c * pixels; p < pixels; p++, at++) {
                target[at] += dx[p * channels + c];
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
