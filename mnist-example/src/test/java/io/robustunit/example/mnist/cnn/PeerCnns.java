package io.robustunit.example.mnist.cnn;

import java.io.IOException;
import java.net.URISyntaxException;
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

import io.robustunit.example.mnist.peer.NpyArrays;

/**
 * The networks of {@code mnist-example/benchmarks/cnn_peer.py}, declared the usual DL4J way, with the weights PyTorch
 * trained. The layout conversions: a {@code Linear} weight {@code [out, in]} is transposed to DL4J's
 * {@code [nIn, nOut]}; a {@code Conv2d} weight {@code [out, in, kh, kw]} is already DL4J's layout; PyTorch flattens
 * channels-first images in {@code C,H,W} order, as DL4J's {@code CnnToFeedForwardPreProcessor} does for NCHW (and in
 * {@code H,W,C} order for the channels-last network); {@code BatchNorm2d}'s weight, bias, running mean and running
 * variance are DL4J's gamma, beta, mean and var with {@code useLogStd(false)}, and the same ε.
 */
final class PeerCnns {

    private PeerCnns() {
    }

    static Path directory(String arch) {
        try {
            return Path.of(PeerCnns.class.getResource("/peer/cnn/" + arch + "/arch.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static NpyArrays.Array npy(String arch, String name) throws IOException {
        return NpyArrays.read(directory(arch).resolve(name + ".npy"));
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

    static MultiLayerNetwork lenet() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(conv("conv1", 5, 20, Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(conv("conv2", 5, 50, Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(500).activation(Activation.RELU).build())
                .layer(output("fc2"))
                .setInputType(InputType.convolutional(28, 28, 1)).build());
        net.init();
        return load(net, "lenet");
    }

    static MultiLayerNetwork bnCnn() throws IOException {
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
        return load(net, "bn-cnn");
    }

    static MultiLayerNetwork nhwcCnn() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list()
                .layer(conv("conv", 3, 8, Activation.RELU).dataFormat(CNN2DFormat.NHWC).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(output("fc"))
                .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC)).build());
        net.init();
        return load(net, "nhwc-cnn");
    }

    static MultiLayerNetwork activations() throws IOException {
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
        return load(net, "activations");
    }

    static ComputationGraph resnet() throws IOException {
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
        return load(graph, "resnet");
    }

    /** Sets every named layer's parameters from the architecture's {@code .npy} files. */
    private static <M extends Model> M load(M model, String arch) throws IOException {
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
