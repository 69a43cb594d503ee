package io.robustunit.model.dl4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.robustunit.model.kernel.Activation;
import io.robustunit.model.kernel.KernelGraph;
import io.robustunit.model.kernel.Shape;

/**
 * Translates a DL4J network into a {@link KernelGraph}, layer by layer, with a snapshot of its parameters. A layer
 * the kernels do not evaluate is reported as {@link Unsupported}, naming it and the reason; the network then falls
 * back to DL4J's own backprop.
 */
final class KernelCompiler {

    /** A layer, vertex or setting the kernels do not evaluate. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String where, String why) {
            super(where + " " + why);
        }
    }

    /** A node of the graph being built with the DL4J input type of its output. */
    private record Node(int id, InputType type) {
    }

    /** Reads a layer's parameters by name. */
    @FunctionalInterface
    private interface Params {
        INDArray get(String name);
    }

    private final KernelGraph.Builder builder;

    private KernelCompiler(KernelGraph.Builder builder) {
        this.builder = builder;
    }

    static KernelGraph compile(MultiLayerNetwork network, ExampleShape example) throws Unsupported {
        checkFloat(network.params().dataType());
        // a softmax head without a loss computes what an output layer computes; the kernels need its logits
        MultiLayerConfiguration conf = SoftmaxHeads.withLoss(network.getLayerWiseConfigurations());
        KernelCompiler compiler = new KernelCompiler(KernelGraph.builder(inputShape(example)));
        Node node = compiler.input(example);
        int n = conf.getConfs().size();
        for (int i = 0; i < n; i++) {
            String where = "layer " + i + " (" + name(conf.getConf(i).getLayer()) + ")";
            node = compiler.preprocess(conf.getInputPreProcess(i), node, where);
            org.deeplearning4j.nn.api.Layer runtime = network.getLayer(i);
            node = compiler.layer(conf.getConf(i).getLayer(), runtime::getParam, node, where, i == n - 1, i);
        }
        return compiler.builder.build();
    }

    static KernelGraph compile(ComputationGraph graph, ExampleShape example) throws Unsupported {
        checkFloat(graph.params().dataType());
        ComputationGraphConfiguration conf = SoftmaxHeads.withLoss(graph.getConfiguration());
        KernelCompiler compiler = new KernelCompiler(KernelGraph.builder(inputShape(example)));
        Map<String, Node> nodes = new HashMap<>();
        nodes.put(conf.getNetworkInputs().get(0), compiler.input(example));
        String output = conf.getNetworkOutputs().get(0);
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            GraphVertex vertex = conf.getVertices().get(name);
            if (vertex == null) {
                continue;
            }
            List<Node> in = new ArrayList<>();
            for (String from : conf.getVertexInputs().get(name)) {
                in.add(nodes.get(from));
            }
            String where = "vertex '" + name + "'";
            nodes.put(name, compiler.vertex(graph, vertex, name, in, where, name.equals(output)));
        }
        return compiler.builder.build();
    }

    private static void checkFloat(DataType type) throws Unsupported {
        if (type != DataType.FLOAT) {
            throw new Unsupported("the network", "has " + type + " parameters; the kernels compute in float32");
        }
    }

    private static String name(Layer layer) {
        String name = layer.getLayerName();
        return name != null && !name.matches("layer\\d+") ? layer.getClass().getSimpleName() + " '" + name + "'"
                : layer.getClass().getSimpleName();
    }

    private static Shape inputShape(ExampleShape example) {
        return Shape.vector(example.size());
    }

    /** The input node, reshaped to an image in the kernels' channels-first order where the network takes images. */
    private Node input(ExampleShape example) {
        InputType type = example.type();
        if (type instanceof InputType.InputTypeConvolutional c) {
            Shape image = new Shape((int) c.getChannels(), (int) c.getHeight(), (int) c.getWidth());
            return new Node(builder.toImage(0, image, c.getFormat() == CNN2DFormat.NHWC), type);
        }
        return new Node(0, type);
    }

    private Node vertex(ComputationGraph graph, GraphVertex vertex, String name, List<Node> in, String where,
                        boolean last) throws Unsupported {
        if (vertex instanceof LayerVertex layer) {
            Node from = preprocess(layer.getPreProcessor(), single(in, where), where);
            Layer conf = layer.getLayerConf().getLayer();
            org.deeplearning4j.nn.api.Layer runtime = graph.getLayer(name);
            return layer(conf, runtime::getParam, from, where + " (" + conf.getClass().getSimpleName() + ")", last, 0);
        }
        if (vertex instanceof PreprocessorVertex p) {
            return preprocess(p.getPreProcessor(), single(in, where), where);
        }
        if (vertex instanceof ElementWiseVertex e) {
            String kind = switch (e.getOp()) {
                case Add -> "ADD";
                case Subtract -> "SUBTRACT";
                case Average -> "AVERAGE";
                default -> throw new Unsupported(where, "is an ElementWiseVertex " + e.getOp()
                        + "; the kernels have Add, Subtract and Average");
            };
            int[] ids = in.stream().mapToInt(Node::id).toArray();
            return new Node(builder.elementwise(kind, ids), e.getOutputType(0, types(in)));
        }
        if (vertex instanceof MergeVertex m) {
            InputType first = in.get(0).type();
            if (first instanceof InputType.InputTypeConvolutional c && c.getFormat() == CNN2DFormat.NHWC) {
                throw new Unsupported(where, "merges channels-last images");
            }
            if (m.getMergeAxis() != 1) {
                throw new Unsupported(where, "merges along axis " + m.getMergeAxis() + "; the kernels merge channels");
            }
            return new Node(builder.concat(in.stream().mapToInt(Node::id).toArray()), m.getOutputType(0, types(in)));
        }
        throw new Unsupported(where, "is a " + vertex.getClass().getSimpleName() + ", which the kernels do not have");
    }

    private static InputType[] types(List<Node> in) {
        return in.stream().map(Node::type).toArray(InputType[]::new);
    }

    private static Node single(List<Node> in, String where) throws Unsupported {
        if (in.size() != 1) {
            throw new Unsupported(where, "has " + in.size() + " inputs");
        }
        return in.get(0);
    }

    private Node preprocess(InputPreProcessor preprocessor, Node node, String where) throws Unsupported {
        if (preprocessor == null) {
            return node;
        }
        InputType out = preprocessor.getOutputType(node.type());
        if (preprocessor instanceof CnnToFeedForwardPreProcessor) {
            boolean channelsLast = node.type() instanceof InputType.InputTypeConvolutional c
                    && c.getFormat() == CNN2DFormat.NHWC;
            return new Node(builder.flatten(node.id(), channelsLast), out);
        }
        if (preprocessor instanceof KerasFlattenRnnPreprocessor) {
            // a row-major reshape to a vector: the identity on the vector the kernels already hold
            if (!(node.type() instanceof InputType.InputTypeFeedForward f) || f.getSize() != out.arrayElementsPerExample()) {
                throw new Unsupported(where, "flattens " + node.type() + " with a KerasFlattenRnnPreprocessor");
            }
            return new Node(node.id(), out);
        }
        if (preprocessor instanceof FeedForwardToCnnPreProcessor) {
            if (node.type() instanceof InputType.InputTypeConvolutional) {
                return node;
            }
            InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) out;
            Shape image = new Shape((int) c.getChannels(), (int) c.getHeight(), (int) c.getWidth());
            return new Node(builder.toImage(node.id(), image, c.getFormat() == CNN2DFormat.NHWC), out);
        }
        throw new Unsupported(where, "has the input preprocessor " + preprocessor.getClass().getSimpleName()
                + ", which the kernels do not have");
    }

    @SuppressWarnings("checkstyle:CyclomaticComplexity")
    private Node layer(Layer layer, Params params, Node from, String where, boolean last, int index)
            throws Unsupported {
        InputType out = layer.getOutputType(index, from.type());
        Class<?> kind = layer.getClass();
        if (kind == OutputLayer.class) {
            if (!last) {
                throw new Unsupported(where, "is an OutputLayer before the end of the network");
            }
            return new Node(dense(from, (OutputLayer) layer, params, Activation.identity(), where), out);
        }
        if (kind == DenseLayer.class) {
            DenseLayer dense = (DenseLayer) layer;
            if (dense.hasLayerNorm()) {
                throw new Unsupported(where, "uses layer normalization");
            }
            return new Node(dense(from, dense, params, activation(dense, where), where), out);
        }
        if (last) {
            throw new Unsupported(where, "ends the network but is not an OutputLayer");
        }
        if (kind == ConvolutionLayer.class) {
            return new Node(conv(from, (ConvolutionLayer) layer, params, where, out), out);
        }
        if (kind == SubsamplingLayer.class) {
            return new Node(pool(from, (SubsamplingLayer) layer, where, out), out);
        }
        if (kind == GlobalPoolingLayer.class) {
            return new Node(globalPool(from, (GlobalPoolingLayer) layer, where), out);
        }
        if (kind == ZeroPaddingLayer.class) {
            int[] p = ((ZeroPaddingLayer) layer).getPadding();
            return new Node(builder.pad(from.id(), p[0], p[1], p[2], p[3]), out);
        }
        if (kind == BatchNormalization.class) {
            return new Node(batchNorm(from, (BatchNormalization) layer, params, where), out);
        }
        if (kind == DropoutLayer.class) {
            return new Node(from.id(), out);
        }
        if (kind == ActivationLayer.class) {
            Activation a = KernelActivations.of(((ActivationLayer) layer).getActivationFn());
            if (a == null) {
                throw new Unsupported(where, "has the activation " + ((ActivationLayer) layer).getActivationFn()
                        + ", which the kernels do not have");
            }
            return new Node(builder.activation(from.id(), a), out);
        }
        throw new Unsupported(where, "is a " + kind.getSimpleName() + ", which the kernels do not have");
    }

    private static Activation activation(BaseLayer layer, String where) throws Unsupported {
        Activation a = KernelActivations.of(layer.getActivationFn());
        if (a == null) {
            throw new Unsupported(where, "has the activation " + layer.getActivationFn()
                    + ", which the kernels do not have");
        }
        return a;
    }

    private int dense(Node from, org.deeplearning4j.nn.conf.layers.FeedForwardLayer layer, Params params,
                      Activation activation, String where) throws Unsupported {
        if (!(from.type() instanceof InputType.InputTypeFeedForward)) {
            throw new Unsupported(where, "reads " + from.type() + " without a preprocessor");
        }
        float[][] w = Nd4jRows.rows(params.get("W"));
        INDArray b = params.get("b");
        float[] bias = b == null ? new float[w[0].length] : b.toFloatVector();
        return builder.dense(from.id(), w, bias, activation);
    }

    private int conv(Node from, ConvolutionLayer layer, Params params, String where, InputType out) throws Unsupported {
        InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) from.type();
        InputType.InputTypeConvolutional o = (InputType.InputTypeConvolutional) out;
        int[] k = layer.getKernelSize();
        int[] s = layer.getStride();
        int[] d = layer.getDilation();
        int[] pad = padding(layer.getConvolutionMode(), layer.getPadding(), in, o, k, s, d, where);
        INDArray w = params.get("W");
        float[][] weights = Nd4jRows.rows(w.reshape(w.size(0), w.length() / w.size(0)));
        INDArray b = params.get("b");
        float[] bias = layer.hasBias() && b != null ? b.toFloatVector() : new float[(int) o.getChannels()];
        return builder.conv(from.id(), shape(o), k[0], k[1], s[0], s[1], d[0], d[1], pad[0], pad[1], weights, bias,
                activation(layer, where));
    }

    private int pool(Node from, SubsamplingLayer layer, String where, InputType out) throws Unsupported {
        PoolingType type = layer.getPoolingType();
        if (type != PoolingType.MAX && type != PoolingType.AVG) {
            throw new Unsupported(where, "pools by " + type + "; the kernels have MAX and AVG");
        }
        int[] d = layer.getDilation();
        if (d != null && (d[0] != 1 || d[1] != 1)) {
            throw new Unsupported(where, "pools with dilation");
        }
        InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) from.type();
        InputType.InputTypeConvolutional o = (InputType.InputTypeConvolutional) out;
        int[] k = layer.getKernelSize();
        int[] s = layer.getStride();
        int[] pad = padding(layer.getConvolutionMode(), layer.getPadding(), in, o, k, s, new int[] {1, 1}, where);
        return builder.pool(from.id(), shape(o), type == PoolingType.MAX, k[0], k[1], s[0], s[1], pad[0], pad[1],
                layer.isAvgPoolIncludePadInDivisor());
    }

    private int globalPool(Node from, GlobalPoolingLayer layer, String where) throws Unsupported {
        if (!(from.type() instanceof InputType.InputTypeConvolutional) || !layer.isCollapseDimensions()) {
            throw new Unsupported(where, "pools " + from.type() + (layer.isCollapseDimensions() ? ""
                    : " without collapsing its dimensions"));
        }
        return switch (layer.getPoolingType()) {
            case MAX -> builder.globalPool(from.id(), "MAX");
            case AVG -> builder.globalPool(from.id(), "AVG");
            case SUM -> builder.globalPool(from.id(), "SUM");
            default -> throw new Unsupported(where, "pools by " + layer.getPoolingType());
        };
    }

    private int batchNorm(Node from, BatchNormalization layer, Params params, String where) throws Unsupported {
        float[] mean = params.get("mean").toFloatVector();
        float[] var = layer.isUseLogStd() ? null : params.get("var").toFloatVector();
        float[] logStd = layer.isUseLogStd() ? params.get("log10stdev").toFloatVector() : null;
        int n = mean.length;
        float[] scale = new float[n];
        float[] shift = new float[n];
        float[] gamma = layer.isLockGammaBeta() ? null : params.get("gamma").toFloatVector();
        float[] beta = layer.isLockGammaBeta() ? null : params.get("beta").toFloatVector();
        for (int c = 0; c < n; c++) {
            double variance = var != null ? var[c] : Math.pow(10, 2.0 * logStd[c]);
            double std = Math.sqrt(variance + layer.getEps());
            double g = gamma != null ? gamma[c] : layer.getGamma();
            double b = beta != null ? beta[c] : layer.getBeta();
            scale[c] = (float) (g / std);
            shift[c] = (float) (b - mean[c] * g / std);
        }
        // DL4J's BatchNormalization layer returns its normalized output without applying its activation
        return builder.channelAffine(from.id(), scale, shift, Activation.identity());
    }

    /** @return {@code [top, left]}: DL4J's padding for Truncate and Strict, the same-size padding for Same */
    private static int[] padding(ConvolutionMode mode, int[] configured, InputType.InputTypeConvolutional in,
                                 InputType.InputTypeConvolutional out, int[] k, int[] s, int[] d, String where)
            throws Unsupported {
        if (mode == ConvolutionMode.Same) {
            int totalH = Math.max(0, (int) ((out.getHeight() - 1) * s[0] + (k[0] - 1) * d[0] + 1 - in.getHeight()));
            int totalW = Math.max(0, (int) ((out.getWidth() - 1) * s[1] + (k[1] - 1) * d[1] + 1 - in.getWidth()));
            return new int[] {totalH / 2, totalW / 2};
        }
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            return new int[] {configured[0], configured[1]};
        }
        throw new Unsupported(where, "uses ConvolutionMode." + mode);
    }

    private static Shape shape(InputType.InputTypeConvolutional c) {
        return new Shape((int) c.getChannels(), (int) c.getHeight(), (int) c.getWidth());
    }
}
