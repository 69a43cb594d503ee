package io.robustunit.example.mnist;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.robustunit.model.dl4j.Dl4jModels;

/**
 * The tutorial's MNIST classifier: Flatten(28×28) → Dense 128 ReLU → Dense 10 softmax, trained with Adam
 * (learning rate 0.001) on sparse categorical cross-entropy, pixels in {@code [0, 1]}. Keras's defaults
 * are kept where DL4J's differ: Glorot-uniform weights, zero biases and Adam's ε of 1e-7.
 */
public final class ReferenceMlp {

    /** The classpath location of the shipped trained model. */
    public static final String SHIPPED_MODEL = "/models/mnist-mlp.zip";

    /** The classpath location of the adversarially trained model ({@code harden --generator PGD --epochs 10}). */
    public static final String SHIPPED_HARDENED_MODEL = "/models/mnist-mlp-hardened.zip";

    /** Hidden units. */
    public static final int HIDDEN = 128;

    /** Adam's learning rate. */
    public static final double LEARNING_RATE = 0.001;

    /** The tutorial's batch size. */
    public static final int DEFAULT_BATCH_SIZE = 8;

    /** The tutorial's number of epochs. */
    public static final int DEFAULT_EPOCHS = 10;

    /** The seed of the shipped model. */
    public static final long DEFAULT_SEED = 42;

    private ReferenceMlp() {
    }

    /**
     * @param seed the seed of the weight initialization
     * @return the network configuration
     */
    public static MultiLayerConfiguration configuration(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(LEARNING_RATE, 0.9, 0.999, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(new DenseLayer.Builder().nIn(MnistData.PIXELS).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.SPARSE_MCXENT)
                        .nIn(HIDDEN).nOut(MnistData.CLASSES).activation(Activation.SOFTMAX).build())
                .build();
    }

    /**
     * @param seed the seed of the weight initialization
     * @return a new, untrained, initialized network
     */
    public static MultiLayerNetwork create(long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(seed));
        network.init();
        return network;
    }

    /**
     * @return the shipped model: {@link #DEFAULT_EPOCHS} epochs at batch size {@link #DEFAULT_BATCH_SIZE},
     *         seed {@link #DEFAULT_SEED}
     * @throws IOException if the resource is missing or corrupt
     */
    public static MultiLayerNetwork loadShipped() throws IOException {
        return (MultiLayerNetwork) Dl4jModels.loadResource(SHIPPED_MODEL);
    }

    /**
     * @param resource a classpath resource such as {@link #SHIPPED_HARDENED_MODEL}
     * @return the network it holds
     * @throws IOException if it is missing or not a MultiLayerNetwork
     */
    public static MultiLayerNetwork load(String resource) throws IOException {
        Model model = Dl4jModels.loadResource(resource);
        if (!(model instanceof MultiLayerNetwork network)) {
            throw new IOException("model resource " + resource + " holds a " + model.getClass().getSimpleName()
                    + ", not a MultiLayerNetwork");
        }
        return network;
    }

    /**
     * @param file a model file written by {@link Dl4jModels#save}
     * @return the network it holds
     * @throws IOException naming the file if it is missing, corrupt or not a MultiLayerNetwork
     */
    public static MultiLayerNetwork load(Path file) throws IOException {
        Model model = Dl4jModels.load(file);
        if (!(model instanceof MultiLayerNetwork network)) {
            throw new IOException("model file " + file + " holds a " + model.getClass().getSimpleName()
                    + ", not a MultiLayerNetwork");
        }
        return network;
    }
}
