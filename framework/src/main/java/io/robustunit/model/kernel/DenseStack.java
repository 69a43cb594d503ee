package io.robustunit.model.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.bytedeco.javacpp.FloatPointer;

/**
 * A chain of dense layers (an MLP) evaluated a block of {@value #BLOCK} examples at a time through OpenBLAS: from
 * {@value #MIN_ROWS} rows on, one matrix product per layer beats {@link DenseOp}'s per-example loops, which skip zeros
 * but cannot reach a tuned GEMM's multiply-adds per cycle.
 *
 * <p>Every product has {@value #BLOCK} rows, the last block of a call padded, so that OpenBLAS takes the same code path
 * for every row whatever the batch size: a row's bits depend on its values only, not on the batch it came in or the
 * number of threads (OpenBLAS picks another kernel for small products, which rounds differently). They may differ in
 * the last bits from {@link DenseOp}'s per-example results. The weights live in native memory, freed when the stack
 * is garbage-collected. The per-thread buffers are pooled by layer widths across stacks, since adversarial training
 * compiles a new classifier for every minibatch; there are never more of them than threads that ran at once.
 */
final class DenseStack {

    /** Rows per matrix product. */
    static final int BLOCK = 64;

    /**
     * A call with fewer rows, one block or less, goes through the per-example kernels: on two cores those beat one
     * product on one core (measured on the MNIST MLP's training minibatches of 64). The threshold does not depend on
     * the number of cores, so neither do the results.
     */
    static final int MIN_ROWS = BLOCK + 1;

    private final int layers;
    private final int[] widths;
    private final int widest;
    private final FloatPointer[] weights;
    private final float[][] biases;
    private final Activation[] activations;
    private static final Map<String, Queue<Block>> POOLS = new ConcurrentHashMap<>();

    private final Queue<Block> pool;

    private DenseStack(List<DenseOp> ops) {
        this.layers = ops.size();
        this.widths = new int[layers + 1];
        this.weights = new FloatPointer[layers];
        this.biases = new float[layers][];
        this.activations = new Activation[layers];
        widths[0] = ops.get(0).inputs();
        int max = widths[0];
        for (int l = 0; l < layers; l++) {
            DenseOp op = ops.get(l);
            widths[l + 1] = op.outputs();
            max = Math.max(max, op.outputs());
            weights[l] = new FloatPointer(op.weightsRowMajor());
            biases[l] = op.bias();
            activations[l] = op.activation();
        }
        this.widest = max;
        this.pool = POOLS.computeIfAbsent(Arrays.toString(widths), k -> new ConcurrentLinkedQueue<>());
    }

    /**
     * @return the stack of {@code nodes}, or {@code null} unless each node is a dense layer reading the one before it
     *         and OpenBLAS is available
     */
    static DenseStack of(List<KernelGraph.Node> nodes) {
        if (!applies(nodes)) {
            return null;
        }
        List<DenseOp> ops = new java.util.ArrayList<>(nodes.size());
        for (KernelGraph.Node node : nodes) {
            ops.add((DenseOp) node.op());
        }
        return new DenseStack(ops);
    }

    /** @return whether {@link #of} makes a stack of {@code nodes} */
    static boolean applies(List<KernelGraph.Node> nodes) {
        if (nodes.isEmpty() || !Blas.available()) {
            return false;
        }
        for (int i = 0; i < nodes.size(); i++) {
            KernelGraph.Node node = nodes.get(i);
            if (!(node.op() instanceof DenseOp) || node.inputs().length != 1 || node.inputs()[0] != i) {
                return false;
            }
        }
        return true;
    }

    int inputs() {
        return widths[0];
    }

    int outputs() {
        return widths[layers];
    }

    /** @return a block's buffers, from the pool if one is free; give it back with {@link #release} */
    Block acquire() {
        Block block = pool.poll();
        if (block == null) {
            block = new Block(widths, widest);
        }
        block.stack = this;
        return block;
    }

    void release(Block block) {
        block.stack = null;
        pool.offer(block);
    }

    /**
     * One thread's buffers for a block of rows: the native inputs of every product, and in Java the pre-activations,
     * activations and gradients of every layer, {@value #BLOCK} rows each.
     */
    static final class Block {
        private final int layers;
        private final int[] widths;
        private final FloatPointer[] in;
        private final FloatPointer product;
        private final FloatPointer delta;
        private final float[][] z;
        private final float[][] a;
        private final float[][] grad;
        /** The stack whose weights the block computes with, while it is out of the pool. */
        private DenseStack stack;

        Block(int[] widths, int widest) {
            this.layers = widths.length - 1;
            this.widths = widths;
            this.in = new FloatPointer[layers];
            this.product = zeroed((long) BLOCK * widest);
            this.delta = zeroed((long) BLOCK * widest);
            this.z = new float[layers][];
            this.a = new float[layers][];
            this.grad = new float[layers + 1][];
            for (int l = 0; l < layers; l++) {
                in[l] = zeroed((long) BLOCK * widths[l]);
                z[l] = new float[BLOCK * widths[l + 1]];
                a[l] = new float[BLOCK * widths[l + 1]];
            }
            for (int l = 0; l <= layers; l++) {
                grad[l] = new float[BLOCK * widths[l]];
            }
        }

        private static FloatPointer zeroed(long size) {
            FloatPointer p = new FloatPointer(size);
            p.zero();
            return p;
        }

        /** @return the last layer's outputs of the block's rows after {@link #forward}, {@code outputs()} per row */
        float[] logits() {
            return a[layers - 1];
        }

        /** @return where {@link #backward} reads the gradient at the logits, {@code outputs()} per row */
        float[] logitGradient() {
            return grad[layers];
        }

        /** @return the gradient at the inputs after {@link #backward}, {@code inputs()} per row */
        float[] inputGradient() {
            return grad[0];
        }

        /** The forward pass of rows {@code [from, from + rows)} of {@code x}, {@code rows ≤ BLOCK}. */
        void forward(float[] x, int from, int rows) {
            in[0].position(0).put(x, from * widths[0], rows * widths[0]);
            for (int l = 0; l < layers; l++) {
                int n = widths[l + 1];
                Blas.multiply(in[l], stack.weights[l], false, product, BLOCK, n, widths[l]);
                float[] zl = z[l];
                product.position(0).get(zl, 0, rows * n);
                float[] b = stack.biases[l];
                for (int r = 0; r < rows; r++) {
                    int at = r * n;
                    for (int j = 0; j < n; j++) {
                        zl[at + j] += b[j];
                    }
                }
                stack.activations[l].apply(zl, a[l], rows * n);
                if (l + 1 < layers) {
                    in[l + 1].position(0).put(a[l], 0, rows * n);
                }
            }
        }

        /**
         * Back-propagates {@link #logitGradient()} through the layers, after {@link #forward} of the same rows; the
         * gradients of the last layer and of the hidden ones are overwritten.
         */
        void backward(int rows) {
            for (int l = layers - 1; l >= 0; l--) {
                int n = widths[l + 1];
                float[] d = grad[l + 1];
                stack.activations[l].multiplyDerivative(z[l], a[l], d, rows * n);
                delta.position(0).put(d, 0, rows * n);
                Blas.multiply(delta, stack.weights[l], true, product, BLOCK, widths[l], n);
                product.position(0).get(grad[l], 0, rows * widths[l]);
            }
        }
    }
}
