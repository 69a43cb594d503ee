package io.robustunit.model.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small seeded DL4J networks for tests. */
public final class TestNets {

    private TestNets() {
    }

    /** inputs → hidden (activation) → classes softmax, optionally with dropout on every layer. */
    public static MultiLayerNetwork mlp(int inputs, int hidden, int classes, Activation activation, double dropOutKeep,
                                        DataType type, long seed) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(type).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER);
        if (dropOutKeep < 1) {
            builder.dropOut(dropOutKeep);
        }
        MultiLayerConfiguration conf = builder.list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(hidden).activation(activation).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The same shape as {@link #mlp} as a ComputationGraph. */
    public static ComputationGraph graph(int inputs, int hidden, int classes, Activation activation, double dropOutKeep,
                                         DataType type, long seed) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(type).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER);
        if (dropOutKeep < 1) {
            builder.dropOut(dropOutKeep);
        }
        ComputationGraphConfiguration conf = builder.graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(inputs).nOut(hidden).activation(activation).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Deterministic inputs in [0, 1], a fifth of them zero like image background. */
    public static float[] inputs(int rows, int width, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(5) == 0 ? 0f : (float) random.nextDouble();
        }
        return x;
    }

    /** Labels {@code i mod classes}. */
    public static int[] labels(int rows, int classes) {
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % classes;
        }
        return y;
    }
}
