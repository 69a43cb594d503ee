package io.robustunit.model.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.GradientStep;
import io.robustunit.model.LogitLoss;

/**
 * A {@link KernelGraph} as a classifier: probabilities are the softmax of its last node, and the loss gradient is
 * {@code softmax − onehot} back-propagated through every op. Each example is computed on its own, so results do not
 * depend on the batch size or the number of threads; rows of a batch are split over the common fork-join pool. The
 * exception is a graph of dense layers only (an MLP): calls of {@value DenseStack#MIN_ROWS} rows or more go through
 * {@link DenseStack}'s matrix products, whose rows do not depend on the batch size or the threads either, but may
 * differ in their last bits from the per-example results of smaller calls. Where the ops use OpenBLAS, its kernels
 * (which it picks by size and by its own thread count) make the last bits depend on {@code OMP_NUM_THREADS}, never on
 * the batch or the fork-join threads. It is immutable, hence thread-safe.
 * Unlike DL4J's {@code LossMCXENT} it does not clip probabilities.
 */
final class KernelClassifier implements DifferentiableClassifier {

    /** Rows per parallel task below which splitting a batch costs more than it saves. */
    private static final int MIN_ROWS_PER_TASK = 16;

    private static final GradientStep COPY = (inputs, offset, gradient, gradientOffset, out, width) ->
            System.arraycopy(gradient, gradientOffset, out, offset, width);

    private final KernelGraph graph;
    private final KernelGraph.Node[] nodes;
    private final int inputSize;
    private final int numClasses;
    private final int parallelism;
    private final String description;
    /** The graph as a {@link DenseStack}, made at the first call that uses it; {@code null} until then. */
    private volatile DenseStack stack;
    private final boolean stackable;
    /** Workspaces of finished calls, for the next: never more than threads that ran at once. */
    private final ConcurrentLinkedQueue<Workspace> workspaces = new ConcurrentLinkedQueue<>();

    KernelClassifier(KernelGraph graph, int parallelism, String description) {
        this.graph = graph;
        this.nodes = graph.nodes().toArray(new KernelGraph.Node[0]);
        this.inputSize = graph.input().size();
        this.numClasses = graph.classes();
        this.parallelism = Math.max(1, parallelism);
        this.description = description;
        this.stackable = DenseStack.applies(graph.nodes());
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void probabilities(float[] inputs, int from, int count, float[] probabilities) {
        check(inputs, inputSize, from, count, "inputs");
        check(probabilities, numClasses, from, count, "probabilities");
        if (batched(count)) {
            runBlocks(from, count, (block, start, rows) -> {
                block.forward(inputs, start, rows);
                System.arraycopy(block.logits(), 0, probabilities, start * numClasses, rows * numClasses);
                for (int r = 0; r < rows; r++) {
                    softmax(probabilities, (start + r) * numClasses);
                }
            });
            return;
        }
        run(from, count, (workspace, row) -> workspace.probabilities(inputs, row, probabilities));
    }

    @Override
    public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient) {
        lossGradient(inputs, labels, from, count, gradient, COPY);
    }

    /** Applies {@code step} to each gradient while it is still in this thread's workspace. */
    @Override
    public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] out, GradientStep step) {
        check(inputs, inputSize, from, count, "inputs");
        check(out, inputSize, from, count, "out");
        checkLabels(labels, from, count);
        if (batched(count)) {
            runBlocks(from, count, (block, start, rows) -> {
                block.forward(inputs, start, rows);
                float[] top = block.logitGradient();
                System.arraycopy(block.logits(), 0, top, 0, rows * numClasses);
                for (int r = 0; r < rows; r++) {
                    softmax(top, r * numClasses);
                    top[r * numClasses + labels[start + r]] -= 1f;
                }
                block.backward(rows);
                float[] g = block.inputGradient();
                for (int r = 0; r < rows; r++) {
                    step.apply(inputs, (start + r) * inputSize, g, r * inputSize, out, inputSize);
                }
            });
            return;
        }
        run(from, count, (workspace, row) -> workspace.gradient(inputs, labels[row], row, out, step));
    }

    /** The exact pre-softmax values of the graph's last node. */
    @Override
    public void logits(float[] inputs, int from, int count, float[] logits) {
        check(inputs, inputSize, from, count, "inputs");
        check(logits, numClasses, from, count, "logits");
        if (batched(count)) {
            runBlocks(from, count, (block, start, rows) -> {
                block.forward(inputs, start, rows);
                System.arraycopy(block.logits(), 0, logits, start * numClasses, rows * numClasses);
            });
            return;
        }
        run(from, count, (workspace, row) -> workspace.logits(inputs, row, logits));
    }

    /** One forward and one backward pass per example, from {@code loss}'s gradient at the logits. */
    @Override
    public void logitGradient(float[] inputs, int from, int count, LogitLoss loss, float[] logits, float[] gradient) {
        check(inputs, inputSize, from, count, "inputs");
        check(logits, numClasses, from, count, "logits");
        check(gradient, inputSize, from, count, "gradient");
        if (batched(count)) {
            runBlocks(from, count, (block, start, rows) -> {
                block.forward(inputs, start, rows);
                System.arraycopy(block.logits(), 0, logits, start * numClasses, rows * numClasses);
                float[] top = block.logitGradient();
                for (int r = 0; r < rows; r++) {
                    int row = start + r;
                    loss.gradient(row, logits, row * numClasses, top, r * numClasses, numClasses);
                    requireZeroSum(top, r * numClasses, row);
                }
                block.backward(rows);
                System.arraycopy(block.inputGradient(), 0, gradient, start * inputSize, rows * inputSize);
            });
            return;
        }
        run(from, count, (workspace, row) -> workspace.logitGradient(inputs, row, loss, logits, gradient));
    }

    private static void check(float[] array, int width, int from, int count, String name) {
        if (from < 0 || count < 0) {
            throw new IllegalArgumentException("rows [" + from + ", " + from + " + " + count + ") are invalid");
        }
        long needed = ((long) from + count) * width;
        if (array.length < needed) {
            throw new IllegalArgumentException(name + " has " + array.length + " values but rows [" + from + ", "
                    + (from + count) + ") of width " + width + " need " + needed);
        }
    }

    private void checkLabels(int[] labels, int from, int count) {
        if (labels.length < from + count) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries but rows [" + from + ", "
                    + (from + count) + ") are requested");
        }
        for (int i = from; i < from + count; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label of example " + i + " is " + labels[i]
                        + "; labels must be in [0, " + numClasses + ")");
            }
        }
    }

    private void run(int from, int count, RowTask task) {
        int tasks = Math.min(parallelism, count / MIN_ROWS_PER_TASK);
        if (tasks <= 1) {
            runRows(from, count, task);
            return;
        }
        List<RecursiveAction> actions = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            int start = from + (int) ((long) count * t / tasks);
            int end = from + (int) ((long) count * (t + 1) / tasks);
            actions.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    runRows(start, end - start, task);
                }
            });
        }
        ForkJoinTask.invokeAll(actions);
    }

    private boolean batched(int count) {
        return stackable && count >= DenseStack.MIN_ROWS;
    }

    private DenseStack stack() {
        DenseStack s = stack;
        if (s == null) {
            synchronized (this) {
                s = stack;
                if (s == null) {
                    s = DenseStack.of(graph.nodes());
                    stack = s;
                }
            }
        }
        return s;
    }

    /**
     * Runs {@code task} on the blocks of {@value DenseStack#BLOCK} rows from {@code from}, contiguous runs of blocks
     * split over the fork-join pool; on this thread alone unless OpenBLAS is known to run one thread per product, so
     * that its own threads and the pool's do not compete for the cores.
     */
    private void runBlocks(int from, int count, BlockTask task) {
        int blocks = (count + DenseStack.BLOCK - 1) / DenseStack.BLOCK;
        int tasks = Blas.threads() == 1 ? Math.min(parallelism, blocks) : 1;
        if (tasks <= 1) {
            runBlockRange(from, count, 0, blocks, task);
            return;
        }
        List<RecursiveAction> actions = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            int first = (int) ((long) blocks * t / tasks);
            int end = (int) ((long) blocks * (t + 1) / tasks);
            actions.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    runBlockRange(from, count, first, end, task);
                }
            });
        }
        ForkJoinTask.invokeAll(actions);
    }

    private void runBlockRange(int from, int count, int first, int end, BlockTask task) {
        DenseStack stack = stack();
        DenseStack.Block block = stack.acquire();
        try {
            for (int b = first; b < end; b++) {
                int start = from + b * DenseStack.BLOCK;
                task.run(block, start, Math.min(DenseStack.BLOCK, from + count - start));
            }
        } finally {
            stack.release(block);
        }
    }

    @FunctionalInterface
    private interface BlockTask {
        /** Computes rows {@code [start, start + rows)} in {@code block}. */
        void run(DenseStack.Block block, int start, int rows);
    }

    private void runRows(int from, int count, RowTask task) {
        Workspace workspace = workspaces.poll();
        if (workspace == null) {
            workspace = new Workspace();
        }
        try {
            for (int row = from; row < from + count; row++) {
                task.run(workspace, row);
            }
        } finally {
            workspaces.offer(workspace);
        }
    }

    @FunctionalInterface
    private interface RowTask {
        void run(Workspace workspace, int row);
    }

    /** Buffers for one thread: every node's activations and gradients for one example, and the ops' scratch. */
    private final class Workspace {

        private final float[][] activations = new float[nodes.length + 1][];
        private final float[][] gradients = new float[nodes.length + 1][];
        private final float[][][] inputs = new float[nodes.length][][];
        private final float[][][] inputGradients = new float[nodes.length][][];
        private final Object[] scratch = new Object[nodes.length];

        Workspace() {
            activations[0] = new float[inputSize];
            gradients[0] = new float[inputSize];
            for (int i = 0; i < nodes.length; i++) {
                int size = nodes[i].op().shape.size();
                activations[i + 1] = new float[size];
                gradients[i + 1] = new float[size];
                scratch[i] = nodes[i].op().newScratch();
            }
            for (int i = 0; i < nodes.length; i++) {
                int[] from = nodes[i].inputs();
                inputs[i] = new float[from.length][];
                inputGradients[i] = new float[from.length][];
                for (int j = 0; j < from.length; j++) {
                    inputs[i][j] = activations[from[j]];
                    inputGradients[i][j] = gradients[from[j]];
                }
            }
        }

        private float[] forward(float[] x, int row) {
            System.arraycopy(x, row * inputSize, activations[0], 0, inputSize);
            for (int i = 0; i < nodes.length; i++) {
                nodes[i].op().forward(inputs[i], activations[i + 1], scratch[i]);
            }
            return activations[nodes.length];
        }

        void probabilities(float[] x, int row, float[] out) {
            float[] logits = forward(x, row);
            int at = row * numClasses;
            System.arraycopy(logits, 0, out, at, numClasses);
            softmax(out, at);
        }

        /** Back-propagates {@code softmax − onehot} from the logits to the input. */
        void gradient(float[] x, int label, int row, float[] out, GradientStep step) {
            float[] logits = forward(x, row);
            for (float[] g : gradients) {
                Arrays.fill(g, 0f);
            }
            float[] top = gradients[nodes.length];
            System.arraycopy(logits, 0, top, 0, numClasses);
            softmax(top, 0);
            top[label] -= 1f;
            for (int i = nodes.length - 1; i >= 0; i--) {
                nodes[i].op().backward(inputs[i], activations[i + 1], gradients[i + 1], inputGradients[i], scratch[i]);
            }
            step.apply(x, row * inputSize, gradients[0], 0, out, inputSize);
        }

        void logits(float[] x, int row, float[] out) {
            System.arraycopy(forward(x, row), 0, out, row * numClasses, numClasses);
        }

        /** Back-propagates {@code loss}'s gradient at the logits to the input. */
        void logitGradient(float[] x, int row, LogitLoss loss, float[] logitsOut, float[] out) {
            float[] logits = forward(x, row);
            System.arraycopy(logits, 0, logitsOut, row * numClasses, numClasses);
            for (float[] g : gradients) {
                Arrays.fill(g, 0f);
            }
            float[] top = gradients[nodes.length];
            loss.gradient(row, logitsOut, row * numClasses, top, 0, numClasses);
            requireZeroSum(top, 0, row);
            for (int i = nodes.length - 1; i >= 0; i--) {
                nodes[i].op().backward(inputs[i], activations[i + 1], gradients[i + 1], inputGradients[i], scratch[i]);
            }
            System.arraycopy(gradients[0], 0, out, row * inputSize, inputSize);
        }
    }

    /** The contract of {@link LogitLoss}, checked here too so that a loss behaves alike on every classifier. */
    private void requireZeroSum(float[] g, int at, int row) {
        double sum = 0;
        double magnitude = 0;
        for (int k = 0; k < numClasses; k++) {
            sum += g[at + k];
            magnitude += Math.abs(g[at + k]);
        }
        if (!(Math.abs(sum) <= 1e-4 * magnitude + 1e-6)) {
            throw new IllegalArgumentException("the logit gradient of example " + row + " sums to " + sum
                    + " but must sum to zero: " + Arrays.toString(Arrays.copyOfRange(g, at, at + numClasses)));
        }
    }

    private void softmax(float[] z, int at) {
        float max = z[at];
        for (int k = 1; k < numClasses; k++) {
            max = Math.max(max, z[at + k]);
        }
        float sum = 0f;
        for (int k = 0; k < numClasses; k++) {
            z[at + k] = (float) Math.exp(z[at + k] - max);
            sum += z[at + k];
        }
        float inverse = 1f / sum;
        for (int k = 0; k < numClasses; k++) {
            z[at + k] *= inverse;
        }
    }

    @Override
    public String toString() {
        return description + ": " + graph.describe();
    }
}
