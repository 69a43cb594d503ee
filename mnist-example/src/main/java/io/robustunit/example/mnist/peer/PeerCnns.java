package io.robustunit.example.mnist.peer;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The networks of {@code mnist-example/benchmarks/cnn_peer.py}, declared the usual DL4J way, with the weights PyTorch
 * trained or initialized, read from the {@code .npy} files of an architecture's directory (those of
 * {@code src/test/resources/peer/cnn/<arch>}, or a directory {@code cnn_peer.py} wrote). The layout conversions: a {@code Linear} weight {@code [out, in]} is transposed to DL4J's
 * {@code [nIn, nOut]}; a {@code Conv2d} weight {@code [out, in, kh, kw]} is already DL4J's layout; PyTorch flattens
 * channels-first images in {@code C,H,W} order, as DL4J's {@code CnnToFeedForwardPreProcessor} does for NCHW (and in
 * {@code H,W,C} order for the channels-last network); {@code BatchNorm2d}'s weight, bias, running mean and running
 * variance are DL4J's gamma, beta, mean and var with {@code useLogStd(false)}, and the same ε.
 */
public final class PeerCnns {

    private PeerCnns() {
    }

    /**
     * @param directory an architecture's directory
     * @param name the array's name, without {@code .npy}
     * @return the array
     * @throws IOException if it is missing or malformed
     */
    public static NpyArrays.Array npy(Path directory, String name) throws IOException {
        return NpyArrays.read(directory.resolve(name + ".npy"));
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT);
    }

    private static ConvolutionLayer.Builder conv(String name, int k, int out, Activation activation) {
        return new ConvolutionLayer.Builder(k, k).name(name).nOut(out).activation(activation);
    }

    private static BatchNormalization bn(String name) {
        return new BatchNormalization.Builder().name(name).useLogStd(false).eps(1e-5).build();
    }

    private static OutputLayer output(String name) {
        return new OutputLayer.Builder(LossFunction.MCXENT).name(name).nOut(10).activation(Activation.SOFTMAX).build();
    }

    /**
     * @param directory the architecture's directory of {@code .npy} weights
     * @return the network with those weights
     * @throws IOException if a weight file is missing, malformed or of the wrong size
     */
    public static MultiLayerNetwork lenet(Path directory) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(conv("conv1", 5, 20, Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(conv("conv2", 5, 50, Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(500).activation(Activation.RELU).build())
                .layer(output("fc2"))
                .setInputType(InputType.convolutional(28, 28, 1)).build());
        net.init();
        return load(net, directory);
    }

    /**
     * @param directory the architecture's directory of {@code .npy} weights
     * @return the network with those weights
     * @throws IOException if a weight file is missing, malformed or of the wrong size
     */
    public static MultiLayerNetwork bnCnn(Path directory) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(conv("conv1", 3, 16, Activation.IDENTITY).padding(1, 1).hasBias(false).build())
                .layer(bn("bn1"))
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(conv("conv2", 3, 32, Activation.IDENTITY).stride(2, 2).convolutionMode(ConvolutionMode.Same)
                        .hasBias(false).build())
                .layer(bn("bn2"))
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DropoutLayer.Builder(0.75).build())
                .layer(conv("conv3", 3, 32, Activation.LEAKYRELU).dilation(2, 2).build())
                .layer(new ZeroPaddingLayer.Builder(1, 1).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(output("fc"))
                .setInputType(InputType.convolutional(28, 28, 1)).build());
        net.init();
        return load(net, directory);
    }

    /**
     * @param directory the architecture's directory of {@code .npy} weights
     * @return the network with those weights
     * @throws IOException if a weight file is missing, malformed or of the wrong size
     */
    public static MultiLayerNetwork nhwcCnn(Path directory) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(conv("conv", 3, 8, Activation.RELU).dataFormat(CNN2DFormat.NHWC).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(output("fc"))
                .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC)).build());
        net.init();
        return load(net, directory);
    }

    /**
     * @param directory the architecture's directory of {@code .npy} weights
     * @return the network with those weights
     * @throws IOException if a weight file is missing, malformed or of the wrong size
     */
    public static MultiLayerNetwork activations(Path directory) throws IOException {
        Object[] activations = {Activation.TANH, Activation.SIGMOID, Activation.ELU, Activation.SOFTPLUS,
            Activation.SWISH, Activation.RELU6, Activation.HARDTANH, Activation.SELU, new ActivationLReLU(0.2)};
        NeuralNetConfiguration.ListBuilder list = base().list();
        for (int i = 0; i < activations.length; i++) {
            DenseLayer.Builder dense = new DenseLayer.Builder().name("fc" + (i + 1)).nOut(64);
            if (activations[i] instanceof Activation a) {
                dense.activation(a);
            } else {
                dense.activation((ActivationLReLU) activations[i]);
            }
            list.layer(dense.build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.layer(output("fc10"))
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        return load(net, directory);
    }

    /**
     * @param directory the architecture's directory of {@code .npy} weights
     * @return the network with those weights
     * @throws IOException if a weight file is missing, malformed or of the wrong size
     */
    public static ComputationGraph resnet(Path directory) throws IOException {
        ComputationGraphConfiguration conf = base().graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .addLayer("stem", conv("stem", 3, 16, Activation.IDENTITY).padding(1, 1).hasBias(false).build(), "input")
                .addLayer("stem_bn", bn("stem_bn"), "stem")
                .addLayer("stem_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "stem_bn")
                .addLayer("b1_conv1", conv("b1_conv1", 3, 16, Activation.IDENTITY).padding(1, 1).hasBias(false).build(),
                        "stem_relu")
                .addLayer("b1_bn1", bn("b1_bn1"), "b1_conv1")
                .addLayer("b1_relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "b1_bn1")
                .addLayer("b1_conv2", conv("b1_conv2", 3, 16, Activation.IDENTITY).padding(1, 1).hasBias(false).build(),
                        "b1_relu1")
                .addLayer("b1_bn2", bn("b1_bn2"), "b1_conv2")
                .addVertex("b1_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1_bn2", "stem_relu")
                .addLayer("b1_relu2", new ActivationLayer.Builder().activation(Activation.RELU).build(), "b1_add")
                .addLayer("b2_conv1", conv("b2_conv1", 3, 32, Activation.IDENTITY).stride(2, 2).padding(1, 1)
                        .hasBias(false).build(), "b1_relu2")
                .addLayer("b2_bn1", bn("b2_bn1"), "b2_conv1")
                .addLayer("b2_relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "b2_bn1")
                .addLayer("b2_conv2", conv("b2_conv2", 3, 32, Activation.IDENTITY).padding(1, 1).hasBias(false).build(),
                        "b2_relu1")
                .addLayer("b2_bn2", bn("b2_bn2"), "b2_conv2")
                .addLayer("b2_proj", conv("b2_proj", 1, 32, Activation.IDENTITY).stride(2, 2).hasBias(false).build(),
                        "b1_relu2")
                .addLayer("b2_proj_bn", bn("b2_proj_bn"), "b2_proj")
                .addVertex("b2_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2_bn2", "b2_proj_bn")
                .addLayer("b2_relu2", new ActivationLayer.Builder().activation(Activation.RELU).build(), "b2_add")
                .addLayer("br_a", conv("br_a", 1, 16, Activation.RELU).build(), "b2_relu2")
                .addLayer("br_b", conv("br_b", 3, 16, Activation.RELU).padding(1, 1).build(), "b2_relu2")
                .addVertex("concat", new MergeVertex(), "br_a", "br_b")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "concat")
                .addLayer("fc", output("fc"), "gap")
                .setOutputs("fc").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return load(graph, directory);
    }

    /**
     * CIFAR ResNet-20 (He et al. 2016): a 3×3 stem of 16 channels, three stages of three residual blocks of 16, 32
     * and 64 channels (the first block of stages 2 and 3 halves the image and projects its shortcut with a 1×1
     * convolution and BatchNorm), global average pooling and a dense softmax layer; 272,474 parameters, input
     * {@code 3×32×32}.
     *
     * @param directory the architecture's directory of {@code .npy} weights
     * @return the network with those weights
     * @throws IOException if a weight file is missing, malformed or of the wrong size
     */
    public static ComputationGraph resnet20(Path directory) throws IOException {
        ComputationGraphConfiguration.GraphBuilder graph = base().graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(32, 32, 3))
                .addLayer("stem", conv("stem", 3, 16, Activation.IDENTITY).padding(1, 1).hasBias(false).build(), "input")
                .addLayer("stem_bn", bn("stem_bn"), "stem")
                .addLayer("stem_relu", relu(), "stem_bn");
        String previous = "stem_relu";
        int[] widths = {16, 32, 64};
        for (int stage = 1; stage <= 3; stage++) {
            for (int block = 1; block <= 3; block++) {
                String b = "s" + stage + "b" + block;
                int width = widths[stage - 1];
                boolean down = stage > 1 && block == 1;
                int stride = down ? 2 : 1;
                graph.addLayer(b + "_conv1", conv(b + "_conv1", 3, width, Activation.IDENTITY).stride(stride, stride)
                                .padding(1, 1).hasBias(false).build(), previous)
                        .addLayer(b + "_bn1", bn(b + "_bn1"), b + "_conv1")
                        .addLayer(b + "_relu1", relu(), b + "_bn1")
                        .addLayer(b + "_conv2", conv(b + "_conv2", 3, width, Activation.IDENTITY).padding(1, 1)
                                .hasBias(false).build(), b + "_relu1")
                        .addLayer(b + "_bn2", bn(b + "_bn2"), b + "_conv2");
                String shortcut = previous;
                if (down) {
                    graph.addLayer(b + "_proj", conv(b + "_proj", 1, width, Activation.IDENTITY).stride(2, 2)
                                    .hasBias(false).build(), previous)
                            .addLayer(b + "_proj_bn", bn(b + "_proj_bn"), b + "_proj");
                    shortcut = b + "_proj_bn";
                }
                graph.addVertex(b + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b + "_bn2", shortcut)
                        .addLayer(b + "_relu2", relu(), b + "_add");
                previous = b + "_relu2";
            }
        }
        ComputationGraph network = new ComputationGraph(graph
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer("fc", output("fc"), "gap")
                .setOutputs("fc").build());
        network.init();
        return load(network, directory);
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    /** Sets every named layer's parameters from the architecture's {@code .npy} files. */
    private static <M extends Model> M load(M model, Path arch) throws IOException {
        Layer[] layers = model instanceof MultiLayerNetwork n ? n.getLayers() : ((ComputationGraph) model).getLayers();
        for (Layer layer : layers) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof BatchNormalization) {
                set(layer, "gamma", npy(arch, name + ".weight"), false);
                set(layer, "beta", npy(arch, name + ".bias"), false);
                set(layer, "mean", npy(arch, name + ".running_mean"), false);
                set(layer, "var", npy(arch, name + ".running_var"), false);
            } else {
                boolean dense = !(conf instanceof ConvolutionLayer);
                set(layer, "W", npy(arch, name + ".weight"), dense);
                if (layer.getParam("b") != null) {
                    set(layer, "b", npy(arch, name + ".bias"), false);
                }
            }
        }
        return model;
    }

    private static void set(Layer layer, String param, NpyArrays.Array array, boolean transpose) {
        INDArray target = layer.getParam(param);
        long[] shape = java.util.Arrays.stream(array.shape()).asLongStream().toArray();
        INDArray value = Nd4j.create(array.values(), shape, 'c');
        if (transpose) {
            value = value.transpose();
        }
        if (value.length() != target.length()) {
            throw new IllegalStateException(layer.conf().getLayer().getLayerName() + "." + param + ": "
                    + java.util.Arrays.toString(shape) + " does not fit " + java.util.Arrays.toString(target.shape()));
        }
        target.assign(value.reshape('c', target.shape()));
    }
}
