package io.robustunit.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.OptionalInt;
import java.util.function.BiFunction;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
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
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.robustunit.model.DifferentiableClassifier;

/**
 * Every layer kind the kernels evaluate, in MultiLayerNetworks and ComputationGraphs: their probabilities equal
 * DL4J's inference-mode output, and their input gradients equal central finite differences of DL4J's own forward
 * pass in double precision, an independent computation.
 */
class KernelLayersTest {

    private static final int CLASSES = 3;
    private static final double STEP = 1e-4;

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(7).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER)
                .dataType(DataType.FLOAT);
    }

    private static OutputLayer output(int nIn) {
        return new OutputLayer.Builder(LossFunction.MCXENT).nIn(nIn).nOut(CLASSES).activation(Activation.SOFTMAX).build();
    }

    /** Gives every batch normalization layer running statistics and affine parameters far from the identity. */
    private static void perturbBatchNormalization(Layer[] layers) {
        SplittableRandom random = new SplittableRandom(3);
        for (Layer layer : layers) {
            if (layer.conf().getLayer() instanceof BatchNormalization bn) {
                int n = (int) layer.getParam("mean").length();
                layer.setParam("mean", Nd4j.createFromArray(values(random, n, -0.5, 0.5)).reshape(1, n));
                if (bn.isUseLogStd()) {
                    layer.setParam("log10stdev", Nd4j.createFromArray(values(random, n, -0.3, 0.3)).reshape(1, n));
                } else {
                    layer.setParam("var", Nd4j.createFromArray(values(random, n, 0.3, 2.0)).reshape(1, n));
                }
                if (!bn.isLockGammaBeta()) {
                    layer.setParam("gamma", Nd4j.createFromArray(values(random, n, 0.5, 1.5)).reshape(1, n));
                    layer.setParam("beta", Nd4j.createFromArray(values(random, n, -0.5, 0.5)).reshape(1, n));
                }
            }
        }
    }

    private static float[] values(SplittableRandom random, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(lo, hi);
        }
        return v;
    }

    private static MultiLayerNetwork mln(NeuralNetConfiguration.ListBuilder list) {
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        perturbBatchNormalization(net.getLayers());
        return net;
    }

    @Test
    void convolutionsOfEveryModeStridesPaddingAndDilation() {
        MultiLayerNetwork net = mln(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).stride(2, 2).padding(1, 1)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 2).nOut(5).dilation(2, 1).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).stride(2, 2).convolutionMode(ConvolutionMode.Strict)
                        .hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).stride(2, 2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.SIGMOID).build())
                .layer(output(4 * 2 * 2))
                .setInputType(InputType.convolutional(12, 12, 2)));
        check(net, (m, x) -> ((MultiLayerNetwork) m).output(x, false), 2, 12, 12);
    }

    @Test
    void maxAndAveragePoolingWithPaddingAndGlobalPooling() {
        MultiLayerNetwork net = mln(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2).padding(1, 1)
                        .convolutionMode(ConvolutionMode.Truncate).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).build())
                .layer(new ZeroPaddingLayer.Builder(1, 0, 2, 1).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(6).activation(Activation.LEAKYRELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(output(6))
                .setInputType(InputType.convolutional(14, 14, 2)));
        check(net, (m, x) -> ((MultiLayerNetwork) m).output(x, false), 2, 14, 14);
    }

    @ParameterizedTest
    @EnumSource(value = PoolingType.class, names = {"MAX", "SUM"})
    void globalMaxAndSumPooling(PoolingType type) {
        MultiLayerNetwork net = mln(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.ELU).build())
                .layer(new GlobalPoolingLayer.Builder(type).build())
                .layer(output(5))
                .setInputType(InputType.convolutional(8, 8, 1)));
        check(net, (m, x) -> ((MultiLayerNetwork) m).output(x, false), 1, 8, 8);
    }

    @Test
    void batchNormalizationWithRunningStatisticsDropoutAndActivationLayers() {
        MultiLayerNetwork net = mln(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false).activation(Activation.IDENTITY)
                        .dropOut(new SpatialDropout(0.5)).build())
                .layer(new BatchNormalization.Builder().useLogStd(false).eps(1e-3).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().useLogStd(true).activation(Activation.SWISH).build())
                .layer(new DropoutLayer.Builder(0.5).build())
                .layer(new DenseLayer.Builder().nOut(7).activation(Activation.SOFTPLUS).build())
                .layer(new BatchNormalization.Builder().lockGammaBeta(true).gamma(1.5).beta(-0.25).build())
                .layer(output(7))
                .setInputType(InputType.convolutional(9, 9, 3)));
        check(net, (m, x) -> ((MultiLayerNetwork) m).output(x, false), 3, 9, 9);
    }

    @Test
    void batchNormalizationAndActivationLayersFoldIntoTheLayersBeforeThemUnlessAnotherNodeReadsThose() throws Exception {
        MultiLayerNetwork net = mln(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(output(4 * 4 * 4))
                .setInputType(InputType.convolutional(6, 6, 1)));
        assertThat(KernelCompiler.compile(net, InputShapes.resolve(net.getLayerWiseConfigurations(),
                OptionalInt.of(36))).describe()).doesNotContain("batch normalization").contains("conv 3x3 1->4 relu");
        check(net, (m, x) -> ((MultiLayerNetwork) m).output(x, false), 1, 6, 6);

        // a residual block's input is read twice: its ReLU stays an op of its own, the branch's BatchNorm folds
        ComputationGraph graph = new ComputationGraph(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .addLayer("stem", new ConvolutionLayer.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("stemRelu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "stem")
                .addLayer("branch", new ConvolutionLayer.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "stemRelu")
                .addLayer("branchBn", new BatchNormalization.Builder().build(), "branch")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "branchBn", "stemRelu")
                .addLayer("out", output(2 * 6 * 6), "add")
                .setOutputs("out").build());
        graph.init();
        perturbBatchNormalization(graph.getLayers());
        String described = KernelCompiler.compile(graph, InputShapes.resolve(graph.getConfiguration(),
                OptionalInt.of(36))).describe();
        assertThat(described).doesNotContain("batch normalization").contains("conv 3x3 1->2 relu");
        check(graph, (m, x) -> ((ComputationGraph) m).outputSingle(false, x), 1, 6, 6);
    }

    @Test
    void channelsLastImagesAndFlattening() {
        MultiLayerNetwork net = mln(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(output(4 * 4 * 3))
                .setInputType(InputType.convolutional(10, 8, 2, CNN2DFormat.NHWC)));
        assertThat(Dl4jModels.trainable(net).classifier(160).inputSize()).isEqualTo(160);
        // the features are one image's values in H,W,C order, as the network takes them
        check(net, (m, x) -> ((MultiLayerNetwork) m).output(x.reshape('c', x.size(0), 10, 8, 2), false), 2, 10, 8);
    }

    @Test
    void flatImagesDeclaredWithConvolutionalFlat() {
        MultiLayerNetwork net = mln(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU6).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.SELU).build())
                .layer(output(8))
                .setInputType(InputType.convolutionalFlat(10, 10, 1)));
        check(net, (m, x) -> ((MultiLayerNetwork) m).output(x.reshape(x.size(0), 100), false), 1, 10, 10);
    }

    @Test
    void everyCommonActivation() {
        NeuralNetConfiguration.ListBuilder list = base().list();
        Activation[] activations = {Activation.RELU, Activation.LEAKYRELU, Activation.RELU6, Activation.ELU,
            Activation.SELU, Activation.TANH, Activation.SIGMOID, Activation.SOFTPLUS, Activation.SWISH,
            Activation.HARDTANH, Activation.SOFTSIGN, Activation.IDENTITY};
        int n = 6;
        for (Activation a : activations) {
            list.layer(new DenseLayer.Builder().nIn(n).nOut(6).activation(a).build());
        }
        MultiLayerNetwork net = mln(list.layer(output(6)));
        check(net, (m, x) -> ((MultiLayerNetwork) m).output(x.reshape(x.size(0), n), false), n, 1, 1);
    }

    @Test
    void residualBlocksMergesAndBatchNormalizationInAGraph() {
        ComputationGraph graph = new ComputationGraph(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(10, 10, 2))
                .addLayer("stem", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .hasBias(false).activation(Activation.IDENTITY).build(), "in")
                .addLayer("stemBn", new BatchNormalization.Builder().activation(Activation.RELU).build(), "stem")
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "stemBn")
                .addLayer("b", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "a")
                .addLayer("bBn", new BatchNormalization.Builder().build(), "b")
                .addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bBn", "stemBn")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "residual")
                .addLayer("down", new ConvolutionLayer.Builder(1, 1).nOut(3).stride(2, 2)
                        .activation(Activation.RELU).build(), "relu")
                .addLayer("side", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build(),
                        "relu")
                .addVertex("merge", new MergeVertex(), "down", "side")
                .addVertex("mean", new ElementWiseVertex(ElementWiseVertex.Op.Average), "merge", "merge")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "mean")
                .addLayer("dense", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "pool")
                .addLayer("out", output(5), "dense")
                .setOutputs("out").build());
        graph.init();
        perturbBatchNormalization(graph.getLayers());
        // global pooling keeps any image size: the data's feature count says which
        assertThat(Dl4jModels.trainable(graph).classifier(200).description())
                .isEqualTo("ComputationGraph [2, 10, 10] -> 3 (RobustUnit kernels)");
        check(graph, (m, x) -> ((ComputationGraph) m).outputSingle(false, x), 2, 10, 10);
    }

    @Test
    void aGraphWithFlatteningAndSubtraction() {
        ComputationGraph graph = new ComputationGraph(base().graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build(), "in")
                .addLayer("a", new DenseLayer.Builder().nOut(4).activation(Activation.SIGMOID).build(), "c")
                .addLayer("b", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "c")
                .addVertex("difference", new ElementWiseVertex(ElementWiseVertex.Op.Subtract), "a", "b")
                .addLayer("out", output(4), "difference")
                .setOutputs("out").build());
        graph.init();
        check(graph, (m, x) -> ((ComputationGraph) m).outputSingle(false, x), 1, 8, 8);
    }

    @Test
    void theExampleShapeOfAConvolutionalNetworkIsInferredFromItsFlatteningAndTheData() {
        MultiLayerNetwork lenetLike = mln(base().list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(3).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(output(3 * 12 * 12))
                .setInputType(InputType.convolutional(28, 28, 1)));
        // 28x28 and 29x29 both pool to 12x12: the network alone cannot tell them apart, the data can
        assertThatThrownBy(() -> Dl4jClassifiers.of(lenetLike)).hasMessageContaining(
                "cannot infer the image size of the network declared with InputType.convolutional: 2 sizes of "
                        + "1-channel images fit its layers");
        assertThat(Dl4jModels.trainable(lenetLike).classifier(784).inputSize()).isEqualTo(784);
        assertThat(Dl4jClassifiers.of(lenetLike, 1, 28, 28).description())
                .isEqualTo("MultiLayerNetwork [1, 28, 28] -> 3 (RobustUnit kernels)");
        MultiLayerNetwork global = mln(base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(output(2))
                .setInputType(InputType.convolutional(16, 16, 3)));
        assertThat(Dl4jModels.trainable(global).classifier(3 * 16 * 16).description()).startsWith(
                "MultiLayerNetwork [3, 16, 16]");
    }

    /**
     * @param forward DL4J's inference-mode probabilities of a network for a batch shaped {@code [n, c, h, w]}, or
     *        {@code [n, features]} for vectors
     */
    private static void check(Model network, BiFunction<Model, INDArray, INDArray> forward, int c, int h, int w) {
        DifferentiableClassifier kernel = Dl4jClassifiers.of(network, OptionalInt.of(c * h * w), false);
        assertThat(kernel.description()).endsWith("(RobustUnit kernels)");
        int rows = 4;
        int d = c * h * w;
        float[] x = TestNets.inputs(rows, d, 11);
        int[] y = TestNets.labels(rows, CLASSES);
        long[] shape = h == 1 && w == 1 ? new long[] {rows, d} : new long[] {rows, c, h, w};

        float[] probabilities = new float[rows * CLASSES];
        kernel.probabilities(x, 0, rows, probabilities);
        float[] expected = forward.apply(network, Nd4j.create(x, shape, 'c')).dup('c').data().asFloat();
        for (int i = 0; i < probabilities.length; i++) {
            assertThat(probabilities[i]).as("probability %d", i).isCloseTo(expected[i], within(2e-5f));
        }

        float[] gradient = new float[rows * d];
        kernel.lossGradient(x, y, 0, rows, gradient);
        Model exact = inDoublePrecision(network);
        SplittableRandom random = new SplittableRandom(5);
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < 12; t++) {
                int i = random.nextInt(d);
                double numeric = (loss(exact, forward, x, r, i, STEP, y[r], shape)
                        - loss(exact, forward, x, r, i, -STEP, y[r], shape)) / (2 * STEP);
                assertThat((double) gradient[r * d + i]).as("∂J/∂x[%d][%d]", r, i)
                        .isCloseTo(numeric, within(2e-4 + 2e-3 * Math.abs(numeric)));
            }
        }
    }

    /** The same network and parameters in float64, built from its configuration (DL4J's own conversion of graphs
     *  loses the input sizes of layers behind preprocessors). */
    private static Model inDoublePrecision(Model network) {
        INDArray params = network.params().castTo(DataType.DOUBLE);
        if (network instanceof MultiLayerNetwork m) {
            org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = m.getLayerWiseConfigurations().clone();
            conf.setDataType(DataType.DOUBLE);
            MultiLayerNetwork copy = new MultiLayerNetwork(conf);
            copy.init(params, true);
            return copy;
        }
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf = ((ComputationGraph) network).getConfiguration()
                .clone();
        conf.setDataType(DataType.DOUBLE);
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init(params, true);
        return copy;
    }

    private static double loss(Model exact, BiFunction<Model, INDArray, INDArray> forward, float[] x, int row,
                               int feature, double step, int label, long[] shape) {
        int d = (int) (x.length / shape[0]);
        double[] xs = new double[d];
        for (int i = 0; i < d; i++) {
            xs[i] = x[row * d + i];
        }
        xs[feature] += step;
        long[] one = shape.clone();
        one[0] = 1;
        INDArray p = forward.apply(exact, Nd4j.create(xs, one, 'c'));
        return -Math.log(p.getDouble(0, label));
    }
}
