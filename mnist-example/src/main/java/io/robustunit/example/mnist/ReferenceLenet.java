package io.robustunit.example.mnist;

import java.io.IOException;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A LeNet-style convolutional classifier, declared the way DL4J's own examples declare it: convolution 5×5×20,
 * max-pooling 2×2, convolution 5×5×50, max-pooling 2×2, dense 500 ReLU, softmax 10, with the input type
 * {@code InputType.convolutional(28, 28, 1)}. The data stays 784 pixels per example: RobustUnit and
 * {@link MnistTraining} infer the {@code [1, 28, 28]} example shape from the input type.
 */
public final class ReferenceLenet {

    /** The classpath location of the shipped trained model ({@code train --arch lenet}). */
    public static final String SHIPPED_MODEL = "/models/mnist-lenet.zip";

    /** Adam's learning rate. */
    public static final double LEARNING_RATE = 0.001;

    /** The batch size of the shipped model. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** The number of epochs of the shipped model. */
    public static final int DEFAULT_EPOCHS = 3;

    /** The seed of the shipped model. */
    public static final long DEFAULT_SEED = 42;

    private ReferenceLenet() {
    }

    /**
     * @param seed the seed of the weight initialization
     * @return the network configuration
     */
    public static MultiLayerConfiguration configuration(long seed) {
        // tag::lenet[]
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(LEARNING_RATE, 0.9, 0.999, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.SPARSE_MCXENT).nOut(MnistData.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        // end::lenet[]
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
        return ReferenceMlp.load(SHIPPED_MODEL);
    }
}
