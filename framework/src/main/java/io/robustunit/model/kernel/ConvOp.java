package io.robustunit.model.kernel;

import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;

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
 *   <li>Where OpenBLAS is available and runs one thread per product, both passes are {@code sgemm} products per
 *       example instead. With stride 1 the forward pass is one product per kernel element on a zero-padded copy of
 *       the input, with no {@code im2col} copy, and the backward pass, where the deltas are dense enough, is the
 *       forward pass of the adjoint convolution (flipped kernels, channels swapped). Other strides multiply the
 *       flattened {@code im2col} columns forward and take {@code Wᵀ·Δ} back through {@code col2im}. The products'
 *       shapes depend on the layer only, so results still do not depend on the batch or the threads.</li>
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
    /**
     * With OpenBLAS, the share of non-zero deltas from which its product runs instead of the sparse backward passes:
     * on ResNet-20 taking it from half the deltas on cost a third of FGSM's speed, and from a fifth on or always made
     * no difference.
     */
    private static final int BLAS_DELTAS_NUMERATOR = 1;
    private static final int BLAS_DELTAS_DENOMINATOR = 5;

    /** {@code [(c·KH + kh)·KW + kw][o]}: the weights transposed, for the dense backward pass. */
    private final float[][] transposed;
    /** {@code [o][(kh·KW + kw)·C + c]}: the backward pass's rows, channels-last, one per output channel. */
    private final float[][] columns;
    private final float[] bias;
    private final Activation activation;
    private final int k;
    /** {@code [o][k]} in native memory for OpenBLAS, or {@code null} where it is not available. */
    private final FloatPointer nativeWeights;
    /**
     * For stride 1 through OpenBLAS: per kernel element {@code (kh, kw)}, its weights {@code [o][c]}, a view into one
     * native array; {@code null} otherwise. Only read after construction, so threads share them.
     */
    private final FloatPointer[] taps;
    /** The native array {@link #taps} view, held so that it lives as long as they do. */
    private final FloatPointer tapWeights;
    /**
     * Whether this op's scratches take the OpenBLAS products: decided once, when the op is made, so that every example
     * it computes rounds alike even if OpenBLAS's thread count changes later.
     */
    private final boolean products;
    /** {@link #adjoint()}, once made. */
    private volatile ConvOp adjoint;
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
        /** For OpenBLAS, where it is used: the columns flattened {@code [k][plane]}, and native copies. */
        final float[] flat;
        final FloatPointer nativeColumns;
        final FloatPointer nativeDeltas;
        /** Whether the passes are OpenBLAS products. */
        final boolean products;
        /**
         * For a stride-1 layer's backward pass through OpenBLAS: the adjoint convolution (the one this scratch was made
         * for, whatever {@link #adjoint()} returns later), its scratch and its output.
         */
        final ConvOp adjointOp;
        final Object adjointScratch;
        final float[] adjointOut;
        /** For a stride-1 layer through OpenBLAS: the zero-padded input in native memory, and the wide output. */
        final FloatPointer padded;
        final java.nio.FloatBuffer paddedView;
        final float[] wide;

        /**
         * @param products whether the passes are OpenBLAS products
         * @param backward whether the backward pass may run: the adjoint convolution only ever runs forward
         */
        Scratch(ConvOp op, boolean keepZ, boolean products, boolean backward) {
            int k = op.k;
            int p = op.shape.plane();
            boolean fields = op.manyChannels();
            boolean wideRows = products && op.wideRows();
            this.products = products;
            this.adjointOp = products && backward ? op.adjoint() : null;
            // the Java loops: the forward pass's planes without products, the backward passes wherever one runs
            this.columns = backward || !products ? new float[k][p] : null;
            this.deltaPlanes = backward ? new float[op.shape.channels()][p] : null;
            this.planeA = products ? null : new float[p];
            this.planeB = products ? null : new float[p];
            this.indices = backward ? new int[fields ? op.shape.channels() : op.shape.size()] : null;
            this.values = backward ? new float[fields ? op.shape.channels() : op.shape.size()] : null;
            this.field = backward && fields ? new float[k] : null;
            this.pixelGradients = backward && fields ? new float[op.input.size()] : null;
            this.z = keepZ ? new float[op.shape.size()] : null;
            // the products: im2col columns where the forward pass is not on wide rows or the backward pass is Wᵀ·Δ
            int run = op.shape.height() * op.paddedWidth();
            boolean flatColumns = products && (!wideRows || backward && adjointOp == null);
            this.flat = flatColumns ? new float[k * p] : null;
            this.nativeColumns = flatColumns ? new FloatPointer((long) k * p) : null;
            this.nativeDeltas = products ? new FloatPointer((long) op.shape.channels() * Math.max(p, wideRows ? run : 0))
                    : null;
            if (wideRows) {
                this.padded = new FloatPointer((long) op.input.channels() * op.paddedHeight() * op.paddedWidth()
                        + (long) (op.kernelW - 1) * op.dilationW);
                padded.zero();
                this.paddedView = padded.asBuffer();
                this.wide = new float[op.shape.channels() * run];
            } else {
                this.padded = null;
                this.paddedView = null;
                this.wide = null;
            }
            this.adjointScratch = adjointOp != null ? new Scratch(adjointOp, false, true, false) : null;
            this.adjointOut = adjointOp != null ? new float[op.input.size()] : null;
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
        if (Blas.available()) {
            float[] flat = new float[outChannels * k];
            for (int o = 0; o < outChannels; o++) {
                System.arraycopy(weights[o], 0, flat, o * k, k);
            }
            this.nativeWeights = new FloatPointer(flat);
        } else {
            this.nativeWeights = null;
        }
        this.products = nativeWeights != null && Blas.threads() == 1;
        if (nativeWeights != null && wideRows()) {
            int elements = kernelH * kernelW;
            float[] byTap = new float[elements * outChannels * channels];
            for (int o = 0; o < outChannels; o++) {
                for (int c = 0; c < channels; c++) {
                    for (int t = 0; t < elements; t++) {
                        byTap[(t * outChannels + o) * channels + c] = weights[o][c * elements + t];
                    }
                }
            }
            this.tapWeights = new FloatPointer(byTap);
            this.taps = new FloatPointer[elements];
            for (int t = 0; t < elements; t++) {
                taps[t] = new FloatPointer(tapWeights).position((long) t * outChannels * channels);
            }
        } else {
            this.taps = null;
            this.tapWeights = null;
        }
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
        return newScratch(products);
    }

    /** @param products whether the passes go through OpenBLAS, which must be available */
    Object newScratch(boolean products) {
        if (products && nativeWeights == null) {
            throw new IllegalStateException("OpenBLAS is not available");
        }
        return new Scratch(this, activation.usesInput(), products, true);
    }

    private boolean manyChannels() {
        return input.channels() >= MIN_CHANNELS_PER_POSITION;
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        Scratch s = (Scratch) scratch;
        float[] z = s.z != null ? s.z : out;
        if (s.products) {
            forwardByProduct(in[0], z, s);
        } else {
            forwardByPlanes(in[0], z, s);
        }
        activation.apply(z, out, shape.size());
    }

    /**
     * Whether the OpenBLAS forward pass works on wide rows: with stride 1, each kernel element reads the zero-padded
     * input as one contiguous run per channel, {@link #paddedWidth()} values per output row instead of the output's
     * width, so that a product per kernel element needs no {@code im2col} copy. The products then compute
     * {@code (K − 1)·d} extra values per output row (6–25% on ResNet-20's planes), which are dropped.
     */
    private boolean wideRows() {
        return strideH == 1 && strideW == 1;
    }

    /** @return the padded input's width for {@link #wideRows()}: the output's width plus the dilated kernel's */
    private int paddedWidth() {
        return shape.width() + (kernelW - 1) * dilationW;
    }

    private int paddedHeight() {
        return shape.height() + (kernelH - 1) * dilationH;
    }

    /** {@code z = W·cols + b}, one OpenBLAS product on the flattened {@code im2col} columns. */
    private void forwardByProduct(float[] x, float[] z, Scratch s) {
        if (s.padded != null) {
            forwardByWideProduct(x, z, s);
            return;
        }
        int p = shape.plane();
        gather(x, null, s.flat);
        s.nativeColumns.position(0).put(s.flat, 0, k * p);
        Blas.multiply(nativeWeights, false, s.nativeColumns, false, s.nativeDeltas, weights.length, p, k);
        s.nativeDeltas.position(0).get(z, 0, weights.length * p);
        for (int o = 0; o < weights.length; o++) {
            float b = bias[o];
            for (int q = o * p, end = q + p; q < end; q++) {
                z[q] += b;
            }
        }
    }

    /**
     * {@link #forwardByProduct} for stride 1: the input goes into a zero-padded native copy, and the output, on wide
     * rows, is a sum of one product per kernel element {@code (kh, kw)}: its {@code [o][c]} weights times the padded
     * input shifted by the element's offset, every channel's plane one row of a matrix whose rows are a padded plane
     * apart. No {@code im2col} copy is made.
     */
    private void forwardByWideProduct(float[] x, float[] z, Scratch s) {
        int inH = input.height();
        int inW = input.width();
        int ph = paddedHeight();
        int pw = paddedWidth();
        int outH = shape.height();
        int outW = shape.width();
        int channels = input.channels();
        java.nio.FloatBuffer padded = s.paddedView;
        // the input at (padTop, padLeft); the border stays zero from the scratch's creation, since the copied region
        // is the same for every example
        int rows = Math.min(inH, ph - padTop);
        int cols = Math.min(inW, pw - padLeft);
        for (int c = 0; c < channels; c++) {
            for (int iy = 0; iy < rows; iy++) {
                padded.put((c * ph + padTop + iy) * pw + padLeft, x, (c * inH + iy) * inW, cols);
            }
        }
        int run = outH * pw;
        int outChannels = weights.length;
        for (int kh = 0, t = 0; kh < kernelH; kh++) {
            for (int kw = 0; kw < kernelW; kw++, t++) {
                s.padded.position((long) kh * dilationH * pw + (long) kw * dilationW);
                Blas.multiplyAdd(taps[t], channels, s.padded, ph * pw, t == 0 ? 0f : 1f, s.nativeDeltas, run,
                        outChannels, run, channels);
            }
        }
        s.padded.position(0);
        float[] wide = s.wide;
        s.nativeDeltas.position(0).get(wide, 0, outChannels * run);
        for (int o = 0; o < outChannels; o++) {
            float b = bias[o];
            for (int oy = 0; oy < outH; oy++) {
                int from = o * run + oy * pw;
                int to = (o * outH + oy) * outW;
                for (int ox = 0; ox < outW; ox++) {
                    z[to + ox] = wide[from + ox] + b;
                }
            }
        }
    }

    /** Accumulates two output planes at a time from the input's {@code im2col} columns. */
    private void forwardByPlanes(float[] x, float[] z, Scratch s) {
        gather(x, s.columns, null);
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

    /**
     * {@code columns[(c, kh, kw)][(oy, ox)] = x[c][oy·sh + kh·dh − top][ox·sw + kw·dw − left]}, zero outside: into
     * {@code columns}, one array per kernel element, or where it is {@code null} into {@code flat}, one plane after
     * another.
     */
    private void gather(float[] x, float[][] columns, float[] flat) {
        int inH = input.height();
        int inW = input.width();
        int outH = shape.height();
        int outW = shape.width();
        int row = 0;
        for (int c = 0; c < input.channels(); c++) {
            int base = c * inH * inW;
            for (int kh = 0; kh < kernelH; kh++) {
                for (int kw = 0; kw < kernelW; kw++) {
                    float[] col = columns != null ? columns[row] : flat;
                    int start = columns != null ? 0 : row * outH * outW;
                    row++;
                    int dx = kw * dilationW - padLeft;
                    int lo = Math.min(outW, firstInside(dx));
                    int hi = Math.max(lo, endInside(dx, inW, outW));
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * strideH + kh * dilationH - padTop;
                        int o = start + oy * outW;
                        if (iy < 0 || iy >= inH) {
                            Arrays.fill(col, o, o + outW, 0f);
                            continue;
                        }
                        int src = base + iy * inW + dx;
                        Arrays.fill(col, o, o + lo, 0f);
                        if (strideW == 1) {
                            System.arraycopy(x, src + lo, col, o + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                col[o + ox] = x[src + ox * strideW];
                            }
                        }
                        Arrays.fill(col, o + hi, o + outW, 0f);
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
        if (s.products && (long) nonZero * BLAS_DELTAS_DENOMINATOR >= (long) shape.size() * BLAS_DELTAS_NUMERATOR) {
            if (s.adjointScratch != null) {
                backwardByAdjoint(outGrad, inGrad[0], s);
            } else {
                backwardByProduct(outGrad, inGrad[0], s);
            }
        } else if (manyChannels() ? kernelH * kernelW == 1
                : (long) nonZero * DENSE_DELTAS_DENOMINATOR >= (long) shape.size() * DENSE_DELTAS_NUMERATOR) {
            backwardByPlanes(outGrad, inGrad[0], s);
        } else if (manyChannels()) {
            backwardByFields(outGrad, inGrad[0], s);
        } else {
            backwardByDeltas(outGrad, inGrad[0], s);
        }
    }

    /**
     * @return for a stride-1 convolution whose padding is at most its dilated kernel's extent (valid and same
     *         padding), the adjoint convolution, which maps output deltas to the input gradient: the kernels flipped in
     *         both directions with input and output channels swapped, and the padding {@code (K − 1)·d − pad}.
     *         Its forward pass gathers contiguous runs where {@code col2im}'s scattered adds are slow. {@code null}
     *         for other convolutions, which back-propagate through {@link #scatter}.
     */
    private ConvOp adjoint() {
        if (strideH != 1 || strideW != 1 || nativeWeights == null) {
            return null;
        }
        int top = (kernelH - 1) * dilationH - padTop;
        int left = (kernelW - 1) * dilationW - padLeft;
        if (top < 0 || left < 0) {
            return null;
        }
        ConvOp a = adjoint;
        if (a == null) {
            int channels = input.channels();
            int outChannels = shape.channels();
            float[][] flipped = new float[channels][outChannels * kernelH * kernelW];
            for (int o = 0; o < outChannels; o++) {
                for (int c = 0; c < channels; c++) {
                    for (int kh = 0; kh < kernelH; kh++) {
                        for (int kw = 0; kw < kernelW; kw++) {
                            flipped[c][(o * kernelH + kh) * kernelW + kw] =
                                    weights[o][(c * kernelH + kernelH - 1 - kh) * kernelW + kernelW - 1 - kw];
                        }
                    }
                }
            }
            a = new ConvOp(shape, input, kernelH, kernelW, 1, 1, dilationH, dilationW, top, left, flipped,
                    new float[channels], Activation.identity());
            adjoint = a;
        }
        return a;
    }

    /** The input gradient as the adjoint convolution of the deltas, added to {@code dx}. */
    private void backwardByAdjoint(float[] outGrad, float[] dx, Scratch s) {
        s.adjointOp.forwardByProduct(outGrad, s.adjointOut, (Scratch) s.adjointScratch);
        VectorMath.axpy(1f, s.adjointOut, dx);
    }

    /** {@code cols' = Wᵀ·Δ}, one OpenBLAS product, added back to the input ({@code col2im}). */
    private void backwardByProduct(float[] outGrad, float[] dx, Scratch s) {
        int p = shape.plane();
        s.nativeDeltas.position(0).put(outGrad, 0, shape.size());
        Blas.multiply(nativeWeights, true, s.nativeDeltas, false, s.nativeColumns, k, p, weights.length);
        s.nativeColumns.position(0).get(s.flat, 0, k * p);
        scatter(null, s.flat, dx);
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
        scatter(dcols, null, dx);
    }

    /** @return the first output column {@code ox} whose input column {@code ox·sw + shift} is not left of the input */
    private int firstInside(int shift) {
        return shift >= 0 ? 0 : (-shift + strideW - 1) / strideW;
    }

    /** @return one past the last output column whose input column {@code ox·sw + shift} is inside the input */
    private int endInside(int shift, int inW, int outW) {
        return inW - shift <= 0 ? 0 : Math.min(outW, (inW - shift + strideW - 1) / strideW);
    }

    /** The transpose of {@link #gather}: adds each column value back to the input position it came from. */
    private void scatter(float[][] columns, float[] flat, float[] dx) {
        int inH = input.height();
        int inW = input.width();
        int outH = shape.height();
        int outW = shape.width();
        int row = 0;
        for (int c = 0; c < input.channels(); c++) {
            int base = c * inH * inW;
            for (int kh = 0; kh < kernelH; kh++) {
                for (int kw = 0; kw < kernelW; kw++) {
                    float[] col = columns != null ? columns[row] : flat;
                    int start = columns != null ? 0 : row * outH * outW;
                    row++;
                    int shift = kw * dilationW - padLeft;
                    int lo = firstInside(shift);
                    int hi = endInside(shift, inW, outW);
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * strideH + kh * dilationH - padTop;
                        if (iy < 0 || iy >= inH) {
                            continue;
                        }
                        int dst = base + iy * inW + shift;
                        int o = start + oy * outW;
                        for (int ox = lo; ox < hi; ox++) {
                            dx[dst + ox * strideW] += col[o + ox];
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
