package io.robustunit.example.mnist.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.example.mnist.peer.NpyArrays;
import io.robustunit.example.mnist.peer.PeerCnns;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jModels;

/**
 * The CIFAR-shaped ResNet-20 of the speed benchmark (BatchNorm, three residual stages, projection shortcuts,
 * 3×32×32 input), untrained, on the eight random images {@code cnn_peer.py} saved with PyTorch's probabilities and
 * input gradients. Untrained, its logits are nearly equal, so probabilities are compared with an absolute tolerance
 * and gradients relative to their largest component.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Resnet20CrossCheckTest {

    private static final int EXAMPLES = 8;
    private static final int PIXELS = 3 * 32 * 32;

    private ComputationGraph network;
    private DifferentiableClassifier model;
    private float[] inputs;
    private final int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};

    @BeforeAll
    void load() throws IOException {
        network = PeerCnns.resnet20(PeerCnnFiles.directory("resnet20"));
        // global pooling accepts any image size: the data's 3,072 features pick 3×32×32, as under @ModelUnderTest
        model = Dl4jModels.trainable(network).classifier(PIXELS);
        inputs = PeerCnnFiles.npy("resnet20", "inputs").values();
    }

    @Test
    void declaredWithInputTypeConvolutionalItCompilesToTheKernelsFromTheFeatureCountAlone() {
        // PyTorch's 272,474 parameters plus the 1,568 BatchNorm running means and variances, which DL4J counts
        assertThat(network.numParams()).isEqualTo(272_474 + 1_568);
        assertThat(model.inputSize()).isEqualTo(PIXELS);
        assertThat(model.description()).endsWith("(RobustUnit kernels)");
    }

    @Test
    void probabilitiesAreDl4jsAndPyTorchs() throws IOException {
        float[] ours = new float[EXAMPLES * 10];
        model.probabilities(inputs, 0, EXAMPLES, ours);
        INDArray dl4j = network.outputSingle(false, Nd4j.create(inputs, new long[] {EXAMPLES, 3, 32, 32}, 'c'));
        float[] torch = PeerCnnFiles.npy("resnet20", "probs8").values();
        for (int i = 0; i < ours.length; i++) {
            assertThat(ours[i]).as("probability %d vs DL4J", i).isCloseTo(dl4j.getFloat(i / 10, i % 10), within(1e-5f));
            assertThat(ours[i]).as("probability %d vs PyTorch", i).isCloseTo(torch[i], within(1e-5f));
        }
    }

    @Test
    void inputGradientsArePyTorchs() throws IOException {
        float[] ours = new float[EXAMPLES * PIXELS];
        model.lossGradient(inputs, labels, 0, EXAMPLES, ours);
        NpyArrays.Array torch = PeerCnnFiles.npy("resnet20", "grad8");
        float scale = 0f;
        for (float g : torch.values()) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertThat(scale).isPositive();
        for (int i = 0; i < ours.length; i++) {
            assertThat(ours[i]).as("∂J/∂x[%d]", i).isCloseTo(torch.values()[i], within(1e-3f * scale));
        }
    }
}
