package io.robustunit.model.kernel;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

import org.apiguardian.api.API;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The parameter gradient of a stack of dense layers that ends in softmax cross-entropy: what a weight update needs,
 * where the attack kernels compute only the input gradient. The weights are held by output, each column
 * {@code columns(layer)[j]} the {@code inputs} weights into output {@code j}, which is DL4J's {@code 'f'} order, and
 * the gradient comes in the same layout; the caller updates the columns in place and then calls
 * {@link #columnsChanged()}. Like the attack kernels it skips zero inputs in the forward pass, and visits only the
 * non-zero deltas in the backward pass. A minibatch is split into up to four parts, whatever the number of cores, each
 * with its own gradient, run on the common fork-join pool and summed in order at the end, so that the result is the
 * same on every machine. Where OpenBLAS is available and runs one thread per product, each part is instead three
 * {@code sgemm} products per layer (forward, weight gradient, backward), in two parts from
 * {@code 2 × }{@value #MIN_ROWS_PER_PRODUCT_PART} rows on and one below: the result then still does not depend on the
 * number of cores, but it is OpenBLAS's rounding, which depends on the CPU's kernels. Not thread-safe: one caller at
 * a time.
 */
@API(status = INTERNAL, since = "0.3")
public final class DenseBackprop {

    /** Rows per parallel task below which splitting a minibatch costs more than it saves. */
    private static final int MIN_ROWS_PER_TASK = 16;

    /** The number of parts a minibatch is split into, each summed on its own and then in order. */
    private static final int CHUNKS = 4;

    /** With OpenBLAS: the most parts a minibatch is split into, and the fewest rows per part. */
    private static final int PRODUCT_CHUNKS = 2;
    private static final int MIN_ROWS_PER_PRODUCT_PART = 64;

    /** DL4J's softmax cross-entropy clips probabilities to {@code [ε, 1 − ε]} before the log and the gradient. */
    private static final float SOFTMAX_CLIP = 1e-10f;

    private final int[] widths;
    private final Activation[] activations;
    private final int layers;
    private final int parallelism;
    private final float[][][] columns;
    /** The weights by input, {@code [inputs][outputs]}, for the Java path; {@code null} on the products path. */
    private final float[][][] rows;
    private final float[][] biases;
    private final Task[] tasks;
    /** Each layer's weights {@code [outputs][inputs]} in native memory, for OpenBLAS; {@code null} without it. */
    private final FloatPointer[] nativeWeights;
    private final float[][] flatWeights;

    /**
     * @param widths the width of the input and of each layer's output; the last is the number of classes
     * @param hidden the activation of each layer but the last, which is softmax
     * @param parallelism the number of threads a minibatch may be split over
     */
    public DenseBackprop(int[] widths, Activation[] hidden, int parallelism) {
        this(widths, hidden, parallelism, Blas.available() && Blas.threads() == 1);
    }

    /** @param products whether the passes are OpenBLAS products, which must then be available */
    DenseBackprop(int[] widths, Activation[] hidden, int parallelism, boolean products) {
        if (products && !Blas.available()) {
            throw new IllegalStateException("OpenBLAS is not available");
        }
        if (widths.length < 2 || hidden.length != widths.length - 2) {
            throw new IllegalArgumentException("expected one activation per hidden layer: " + widths.length
                    + " widths, " + hidden.length + " activations");
        }
        this.widths = widths.clone();
        this.activations = hidden.clone();
        this.layers = widths.length - 1;
        this.parallelism = Math.max(1, parallelism);
        this.columns = new float[layers][][];
        this.rows = new float[layers][][];
        this.biases = new float[layers][];
        for (int l = 0; l < layers; l++) {
            columns[l] = new float[widths[l + 1]][widths[l]];
            rows[l] = products ? null : new float[widths[l]][widths[l + 1]];
            biases[l] = new float[widths[l + 1]];
        }
        this.tasks = new Task[CHUNKS];
        this.nativeWeights = products ? new FloatPointer[layers] : null;
        this.flatWeights = products ? new float[layers][] : null;
        if (products) {
            for (int l = 0; l < layers; l++) {
                flatWeights[l] = new float[widths[l] * widths[l + 1]];
                nativeWeights[l] = new FloatPointer(flatWeights[l].length);
                nativeWeights[l].zero();
            }
        }
    }

    /** @return the number of inputs per example */
    public int inputs() {
        return widths[0];
    }

    /** @return the number of layers */
    public int layers() {
        return layers;
    }

    /**
     * @param layer the layer
     * @return its weights by output, {@code [outputs][inputs]}: the live arrays, to be updated in place
     */
    public float[][] columns(int layer) {
        return columns[layer];
    }

    /**
     * @param layer the layer
     * @return its bias, the live array
     */
    public float[] bias(int layer) {
        return biases[layer];
    }

    /** Must be called after the columns changed, before the next {@link #gradient}. */
    public void columnsChanged() {
        for (int l = 0; l < layers; l++) {
            float[][] c = columns[l];
            int outputs = c.length;
            int inputs = widths[l];
            if (nativeWeights != null) {
                // the products read the columns as they are, [outputs][inputs]; the rows are the Java path's
                for (int j = 0; j < outputs; j++) {
                    System.arraycopy(c[j], 0, flatWeights[l], j * inputs, inputs);
                }
                nativeWeights[l].position(0).put(flatWeights[l], 0, flatWeights[l].length);
                continue;
            }
            float[][] r = rows[l];
            for (int i = 0; i < inputs; i++) {
                float[] row = r[i];
                for (int j = 0; j < outputs; j++) {
                    row[j] = c[j][i];
                }
            }
        }
    }

    /** @return a gradient buffer shaped like the parameters */
    public Gradient newGradient() {
        return new Gradient(widths);
    }

    /**
     * The mean softmax cross-entropy over a minibatch and its gradient with respect to every weight and bias.
     *
     * @param x {@code count} examples of {@code widths[0]} features, row after row
     * @param labels their classes
     * @param count the number of examples, at least 1
     * @param out receives the gradient of the mean loss
     * @return the mean loss
     * @throws IllegalArgumentException if a label is not a class or the array sizes do not fit
     */
    public double gradient(float[] x, int[] labels, int count, Gradient out) {
        int classes = widths[layers];
        if (count < 1 || labels.length < count || x.length < (long) count * widths[0]) {
            throw new IllegalArgumentException("expected " + count + " examples of " + widths[0] + " features, got "
                    + x.length + " features and " + labels.length + " labels");
        }
        for (int r = 0; r < count; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("label " + labels[r] + " of example " + r
                        + " is not a class; labels must be in [0, " + classes + ")");
            }
        }
        // a fixed split, whatever the number of cores, so that the sums, and so the trained weights, are the same
        // on every machine
        int split = nativeWeights != null ? Math.max(1, Math.min(PRODUCT_CHUNKS, count / MIN_ROWS_PER_PRODUCT_PART))
                : Math.max(1, Math.min(CHUNKS, count / MIN_ROWS_PER_TASK));
        for (int t = 0; t < split; t++) {
            if (tasks[t] == null) {
                tasks[t] = new Task();
            }
            tasks[t].gradient.clear();
            tasks[t].loss = 0;
        }
        if (split == 1 || parallelism == 1) {
            for (int t = 0; t < split; t++) {
                tasks[t].rows(x, labels, (int) ((long) count * t / split), (int) ((long) count * (t + 1) / split));
            }
        } else {
            List<RecursiveAction> actions = new ArrayList<>(split);
            for (int t = 0; t < split; t++) {
                Task task = tasks[t];
                int start = (int) ((long) count * t / split);
                int end = (int) ((long) count * (t + 1) / split);
                actions.add(new RecursiveAction() {
                    @Override
                    protected void compute() {
                        task.rows(x, labels, start, end);
                    }
                });
            }
            ForkJoinTask.invokeAll(actions);
        }
        double loss = 0;
        out.clear();
        for (int t = 0; t < split; t++) {
            out.add(tasks[t].gradient);
            loss += tasks[t].loss;
        }
        out.scale(1f / count);
        return loss / count;
    }

    /**
     * One thread's rows: a forward and a backward pass per row keep every layer's activations and deltas, then each
     * weight column's gradient {@code Σ_r δ[r][j]·a[r]} is summed over the rows whose delta is non-zero, four rows per
     * pass over the column, which then stays in cache.
     */
    private final class Task {
        private final Gradient gradient = new Gradient(widths);
        /** {@code a[l][r]}: layer {@code l}'s input for row {@code r} ({@code a[0]} the example itself). */
        private float[][][] a = new float[layers + 1][0][];
        /** {@code z[l][r]}: the pre-activations whose activation is {@code a[l][r]}. */
        private float[][][] z = new float[layers + 1][0][];
        /** {@code delta[l][r]}: the loss gradient with respect to {@code z[l][r]}. */
        private float[][][] delta = new float[layers + 1][0][];
        /** The rows whose delta is non-zero for one output, and those deltas. */
        private int[] rowIndices = new int[0];
        private float[] rowValues = new float[0];
        private final int[] indices;
        private final float[] values;
        private double loss;

        Task() {
            int widest = MIN_ROWS_PER_TASK;
            for (int width : widths) {
                widest = Math.max(widest, width);
            }
            indices = new int[widest];
            values = new float[widest];
        }

        private void ensureRows(int rows) {
            if (a[0].length >= rows) {
                return;
            }
            for (int l = 0; l <= layers; l++) {
                a[l] = new float[rows][widths[l]];
                z[l] = new float[rows][widths[l]];
                delta[l] = new float[rows][widths[l]];
            }
            rowIndices = new int[rows];
            rowValues = new float[rows];
        }

        void rows(float[] x, int[] labels, int from, int to) {
            if (nativeWeights != null) {
                products(x, labels, from, to);
                return;
            }
            int d = widths[0];
            int n = to - from;
            ensureRows(n);
            for (int r = 0; r < n; r++) {
                System.arraycopy(x, (from + r) * d, a[0][r], 0, d);
                forward(r);
                loss += backward(r, labels[from + r]);
            }
            for (int l = 0; l < layers; l++) {
                float[][] deltas = delta[l + 1];
                float[][] gradientColumns = gradient.columns[l];
                float[] gradientBias = gradient.biases[l];
                for (int j = 0; j < gradientColumns.length; j++) {
                    int count = 0;
                    float sum = 0f;
                    for (int r = 0; r < n; r++) {
                        float v = deltas[r][j];
                        rowIndices[count] = r;
                        rowValues[count] = v;
                        count += v != 0f ? 1 : 0;
                        sum += v;
                    }
                    gradientBias[j] += sum;
                    VectorMath.sparseCombination(a[l], rowIndices, rowValues, count, gradientColumns[j]);
                }
            }
        }

        /** Native buffers for {@link #products}: each layer's input, and one for deltas and one for results. */
        private FloatPointer[] nativeInputs;
        private FloatPointer nativeDeltas;
        private FloatPointer nativeResult;
        /** Row after row: each layer's pre-activations {@code zf[l + 1]} and activations {@code af[l + 1]}. */
        private float[][] zf;
        private float[][] af;
        private float[] deltaRows;
        private float[] result;
        private int productRows;

        private void ensureProductRows(int n) {
            if (productRows >= n) {
                return;
            }
            int widest = 0;
            for (int w : widths) {
                widest = Math.max(widest, w);
            }
            nativeInputs = new FloatPointer[layers];
            zf = new float[layers + 1][];
            af = new float[layers + 1][];
            for (int l = 0; l < layers; l++) {
                nativeInputs[l] = new FloatPointer((long) n * widths[l]);
                zf[l + 1] = new float[n * widths[l + 1]];
                af[l + 1] = new float[n * widths[l + 1]];
            }
            int largest = 0;
            for (int l = 0; l < layers; l++) {
                largest = Math.max(largest, widths[l] * widths[l + 1]);
            }
            nativeDeltas = new FloatPointer((long) n * widest);
            nativeResult = new FloatPointer(Math.max((long) n * widest, largest));
            deltaRows = new float[n * widest];
            result = new float[Math.max(n * widest, largest)];
            productRows = n;
        }

        /**
         * {@link #rows} through OpenBLAS: per layer {@code Z = A·W + b} forward, then back from the softmax's
         * gradient {@code G}, the weight gradient {@code Gᵀ·A} (laid out by output, as the columns are), the bias
         * gradient {@code Σ G}, and {@code G·Wᵀ} times the activation's derivative for the layer below.
         */
        private void products(float[] x, int[] labels, int from, int to) {
            int n = to - from;
            ensureProductRows(n);
            int d = widths[0];
            nativeInputs[0].position(0).put(x, from * d, n * d);
            for (int l = 0; l < layers; l++) {
                int in = widths[l];
                int out = widths[l + 1];
                Blas.multiply(nativeInputs[l], nativeWeights[l], true, nativeResult, n, out, in);
                float[] zl = zf[l + 1];
                nativeResult.position(0).get(zl, 0, n * out);
                float[] b = biases[l];
                for (int r = 0; r < n; r++) {
                    for (int j = 0, at = r * out; j < out; j++) {
                        zl[at + j] += b[j];
                    }
                }
                if (l < layers - 1) {
                    activations[l].apply(zl, af[l + 1], n * out);
                    nativeInputs[l + 1].position(0).put(af[l + 1], 0, n * out);
                }
            }
            int classes = widths[layers];
            float[] g = deltaRows;
            for (int r = 0; r < n; r++) {
                loss += crossEntropy(zf[layers], r * classes, classes, labels[from + r], g);
            }
            for (int l = layers - 1; l >= 0; l--) {
                int in = widths[l];
                int out = widths[l + 1];
                nativeDeltas.position(0).put(g, 0, n * out);
                Blas.multiply(nativeDeltas, true, nativeInputs[l], false, nativeResult, out, in, n);
                nativeResult.position(0).get(result, 0, out * in);
                float[][] gradientColumns = gradient.columns[l];
                for (int j = 0; j < out; j++) {
                    System.arraycopy(result, j * in, gradientColumns[j], 0, in);
                }
                float[] gradientBias = gradient.biases[l];
                for (int r = 0; r < n; r++) {
                    for (int j = 0, at = r * out; j < out; j++) {
                        gradientBias[j] += g[at + j];
                    }
                }
                if (l > 0) {
                    Blas.multiply(nativeDeltas, nativeWeights[l], false, nativeResult, n, in, out);
                    nativeResult.position(0).get(g, 0, n * in);
                    activations[l - 1].multiplyDerivative(zf[l], af[l], g, n * in);
                }
            }
        }

        private void forward(int r) {
            for (int l = 0; l < layers; l++) {
                float[] zl = z[l + 1][r];
                System.arraycopy(biases[l], 0, zl, 0, zl.length);
                int count = VectorMath.nonZeros(a[l][r], 0, widths[l], indices, values);
                VectorMath.sparseCombination(rows[l], indices, values, count, zl);
                if (l < layers - 1) {
                    activations[l].apply(zl, a[l + 1][r], zl.length);
                }
            }
        }

        /** @return this row's loss, with the deltas of every layer left in {@link #delta} */
        private double backward(int r, int label) {
            float[] g = delta[layers][r];
            double loss = crossEntropy(z[layers][r], 0, g.length, label, g);
            for (int l = layers - 1; l > 0; l--) {
                int count = VectorMath.nonZeros(g, 0, g.length, indices, values);
                float[] previous = delta[l][r];
                Arrays.fill(previous, 0f);
                VectorMath.sparseCombination(columns[l], indices, values, count, previous);
                activations[l - 1].multiplyDerivative(z[l][r], a[l][r], previous, previous.length);
                g = previous;
            }
            return loss;
        }
    }

    /**
     * DL4J's softmax cross-entropy of one example: writes {@code clip(softmax(z)) − onehot(label)}, the gradient at
     * the logits {@code z[at, at + classes)}, to {@code g} from {@code at}.
     *
     * @return the example's loss, {@code −log} of its label's clipped probability
     */
    private static double crossEntropy(float[] z, int at, int classes, int label, float[] g) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, z[at + k]);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            g[at + k] = (float) Math.exp(z[at + k] - max);
            sum += g[at + k];
        }
        for (int k = 0; k < classes; k++) {
            g[at + k] = Math.min(Math.max((float) (g[at + k] / sum), SOFTMAX_CLIP), 1f - SOFTMAX_CLIP);
        }
        double loss = -Math.log(g[at + label]);
        g[at + label] -= 1f;
        return loss;
    }

    /** A gradient with respect to every weight and bias, laid out like the parameters. */
    @API(status = INTERNAL, since = "0.3")
    public static final class Gradient {
        private final float[][][] columns;
        private final float[][] biases;

        Gradient(int[] widths) {
            int layers = widths.length - 1;
            columns = new float[layers][][];
            biases = new float[layers][];
            for (int l = 0; l < layers; l++) {
                columns[l] = new float[widths[l + 1]][widths[l]];
                biases[l] = new float[widths[l + 1]];
            }
        }

        /**
         * @param layer the layer
         * @return the gradient of its weights, {@code [outputs][inputs]}
         */
        public float[][] columns(int layer) {
            return columns[layer];
        }

        /**
         * @param layer the layer
         * @return the gradient of its bias
         */
        public float[] bias(int layer) {
            return biases[layer];
        }

        void clear() {
            for (int l = 0; l < biases.length; l++) {
                for (float[] column : columns[l]) {
                    Arrays.fill(column, 0f);
                }
                Arrays.fill(biases[l], 0f);
            }
        }

        void add(Gradient other) {
            for (int l = 0; l < biases.length; l++) {
                for (int j = 0; j < columns[l].length; j++) {
                    VectorMath.axpy(1f, other.columns[l][j], columns[l][j]);
                }
                VectorMath.axpy(1f, other.biases[l], biases[l]);
            }
        }

        void scale(float factor) {
            for (int l = 0; l < biases.length; l++) {
                for (float[] column : columns[l]) {
                    scale(column, factor);
                }
                scale(biases[l], factor);
            }
        }

        private static void scale(float[] values, float factor) {
            for (int i = 0; i < values.length; i++) {
                values[i] *= factor;
            }
        }
    }
}
