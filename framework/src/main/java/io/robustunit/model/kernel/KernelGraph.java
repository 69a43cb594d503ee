package io.robustunit.model.kernel;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;

import org.apiguardian.api.API;

import io.robustunit.model.DifferentiableClassifier;

/**
 * A network as RobustUnit's kernels evaluate it: a directed acyclic graph of ops from one input to the logits of a
 * softmax classifier, each computing its forward pass and the gradient with respect to its inputs for one example
 * at a time, in float32. A backend (DL4J's, for one) builds it with {@link #builder(Shape)}; {@link #classifier}
 * turns it into a thread-safe {@link DifferentiableClassifier}.
 */
@API(status = INTERNAL, since = "0.1")
public final class KernelGraph {

    /** One node: its op and the nodes it reads, which come before it. */
    record Node(Op op, int[] inputs) {
    }

    private final Shape input;
    private final List<Node> nodes;

    private KernelGraph(Shape input, List<Node> nodes) {
        this.input = input;
        this.nodes = List.copyOf(nodes);
    }

    /**
     * @param input the shape of one example, as the features are laid out: channels-first for images
     * @return a builder whose node 0 is the input
     */
    public static Builder builder(Shape input) {
        return new Builder(input);
    }

    Shape input() {
        return input;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** @return the number of classes: the size of the last node */
    int classes() {
        return nodes.get(nodes.size() - 1).op().shape.size();
    }

    /**
     * @param parallelism the number of threads a batch may be split over
     * @param description what the classifier says it is
     * @return a thread-safe classifier whose probabilities are the softmax of the last node
     */
    public DifferentiableClassifier classifier(int parallelism, String description) {
        return new KernelClassifier(this, parallelism, description);
    }

    /** @return one line per op */
    public String describe() {
        StringBuilder out = new StringBuilder("input " + input);
        for (Node node : nodes) {
            out.append(" -> ").append(node.op().describe());
        }
        return out.toString();
    }

    /**
     * Adds ops one after another; each method returns the new node's index, which later ops name as their input.
     * Node 0 is the input. Shapes are checked as the ops are added.
     */
    public static final class Builder {

        private final Shape input;
        private final List<Node> nodes = new ArrayList<>();

        private Builder(Shape input) {
            this.input = input;
        }

        /** @return the shape of node {@code node}'s output */
        public Shape shape(int node) {
            return node == 0 ? input : nodes.get(node - 1).op().shape;
        }

        private int add(Op op, int... from) {
            for (int f : from) {
                if (f < 0 || f > nodes.size()) {
                    throw new IllegalArgumentException("node " + f + " does not exist yet");
                }
            }
            nodes.add(new Node(op, from.clone()));
            return nodes.size();
        }

        /**
         * @param weights {@code [inputs][outputs]}
         * @param bias {@code [outputs]}
         */
        public int dense(int from, float[][] weights, float[] bias, Activation activation) {
            if (shape(from).size() != weights.length) {
                throw new IllegalArgumentException("a dense layer of " + weights.length + " inputs cannot read "
                        + shape(from));
            }
            return add(new DenseOp(weights, bias, activation), from);
        }

        /**
         * @param weights {@code [outChannels][inChannels·kernelH·kernelW]}
         * @param output the output shape the layer's padding rule gives
         */
        @SuppressWarnings("checkstyle:ParameterNumber")
        public int conv(int from, Shape output, int kernelH, int kernelW, int strideH, int strideW, int dilationH,
                        int dilationW, int padTop, int padLeft, float[][] weights, float[] bias, Activation activation) {
            return add(new ConvOp(shape(from), output, kernelH, kernelW, strideH, strideW, dilationH, dilationW, padTop,
                    padLeft, weights, bias, activation), from);
        }

        /** @param padInDivisor for average pooling: whether padded positions count in the divisor */
        @SuppressWarnings("checkstyle:ParameterNumber")
        public int pool(int from, Shape output, boolean max, int kernelH, int kernelW, int strideH, int strideW,
                        int padTop, int padLeft, boolean padInDivisor) {
            return add(new PoolOp(shape(from), output, max, kernelH, kernelW, strideH, strideW, padTop, padLeft,
                    padInDivisor), from);
        }

        /** @param kind {@code MAX}, {@code AVG} or {@code SUM} */
        public int globalPool(int from, String kind) {
            return add(new GlobalPoolOp(shape(from), GlobalPoolOp.Kind.valueOf(kind)), from);
        }

        public int pad(int from, int top, int bottom, int left, int right) {
            return add(new PadOp(shape(from), top, bottom, left, right), from);
        }

        /** {@code f(scale[c]·x + shift[c])} per channel: inference-mode batch normalization. */
        public int channelAffine(int from, float[] scale, float[] shift, Activation activation) {
            return add(new ChannelAffineOp(shape(from), scale, shift, activation), from);
        }

        public int activation(int from, Activation activation) {
            return add(new ActivationOp(shape(from), activation), from);
        }

        /** @param kind {@code ADD}, {@code SUBTRACT} or {@code AVERAGE} */
        public int elementwise(String kind, int... from) {
            for (int f : from) {
                if (!shape(f).equals(shape(from[0]))) {
                    throw new IllegalArgumentException("elementwise inputs differ in shape: " + shape(f) + " vs "
                            + shape(from[0]));
                }
            }
            return add(new ElementwiseOp(shape(from[0]), ElementwiseOp.Kind.valueOf(kind), from.length), from);
        }

        /** Joins inputs channel after channel; images must agree in height and width. */
        public int concat(int... from) {
            Shape first = shape(from[0]);
            int channels = 0;
            int[] sizes = new int[from.length];
            for (int j = 0; j < from.length; j++) {
                Shape s = shape(from[j]);
                if (s.height() != first.height() || s.width() != first.width()) {
                    throw new IllegalArgumentException("cannot join " + s + " to " + first + " along channels");
                }
                channels += s.channels();
                sizes[j] = s.size();
            }
            return add(new ConcatOp(new Shape(channels, first.height(), first.width()), sizes), from);
        }

        /** @param channelsLast flatten in {@code H,W,C} order instead of {@code C,H,W} */
        public int flatten(int from, boolean channelsLast) {
            Shape s = shape(from);
            int node = channelsLast && !s.isVector() ? add(new PermuteOp(s, true), from) : from;
            return add(new ReshapeOp(s, Shape.vector(s.size())), node);
        }

        /**
         * @param image the shape to give the values
         * @param channelsLast whether the values are in {@code H,W,C} order
         */
        public int toImage(int from, Shape image, boolean channelsLast) {
            int node = add(new ReshapeOp(shape(from), image), from);
            return channelsLast ? add(new PermuteOp(image, false), node) : node;
        }

        /**
         * @return the graph, whose last node gives the logits, with batch normalizations and activation layers merged
         *         into the ops before them where nothing else reads those ops' outputs
         */
        public KernelGraph build() {
            if (nodes.isEmpty()) {
                throw new IllegalStateException("a kernel graph needs at least one op");
            }
            return new KernelGraph(input, Fusion.fuse(nodes));
        }
    }
}
